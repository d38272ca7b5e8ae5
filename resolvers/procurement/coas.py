"""COAs (SPEC §1.7, §2.7, BR-44, BR-45): a lab's certificate for one or more lots, uploaded
as a PDF through the files mechanism (resolvers.uploads) under its own key
coa/{lot}/{lot}-coa-v{N}.pdf, never overwritten and never deleted (the file's purpose keeps
it forever). A verified COA is immutable: a correction is its next revision, which
supersedes it. Status moves go through COA_WORKFLOW only."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import Coa, Lot, LotCoa
from db.storage import Storage
from domain.coas import (
    PROTECTED_FIELDS,
    PURITY_MAX,
    PURITY_MIN,
    CoaStatus,
    coa_key,
    key_lot,
    last_distribution,
    retention_until,
)
from domain.errors import ErrorCode, Problem, UserErrors
from domain.files import FilePurpose
from domain.validation import Checks, camel
from resolvers import uploads, writes
from resolvers.context import RequestContext
from resolvers.ids import decode_input_id
from resolvers.lookup import get_for_update
from resolvers.mutations import Outcome
from resolvers.procurement.coa_workflow import COA_WORKFLOW
from resolvers.transitions import TransitionContext, apply, transition

MAX_LOTS = 50
MAX_RECORDS = 50
MAX_TEXT = 200


@dataclass(frozen=True)
class CoaFields:
    """What a lab's certificate says (all optional on a draft; BR-44 protects them once
    verified)."""

    purity_percentage: Decimal | None = None
    analysis_date: date | None = None
    lab_name: str | None = None
    lab_reference: str | None = None
    purity_records: list[dict[str, Any]] | None = None
    notes: str | None = None


def check_fields(values: dict[str, Any]) -> None:
    checks = Checks()
    purity = values.get("purity_percentage")
    if purity is not None and not PURITY_MIN <= purity <= PURITY_MAX:
        checks.fail("purity_percentage", "purityPercentage must be between 0 and 100")
    analysis = values.get("analysis_date")
    if analysis is not None and analysis > datetime.now(UTC).date():
        checks.fail("analysis_date", "analysisDate must not be in the future")
    checks.text("lab_name", values.get("lab_name"), max_length=MAX_TEXT, required=False)
    checks.text("lab_reference", values.get("lab_reference"), max_length=100, required=False)
    checks.text("notes", values.get("notes"), max_length=5000, required=False)
    records = values.get("purity_records")
    if records is not None and len(records) > MAX_RECORDS:
        checks.fail("purity_records", f"purityRecords holds at most {MAX_RECORDS} entries")
    checks.raise_if_any()


async def _lots(session: AsyncSession, lot_ids: Sequence[str], field: str = "lot_ids") -> list[Lot]:
    """The lots the IDs name, in order, each once (NOT_FOUND at its index otherwise)."""
    if not lot_ids:
        raise UserErrors.one(
            ErrorCode.VALIDATION, f"{camel(field)} must name at least one lot", ("input", field)
        )
    if len(lot_ids) > MAX_LOTS:
        raise UserErrors.one(
            ErrorCode.VALIDATION, f"{camel(field)} holds at most {MAX_LOTS} lots", ("input", field)
        )
    pks = [decode_input_id(gid, "Lot", field) for gid in lot_ids]
    found = {lot.id: lot for lot in await session.scalars(select(Lot).where(Lot.id.in_(pks)))}
    missing = [i for i, pk in enumerate(pks) if pk not in found]
    if missing:
        raise UserErrors.one(
            ErrorCode.NOT_FOUND,
            f"No lot with ID {lot_ids[missing[0]]}",
            ("input", field, str(missing[0])),
        )
    return [found[pk] for pk in dict.fromkeys(pks)]


async def _next_version(session: AsyncSession, lot_number: str) -> int:
    """The next v{N} free under a lot's folder: one more than the COAs stored there (a lot
    may get a new certificate besides revisions of its first)."""
    prefix = f"coa/{lot_number}/"
    count = (
        await session.execute(
            select(func.count()).select_from(Coa).where(Coa.file_key.startswith(prefix))
        )
    ).scalar_one()
    return int(count) + 1


async def _retention(session: AsyncSession, coa_id: uuid.UUID | None, lots: Sequence[Lot]) -> date:
    """BR-45: three years past the last day its lots can be distributed (their latest
    expiration date), over the lots it already covers and `lots`."""
    expirations = [lot.expiration_date for lot in lots]
    if coa_id is not None:
        expirations += list(
            await session.scalars(
                select(Lot.expiration_date)
                .join(LotCoa, LotCoa.lot_id == Lot.id)
                .where(LotCoa.coa_id == coa_id)
            )
        )
    return retention_until(last_distribution(datetime.now(UTC).date(), expirations))


@dataclass(frozen=True)
class Planned:
    """What a new COA's upload is checked for: its lots and the key its PDF goes to."""

    lots: list[Lot]
    key: str
    revision: int = 1
    revises: Coa | None = None


async def plan_new(
    session: AsyncSession, lot_ids: Sequence[str], fields: dict[str, Any]
) -> Planned:
    check_fields(fields)
    lots = await _lots(session, lot_ids)
    first = lots[0].lot_number
    return Planned(lots, coa_key(first, await _next_version(session, first)))


async def plan_revision(session: AsyncSession, coa_id: str, fields: dict[str, Any]) -> Planned:
    """A revision replaces a verified COA (SPEC §2.7); its PDF goes beside the first's."""
    check_fields(fields)
    old = await get_for_update(session, Coa, coa_id)
    status = CoaStatus(old.status)
    if status is not CoaStatus.VERIFIED:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Only a verified COA is revised; this one is {status.value} "
            + ("(change the draft itself)" if status is CoaStatus.DRAFT else "(it is final)"),
            ("input", "id"),
        )
    lots = list(
        await session.scalars(
            select(Lot)
            .join(LotCoa, LotCoa.lot_id == Lot.id)
            .where(LotCoa.coa_id == old.id)
            .order_by(LotCoa.created_at, Lot.lot_number)
        )
    )
    lot_number = key_lot(old.file_key) or lots[0].lot_number
    key = coa_key(lot_number, await _next_version(session, lot_number))
    return Planned(lots, key, old.revision + 1, old)


async def record(
    session: AsyncSession,
    actor: Actor,
    planned: Planned,
    stored: uploads.Stored,
    fields: dict[str, Any],
) -> Coa:
    """The COA of a stored upload (its File row attached), covering the planned lots."""
    file = await uploads.record(session, actor, stored, attached=True)
    base: dict[str, Any] = {}
    if planned.revises is not None:
        old = planned.revises
        base = {name: getattr(old, name) for name in CoaFields.__dataclass_fields__}
    values = {**base, **{k: v for k, v in fields.items() if v is not None}}
    coa = await writes.create(
        session,
        actor,
        Coa(
            file_id=file.id,
            file_key=stored.storage_key,
            file_sha256=stored.sha256,
            revision=planned.revision,
            revises_id=planned.revises.id if planned.revises else None,
            retention_until=await _retention(session, None, planned.lots),
            purity_records=values.pop("purity_records", None) or [],
            **values,
        ),
    )
    for lot in planned.lots:
        await writes.create(session, actor, LotCoa(lot_id=lot.id, coa_id=coa.id))
    return coa


async def create_coa(
    ctx: RequestContext,
    lot_ids: Sequence[str],
    file: object,
    fields: dict[str, Any],
    *,
    storage: Storage,
    max_upload_bytes: int,
) -> Outcome[Coa]:
    """Upload a lab's PDF for one or more lots: a DRAFT COA, its PDF stored under the first
    lot's folder (BR-45) with its SHA-256. A refused upload stores nothing."""

    async def attach(session: AsyncSession, stored: uploads.Stored) -> Coa:
        planned = await plan_new(session, lot_ids, fields)
        return await record(session, ctx.actor, planned, stored, fields)

    return await uploads.attach_upload(
        ctx,
        file,
        FilePurpose.COA,
        check=lambda s: plan_new(s, lot_ids, fields),
        attach=attach,
        storage=storage,
        max_upload_bytes=max_upload_bytes,
        key=lambda planned: planned.key if isinstance(planned, Planned) else None,
    )


async def revise_coa(
    ctx: RequestContext,
    coa_id: str,
    file: object,
    fields: dict[str, Any],
    *,
    reason: str | None,
    storage: Storage,
    max_upload_bytes: int,
) -> Outcome[Coa]:
    """A correction of a verified COA (BR-44): revision N+1 as a DRAFT with the new PDF
    (coa/{lot}/{lot}-coa-v{N+1}.pdf), the same lots, and what is not given copied from the
    old one; the old one becomes SUPERSEDED with supersededBy naming the new."""

    async def attach(session: AsyncSession, stored: uploads.Stored) -> Coa:
        planned = await plan_revision(session, coa_id, fields)
        assert planned.revises is not None
        coa = await record(session, ctx.actor, planned, stored, fields)
        await apply(
            session,
            ctx.actor,
            COA_WORKFLOW,
            planned.revises,
            CoaStatus.SUPERSEDED,
            inputs={"superseded_by_id": coa.id, "status_reason": reason},
            reason=reason or f"revised by revision {coa.revision}",
        )
        return coa

    return await uploads.attach_upload(
        ctx,
        file,
        FilePurpose.COA,
        check=lambda s: plan_revision(s, coa_id, fields),
        attach=attach,
        storage=storage,
        max_upload_bytes=max_upload_bytes,
        key=lambda planned: planned.key if isinstance(planned, Planned) else None,
    )


async def update_coa(
    session: AsyncSession,
    actor: Actor,
    coa_id: str,
    values: dict[str, Any],
    expected_version: int | None,
) -> Coa:
    """Change a draft's fields. BR-44: once it is no longer a draft, any change to a
    protected field is IMMUTABLE (nothing is written); the notes stay editable."""
    coa = await get_for_update(session, Coa, coa_id)
    status = CoaStatus(coa.status)
    touched = sorted(
        name for name in PROTECTED_FIELDS & values.keys() if values[name] != getattr(coa, name)
    )
    if status is not CoaStatus.DRAFT and touched:
        raise UserErrors(
            [
                Problem(
                    ErrorCode.IMMUTABLE,
                    f"The COA is {status.value}: {camel(name)} never changes once verified "
                    "(BR-44); correct it with a new revision (reviseCoa)",
                    ("input", camel(name)),
                )
                for name in touched
            ]
        )
    check_fields(values)
    if "purity_records" in values and values["purity_records"] is None:
        values["purity_records"] = []
    return await writes.update(session, actor, coa, values, expected_version=expected_version)


async def attach_lots(
    session: AsyncSession, actor: Actor, coa_id: str, lot_ids: Sequence[str]
) -> Coa:
    """Let a COA cover more lots (one supplier batch, several deliveries). Lots it covers
    already are left as they are; its retention follows the lots' expiration dates. Not
    for a rejected or superseded COA (nothing a customer should see)."""
    coa = await get_for_update(session, Coa, coa_id)
    status = CoaStatus(coa.status)
    if status in (CoaStatus.REJECTED, CoaStatus.SUPERSEDED):
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"A {status.value} COA takes no more lots",
            ("input", "id"),
        )
    lots = await _lots(session, lot_ids)
    covered = set(await session.scalars(select(LotCoa.lot_id).where(LotCoa.coa_id == coa.id)))
    for lot in lots:
        if lot.id not in covered:
            await writes.create(session, actor, LotCoa(lot_id=lot.id, coa_id=coa.id))
    retention = await _retention(session, coa.id, lots)
    if retention > coa.retention_until:
        await writes.update(session, actor, coa, {"retention_until": retention})
    return coa


async def change_status(
    session: AsyncSession,
    actor: Actor,
    coa_id: str,
    target: CoaStatus,
    reason: str | None,
    expected_version: int | None,
) -> TransitionContext[CoaStatus]:
    """Verify, reject or expire a COA. SUPERSEDED comes only with a revision (reviseCoa)."""
    reason = reason.strip() if reason else None
    if target is CoaStatus.SUPERSEDED:
        coa = await get_for_update(session, Coa, coa_id)
        if COA_WORKFLOW.move(CoaStatus(coa.status), target) is not None:
            raise UserErrors.one(
                ErrorCode.INVALID_TRANSITION,
                "A COA is superseded by uploading its next revision (reviseCoa)",
                ("input", "status"),
            )
    return await transition(
        session,
        actor,
        COA_WORKFLOW,
        Coa,
        coa_id,
        target,
        expected_version=expected_version,
        inputs={"status_reason": reason},
        reason=reason,
    )
