"""The COA state machine (SPEC §2.7) as data: draft → verified (immutable from then on,
BR-44) | rejected; verified → expired | superseded (by its next revision, reviseCoa).
Verification and its follow-ups are "QC and COA verification": admins and ops (qc:write)."""

from __future__ import annotations

from auth.permissions import Permission
from db.models import StoredFile
from domain.coas import CoaStatus
from domain.workflow import Effect, Move, StateMachine
from resolvers import writes
from resolvers.transitions import TransitionContext

C = CoaStatus
VERIFY = Permission.PERFORM_QC
CoaCtx = TransitionContext[CoaStatus]


async def mark_verified(ctx: CoaCtx) -> None:
    """SPEC §2.7: verified=true, by whom; its PDF becomes public at its stable address
    (/files/public/<id>, BR-45 "COAs are public") and stays so, even once superseded: a
    link given out never breaks."""
    ctx.entity.verified = True
    ctx.entity.verified_by = ctx.actor.id
    await ctx.session.flush()
    file = await ctx.session.get(StoredFile, ctx.entity.file_id, with_for_update=True)
    assert file is not None  # a COA's file is never removed (ON DELETE RESTRICT)
    await writes.update(ctx.session, ctx.actor, file, {"public": True})


def _move(
    source: CoaStatus,
    target: CoaStatus,
    description: str,
    *,
    requires: tuple[str, ...] = (),
    writes: tuple[str, ...] = ("status_reason",),
    stamps: tuple[str, ...] = (),
    effects: tuple[Effect, ...] = (),
) -> Move[CoaStatus]:
    return Move(
        source,
        target,
        VERIFY,
        description,
        requires=requires,
        writes=writes,
        stamps=("status_changed_at", *stamps),
        effects=effects,
    )


COA_WORKFLOW = StateMachine(
    entity="Coa",
    statuses=CoaStatus,
    initial=C.DRAFT,
    read=Permission.VIEW_PROCUREMENT,
    moves=(
        _move(
            C.DRAFT,
            C.VERIFIED,
            "Verify: the COA is authentic; immutable from now on and public on the storefront.",
            stamps=("verified_at",),
            effects=(mark_verified,),
        ),
        _move(
            C.DRAFT,
            C.REJECTED,
            "Reject an invalid or fraudulent COA, with a reason.",
            requires=("status_reason",),
        ),
        _move(C.VERIFIED, C.EXPIRED, "Expired (its lots expired or its retention passed)."),
        _move(
            C.VERIFIED,
            C.SUPERSEDED,
            "Replaced by its next revision (reviseCoa sets supersededBy).",
            requires=("superseded_by_id",),
            writes=("superseded_by_id", "status_reason"),
        ),
    ),
)
