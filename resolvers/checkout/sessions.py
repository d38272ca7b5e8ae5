"""Checkout sessions (BR-47): an attempt per session, recorded before Stripe is asked and
completed after it answered, so no database connection waits on Stripe and an order whose
session Stripe could not create stays a payable draft (resumeCheckout makes a new attempt).

    1. record the attempt (PENDING) and build the session BR-47 describes — one transaction;
    2. ask Stripe, with the attempt's idempotency key — no transaction;
    3. record what Stripe answered (OPEN with its id and URL, or FAILED) — one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import owns
from auth.actor import Actor
from auth.permissions import Permission
from db.models import CheckoutSession, CustomerPayment, Order, OrderItem
from domain.checkout import (
    CheckoutLine,
    CheckoutStatus,
    idempotency_key,
    session_params,
)
from domain.errors import ErrorCode, UserErrors
from domain.orders import OrderStatus
from resolvers import writes
from resolvers.checkout.gateway import ProviderError, StripeSession
from resolvers.lookup import get_for_update, not_found
from resolvers.owners import CUSTOMER_RECORD


@dataclass(frozen=True)
class StripeRequest:
    """What step 2 sends: the attempt it is for, BR-47's parameters and the key."""

    checkout_id: uuid.UUID
    order_id: uuid.UUID
    params: dict[str, object]
    idempotency_key: str
    replaced: tuple[str, ...] = ()  # earlier open sessions to expire at Stripe


async def record_attempt(session: AsyncSession, actor: Actor, order: Order) -> CheckoutSession:
    """A new PENDING attempt at paying `order` (the first, or one more)."""
    last = await session.scalar(
        select(func.max(CheckoutSession.attempt)).where(CheckoutSession.order_id == order.id)
    )
    attempt = (last or 0) + 1
    row = CheckoutSession(
        order_id=order.id,
        customer_id=order.customer_id,
        attempt=attempt,
        requested_by=actor.id,
        idempotency_key=idempotency_key(order.id, attempt),
        status=CheckoutStatus.PENDING,
        amount_total=order.total,
        currency=order.currency,
    )
    return await writes.create(session, actor, row)


async def resume(session: AsyncSession, actor: Actor, order_global_id: str) -> CheckoutSession:
    """resumeCheckout: a fresh attempt for an unpaid draft the caller may pay; the open
    sessions it replaces are expired (here, then at Stripe)."""
    order = await get_for_update(session, Order, order_global_id)
    if not owns(actor, Permission.PAY_ORDERS, CUSTOMER_RECORD, order.customer_id):
        raise not_found("Order", order_global_id)
    status = OrderStatus(order.status)
    if status is not OrderStatus.DRAFT:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Order {order.reference} is {status.value}; only an unpaid draft can be paid",
            ("input", "orderId"),
        )
    paid = await session.scalar(
        select(func.count())
        .select_from(CustomerPayment)
        .where(CustomerPayment.order_id == order.id)
    )
    if paid:
        raise UserErrors.one(
            ErrorCode.CONFLICT,
            f"A payment for order {order.reference} was already received and is being reviewed",
            ("input", "orderId"),
        )
    return await record_attempt(session, actor, order)


async def latest_attempt(session: AsyncSession, order_id: uuid.UUID) -> CheckoutSession:
    row = await session.scalar(
        select(CheckoutSession)
        .where(CheckoutSession.order_id == order_id)
        .order_by(CheckoutSession.attempt.desc())
        .limit(1)
    )
    assert row is not None, "a production order has an attempt (checkout.handlers)"
    return row


async def stripe_request(
    session: AsyncSession, checkout: CheckoutSession, origin: str
) -> StripeRequest:
    """Step 1's end: BR-47's session for this attempt, from the order as it is now; earlier
    open attempts are marked replaced."""
    order = await session.get(Order, checkout.order_id)
    assert order is not None
    items = await session.scalars(
        select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.position)
    )
    title = order.garment_title or "Garment"
    lines = [CheckoutLine(title, item.size, item.unit_price, item.quantity) for item in items]
    params = session_params(
        order_id=order.id,
        user_id=checkout.requested_by or "",
        origin=origin,
        image_url=order.image_url or "",
        lines=lines,
    )
    earlier = await session.scalars(
        select(CheckoutSession).where(
            CheckoutSession.order_id == order.id,
            CheckoutSession.id != checkout.id,
            CheckoutSession.status == CheckoutStatus.OPEN,
        )
    )
    replaced: list[str] = []
    for row in earlier:
        if row.stripe_session_id:
            replaced.append(row.stripe_session_id)
        row.status = CheckoutStatus.EXPIRED
        row.expired_at = datetime.now(UTC)
    return StripeRequest(checkout.id, order.id, params, checkout.idempotency_key, tuple(replaced))


async def record_answer(
    session: AsyncSession,
    actor: Actor,
    checkout_id: uuid.UUID,
    answer: StripeSession | ProviderError,
) -> CheckoutSession:
    """Step 3: what Stripe answered. A failure keeps its message for ops (never a secret)."""
    row = await session.get(CheckoutSession, checkout_id, with_for_update=True)
    assert row is not None
    if CheckoutStatus(row.status) is not CheckoutStatus.PENDING:  # a webhook got there first
        return row
    if isinstance(answer, ProviderError):
        values: dict[str, object] = {"status": CheckoutStatus.FAILED, "error_message": str(answer)}
    else:
        # The customer may have paid (and the webhook recorded it) before this step ran.
        paid = await session.scalar(
            select(func.count())
            .select_from(CustomerPayment)
            .where(CustomerPayment.stripe_session_id == answer.id)
        )
        status = CheckoutStatus.COMPLETED if paid else CheckoutStatus.OPEN
        values = {"status": status, "stripe_session_id": answer.id, "url": answer.url}
    await writes.update(session, actor, row, values)
    return row
