"""The manufacturing job workflow: SPEC §2.1's table, guards and side effects."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from auth.permissions import Permission
from db.models import JobPhoto
from domain.errors import ErrorCode, Problem
from domain.jobs import JobStatus, PhotoStage
from domain.notifications import NotificationPriority, NotificationType
from domain.workflow import Effect, Guard, Move, StateMachine
from resolvers.events.jobs import JobDeclined, JobShipped, JobStartedProduction
from resolvers.notify import about, notify_admins, notify_new_job
from resolvers.owners import MANUFACTURER_RECORD
from resolvers.transitions import TransitionContext, announce

Ctx = TransitionContext[JobStatus]
NEW, ACCEPTED, IN_PRODUCTION, QC, READY, SHIPPED, DECLINED, PENDING = (
    JobStatus.NEW,
    JobStatus.ACCEPTED,
    JobStatus.IN_PRODUCTION,
    JobStatus.QC,
    JobStatus.READY_TO_SHIP,
    JobStatus.SHIPPED,
    JobStatus.DECLINED,
    JobStatus.PENDING_ASSIGNMENT,
)
WORK = Permission.WORK_ON_JOBS


# -- guards --------------------------------------------------------------------------------


async def not_on_hold(ctx: Ctx) -> Problem | None:
    """A job held by an open issue moves forward only once the issue is resolved."""
    if ctx.entity.on_hold:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION,
            "The job is on hold because of an open issue; resolve the issue first",
        )
    return None


async def completion_date_not_past(ctx: Ctx) -> Problem | None:
    value = ctx.inputs.get("estimated_completion_date")
    if isinstance(value, date) and value < ctx.now.date():
        return ctx.problem(
            ErrorCode.VALIDATION,
            "estimatedCompletionDate cannot be in the past",
            "estimated_completion_date",
        )
    return None


async def has_qc_photo(ctx: Ctx) -> Problem | None:
    """ "QC photos required" (SPEC §2.1 Rec: at least one photo of stage qc)."""
    qc_photos = (
        select(func.count())
        .select_from(JobPhoto)
        .where(JobPhoto.job_id == ctx.entity.id, JobPhoto.stage == PhotoStage.QC)
    )
    if (await ctx.session.execute(qc_photos)).scalar_one() == 0:
        return ctx.problem(
            ErrorCode.VALIDATION,
            "Add at least one QC photo (stage QC) before marking the job ready to ship",
        )
    return None


# -- effects -------------------------------------------------------------------------------


# What other domains react to (rerouting, orders following their jobs) is published by the
# moves below (`announce`), not called: they subscribe in their own modules (resolvers.events).


async def notify_assigned(ctx: Ctx) -> None:
    await notify_new_job(ctx.session, ctx.entity)


async def tell_admins(ctx: Ctx) -> None:
    """ "Every transition: admin gets a low-priority in-app notice" (SPEC §2.1)."""
    job, move = ctx.entity, ctx.move
    notify_admins(
        ctx.session,
        NotificationType.STATUS_CHANGED,
        f"{job.job_number}: {move.source.value} → {move.target.value}",
        f"Job {job.job_number} moved from {move.source.value} to {move.target.value}"
        + (f" ({ctx.reason})" if ctx.reason else ""),
        **about(job),
        priority=NotificationPriority.LOW,
    )


def _forward(
    source: JobStatus,
    target: JobStatus,
    description: str,
    stamps: tuple[str, ...],
    *,
    requires: tuple[str, ...] = (),
    guards: tuple[Guard, ...] = (),
    effects: tuple[Effect, ...] = (),
) -> Move[JobStatus]:
    """A step of the work forward (accepted to shipped): refused while an open issue holds
    the job (`not_on_hold`, before the step's own guards); the inputs it requires it writes."""
    return Move(
        source,
        target,
        WORK,
        description,
        requires=requires,
        writes=requires,
        guards=(not_on_hold, *guards),
        stamps=stamps,
        effects=effects,
    )


JOB_WORKFLOW = StateMachine(
    entity="ManufacturingJob",
    statuses=JobStatus,
    initial=NEW,
    read=Permission.VIEW_JOBS,
    owner=MANUFACTURER_RECORD,
    every_move=(tell_admins,),
    moves=(
        Move(
            NEW,
            ACCEPTED,
            WORK,
            "Accept the job with an estimated completion date.",
            requires=("estimated_completion_date",),
            writes=("estimated_completion_date",),
            guards=(completion_date_not_past,),
            stamps=("accepted_at",),
        ),
        Move(
            NEW,
            DECLINED,
            WORK,
            "Decline the job with a reason; it is rerouted to the backup (BR-8).",
            requires=("decline_reason",),
            writes=("decline_reason", "decline_notes"),
            stamps=("declined_at",),
            effects=(announce(JobDeclined),),
        ),
        _forward(
            ACCEPTED,
            IN_PRODUCTION,
            "Start production.",
            stamps=("started_at",),
            effects=(announce(JobStartedProduction),),
        ),
        Move(ACCEPTED, NEW, WORK, "Withdraw the acceptance."),
        _forward(IN_PRODUCTION, QC, "Production done; quality control starts.", ("qc_started_at",)),
        Move(IN_PRODUCTION, ACCEPTED, WORK, "Back to accepted (not started)."),
        _forward(
            QC,
            READY,
            "QC passed (needs at least one QC photo).",
            stamps=("qc_passed_at", "ready_to_ship_at"),
            guards=(has_qc_photo,),
        ),
        Move(QC, IN_PRODUCTION, WORK, "QC failed: back to production for rework."),
        _forward(
            READY,
            SHIPPED,
            "Shipped, with carrier and tracking number.",
            stamps=("shipped_at",),
            requires=("shipping_carrier", "tracking_number"),
            effects=(announce(JobShipped),),
        ),
        Move(READY, QC, WORK, "Back to QC."),
        Move(
            PENDING,
            NEW,
            Permission.ASSIGN_JOBS,
            "Assign the waiting job to a manufacturer (assignJob).",
            requires=("manufacturer_id",),
            writes=("manufacturer_id",),
            effects=(notify_assigned,),
        ),
    ),
)
