"""The order workflow: SPEC §2.2 (draft → submitted → approved → in_production → fulfilled,
canceled from draft, submitted or approved), with routing on approval (§9 #22)."""

from __future__ import annotations

from sqlalchemy import func, select

from auth.permissions import Permission
from db.models import CustomerPayment, OrderItem
from domain.errors import ErrorCode, Problem
from domain.jobs import JobStatus
from domain.orders import OrderStatus
from domain.workflow import Guard, Move, StateMachine
from resolvers.events.orders import OrderApproved, OrderCanceled
from resolvers.lookup import jobs_of
from resolvers.orders.timeline import MESSAGES, add_event, job_progress
from resolvers.owners import CUSTOMER_RECORD
from resolvers.transitions import TransitionContext, announce

Ctx = TransitionContext[OrderStatus]
DRAFT, SUBMITTED, APPROVED, IN_PRODUCTION, FULFILLED, CANCELED = (
    OrderStatus.DRAFT,
    OrderStatus.SUBMITTED,
    OrderStatus.APPROVED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.FULFILLED,
    OrderStatus.CANCELED,
)
MANAGE = Permission.MANAGE_ORDERS

# Job statuses after a manufacturer accepted: the order can no longer be canceled.
_STARTED = frozenset(
    {
        JobStatus.ACCEPTED,
        JobStatus.IN_PRODUCTION,
        JobStatus.QC,
        JobStatus.READY_TO_SHIP,
        JobStatus.SHIPPED,
    }
)


async def require_line_items(ctx: Ctx) -> Problem | None:
    """An order without line items cannot be submitted."""
    count = (
        await ctx.session.execute(
            select(func.count()).select_from(OrderItem).where(OrderItem.order_id == ctx.entity.id)
        )
    ).scalar_one()
    if count == 0:
        return ctx.problem(
            ErrorCode.VALIDATION, "Add at least one line item before submitting the order", "items"
        )
    return None


async def require_every_job_shipped(ctx: Ctx) -> Problem | None:
    """BR-5: fulfilled only when the order has jobs and every one not declined has shipped;
    or when the 3PL delivered every line (the order's reaction to the last delivery)."""
    if ctx.inputs.get("delivered"):
        return None
    jobs = await jobs_of(ctx.session, ctx.entity.id)
    progress = job_progress([job.status for job in jobs])
    if progress.total == 0:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION,
            "The order has no manufacturing jobs to ship yet; it cannot be fulfilled",
        )
    if progress.shipped < progress.total:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION,
            f"Only {progress.shipped} of {progress.total} jobs shipped; every job must ship "
            "before the order is fulfilled",
        )
    return None


async def require_no_job_accepted(ctx: Ctx) -> Problem | None:
    """An approved order can be canceled only while no job is past NEW / PENDING_ASSIGNMENT."""
    for job in await jobs_of(ctx.session, ctx.entity.id):
        if JobStatus(job.status) in _STARTED:
            return ctx.problem(
                ErrorCode.INVALID_TRANSITION,
                f"Job {job.job_number} is already {JobStatus(job.status).value}; an order can "
                "be canceled only before a manufacturer accepts one of its jobs",
            )
    return None


async def require_refund_when_paid(ctx: Ctx) -> Problem | None:
    """A paid order is canceled only with a refund (refundOrder, issue 29): checkout's
    payments are read here, not its rules (db.models; the domains stay independent)."""
    if ctx.inputs.get("refunded"):
        return None
    paid = await ctx.session.scalar(
        select(func.count())
        .select_from(CustomerPayment)
        .where(
            CustomerPayment.order_id == ctx.entity.id,
            CustomerPayment.amount_refunded < CustomerPayment.amount,
        )
    )
    if paid:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION,
            f"Order {ctx.entity.reference} has been paid; cancel it with refundOrder",
        )
    return None


async def record_status_event(ctx: Ctx) -> None:
    """Every status change inserts a FulfillmentEvent with its display label (SPEC §2.2)."""
    target = OrderStatus(ctx.move.target)
    # A move made for a reason the timeline names (payment: "Payment confirmed, ...").
    message = ctx.inputs.get("timeline_message") or MESSAGES[target]
    if target is OrderStatus.CANCELED:
        reason = ctx.reason or ctx.inputs.get("cancel_reason")
        message = f"Order canceled: {reason}" if reason else message
    add_event(
        ctx.session,
        ctx.entity,
        message,
        status=target,
        occurred_at=ctx.now,
        metadata={"from": OrderStatus(ctx.move.source).value, "actor": ctx.actor.id},
    )


# What other domains react to (routing, withdrawing jobs) is published by the moves below
# (`announce`), not called: they subscribe in their own modules (resolvers.events).


def _cancel(source: OrderStatus, permission: Permission, *guards: Guard) -> Move[OrderStatus]:
    return Move(
        source,
        CANCELED,
        permission,
        "Cancel the order with a reason.",
        requires=("cancel_reason",),
        writes=("cancel_reason",),
        guards=guards,
        stamps=("canceled_at",),
        effects=(announce(OrderCanceled),),
    )


ORDER_WORKFLOW = StateMachine(
    entity="Order",
    statuses=OrderStatus,
    initial=DRAFT,
    read=Permission.VIEW_ORDERS,
    owner=CUSTOMER_RECORD,
    every_move=(record_status_event,),
    moves=(
        Move(
            DRAFT,
            SUBMITTED,
            MANAGE,
            "Submit the draft (payment will drive this; ops and admins for now).",
            guards=(require_line_items,),
            stamps=("submitted_at",),
        ),
        Move(
            SUBMITTED,
            APPROVED,
            MANAGE,
            "Approve the order: routing splits it into manufacturing jobs.",
            stamps=("approved_at",),
            effects=(announce(OrderApproved),),
        ),
        Move(
            APPROVED,
            IN_PRODUCTION,
            MANAGE,
            "Production started (automatic when the first job starts).",
            stamps=("production_started_at",),
        ),
        Move(
            IN_PRODUCTION,
            FULFILLED,
            MANAGE,
            "Fulfilled: every job has shipped.",
            guards=(require_every_job_shipped,),
            stamps=("fulfilled_at",),
        ),
        _cancel(DRAFT, Permission.EDIT_ORDERS, require_refund_when_paid),
        _cancel(SUBMITTED, Permission.EDIT_ORDERS, require_refund_when_paid),
        _cancel(APPROVED, MANAGE, require_no_job_accepted, require_refund_when_paid),
    ),
)
