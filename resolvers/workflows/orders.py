"""The order workflow: SPEC §2.2 (draft → submitted → approved → in_production → fulfilled,
canceled from draft, submitted or approved), with routing on approval (§9 #22)."""

from __future__ import annotations

from auth.permissions import Permission
from domain.errors import Problem
from domain.orders import OrderStatus
from domain.workflow import Guard, Move, StateMachine
from resolvers.owners import CUSTOMER_RECORD
from resolvers.transitions import TransitionContext

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


async def has_line_items(ctx: Ctx) -> Problem | None:
    from resolvers.orders import require_line_items

    return await require_line_items(ctx)


async def every_job_shipped(ctx: Ctx) -> Problem | None:
    """BR-5: "the order completes only when every job is SHIPPED"."""
    from resolvers.orders import require_every_job_shipped

    return await require_every_job_shipped(ctx)


async def no_job_accepted(ctx: Ctx) -> Problem | None:
    """An approved order can be canceled until a manufacturer has accepted one of its jobs."""
    from resolvers.orders import require_no_job_accepted

    return await require_no_job_accepted(ctx)


async def timeline(ctx: Ctx) -> None:
    """Every change inserts a FulfillmentEvent with its display label (SPEC §2.2 Rec)."""
    from resolvers.orders import record_status_event

    await record_status_event(ctx)


async def route(ctx: Ctx) -> None:
    """Routing runs when an order becomes approved, unless it is on HOLD (§9 #22)."""
    from resolvers.routing import route_approved_order

    await route_approved_order(ctx)


async def withdraw_jobs(ctx: Ctx) -> None:
    from resolvers.orders import withdraw_open_jobs

    await withdraw_open_jobs(ctx)


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
        effects=(timeline, withdraw_jobs),
    )


ORDER_WORKFLOW = StateMachine(
    entity="Order",
    statuses=OrderStatus,
    initial=DRAFT,
    read=Permission.VIEW_ORDERS,
    owner=CUSTOMER_RECORD,
    moves=(
        Move(
            DRAFT,
            SUBMITTED,
            MANAGE,
            "Submit the draft (payment will drive this; ops and admins for now).",
            guards=(has_line_items,),
            stamps=("submitted_at",),
            effects=(timeline,),
        ),
        Move(
            SUBMITTED,
            APPROVED,
            MANAGE,
            "Approve the order: routing splits it into manufacturing jobs.",
            stamps=("approved_at",),
            effects=(timeline, route),
        ),
        Move(
            APPROVED,
            IN_PRODUCTION,
            MANAGE,
            "Production started (automatic when the first job starts).",
            stamps=("production_started_at",),
            effects=(timeline,),
        ),
        Move(
            IN_PRODUCTION,
            FULFILLED,
            MANAGE,
            "Fulfilled: every job has shipped.",
            guards=(every_job_shipped,),
            stamps=("fulfilled_at",),
            effects=(timeline,),
        ),
        _cancel(DRAFT, Permission.EDIT_ORDERS),
        _cancel(SUBMITTED, Permission.EDIT_ORDERS),
        _cancel(APPROVED, MANAGE, no_job_accepted),
    ),
)
