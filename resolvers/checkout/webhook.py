"""What a verified Stripe event does (BR-48; issue 29 item 3), inside the one transaction the
webhook route commits before it answers 2xx.

Every event id is recorded first, once (db/once.py): a redelivery, even a simultaneous one,
finds the id taken and changes nothing. Then, by type:

- `checkout.session.completed` with `payment_status = paid`, and
  `checkout.session.async_payment_succeeded`: the payment is recorded; when the order is a
  draft and the amount is its total, `CheckoutPaid` (orders submit it with the "Queued"
  event), else the payment is HELD and `CheckoutPaymentHeld` (orders hold the order; ops
  are notified);
- `checkout.session.expired`, `checkout.session.async_payment_failed`: the attempt is
  closed and the draft stays payable (`CheckoutLapsed`); one that arrives after the payment
  (out of order) changes nothing;
- `charge.refunded`: confirms the refunds of its payment.

An event about an order we do not know is acknowledged (Stripe retrying it would not help)
and recorded as such.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import CheckoutSession, CustomerPayment, CustomerRefund, Order, StripeWebhookEvent
from db.once import insert_once
from domain.checkout import (
    CURRENCY,
    LAPSED_EVENTS,
    PAID_EVENTS,
    REFUND_EVENTS,
    CheckoutStatus,
    PaymentStatus,
    RefundStatus,
    from_cents,
)
from domain.notifications import NotificationPriority, NotificationType
from domain.orders import OrderStatus
from resolvers import writes
from resolvers.domain_events import publish
from resolvers.events.checkout import (
    CheckoutLapsed,
    CheckoutPaid,
    CheckoutPaymentHeld,
    PaymentRefunded,
)
from resolvers.notify import notify_admins

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What an event did, recorded with its id (and logged, without any payload)."""

    name: str
    order_id: uuid.UUID | None = None


DUPLICATE = Outcome("duplicate")


async def receive(session: AsyncSession, actor: Actor, event: Mapping[str, Any]) -> Outcome:
    table = StripeWebhookEvent.__table__
    assert isinstance(table, Table)
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    first = await session.execute(
        insert_once(
            dialect, table, {"id": event["id"], "type": event["type"], "outcome": "received"}
        )
    )
    if first.first() is None:
        return DUPLICATE
    outcome = await _apply(session, actor, event)
    await session.execute(
        update(StripeWebhookEvent)
        .where(StripeWebhookEvent.id == event["id"])
        .values(outcome=outcome.name, order_id=outcome.order_id)
    )
    return outcome


async def _apply(session: AsyncSession, actor: Actor, event: Mapping[str, Any]) -> Outcome:
    kind = str(event["type"])
    obj: Mapping[str, Any] = event.get("data", {}).get("object", {}) or {}
    if kind in PAID_EVENTS:
        if kind == "checkout.session.completed" and obj.get("payment_status") != "paid":
            return Outcome("awaiting_payment")  # a delayed method: async_payment_* follows
        return await _paid(session, actor, obj)
    if kind in LAPSED_EVENTS:
        return await _lapsed(session, actor, kind, obj)
    if kind in REFUND_EVENTS:
        return await _refunded(session, actor, obj)
    return Outcome("ignored")


async def _order_of(session: AsyncSession, obj: Mapping[str, Any]) -> Order | None:
    """The order a session is for: metadata.orderId, else our record of the session id."""
    raw = (obj.get("metadata") or {}).get("orderId")
    order_id: uuid.UUID | None = None
    try:
        order_id = uuid.UUID(str(raw)) if raw else None
    except ValueError:
        order_id = None
    if order_id is None and obj.get("id"):
        order_id = await session.scalar(
            select(CheckoutSession.order_id).where(CheckoutSession.stripe_session_id == obj["id"])
        )
    if order_id is None:
        return None
    return await session.get(Order, order_id, with_for_update=True)


async def _checkout_row(session: AsyncSession, stripe_session_id: str) -> CheckoutSession | None:
    return await session.scalar(
        select(CheckoutSession)
        .where(CheckoutSession.stripe_session_id == stripe_session_id)
        .with_for_update()
    )


def _why_held(order: Order, amount: Any, currency: str) -> str | None:
    status = OrderStatus(order.status)
    if status is not OrderStatus.DRAFT:
        return f"the order is {status.value}, not an unpaid draft"
    if currency.lower() != CURRENCY:
        return f"paid in {currency.upper()}, the order is in {CURRENCY.upper()}"
    if amount != order.total:
        return f"paid {amount}, the order's total is {order.total}"
    return None


async def _paid(session: AsyncSession, actor: Actor, obj: Mapping[str, Any]) -> Outcome:
    order = await _order_of(session, obj)
    if order is None:
        log.warning("Stripe payment for an unknown order (session %s)", obj.get("id"))
        return Outcome("unknown_order")
    stripe_id = str(obj.get("id"))
    known = await session.scalar(
        select(CustomerPayment.id).where(CustomerPayment.stripe_session_id == stripe_id)
    )
    if known is not None:
        return Outcome("already_recorded", order.id)
    now = datetime.now(UTC)
    amount = from_cents(int(obj.get("amount_total") or 0))
    currency = str(obj.get("currency") or CURRENCY)
    checkout = await _checkout_row(session, stripe_id)
    if checkout is not None:
        await writes.update(
            session, actor, checkout, {"status": CheckoutStatus.COMPLETED, "completed_at": now}
        )
    held = _why_held(order, amount, currency)
    payment = CustomerPayment(
        order_id=order.id,
        customer_id=order.customer_id,
        checkout_session_id=checkout.id if checkout is not None else None,
        stripe_session_id=stripe_id,
        payment_intent_id=obj.get("payment_intent"),
        amount=amount,
        currency=currency.upper(),
        status=PaymentStatus.HELD if held else PaymentStatus.PAID,
        hold_reason=held,
        paid_at=now,
    )
    await writes.create(session, actor, payment)
    if held is None:
        await publish(session, CheckoutPaid(order.id, actor, now, amount, stripe_id))
        return Outcome("applied", order.id)
    await publish(session, CheckoutPaymentHeld(order.id, actor, now, amount, held))
    notify_admins(
        session,
        NotificationType.PAYMENT_HELD,
        f"Payment held on order {order.reference}",
        f"A customer payment for order {order.reference} was not applied: {held}. "
        "Review it and refund or resolve it.",
        order_id=order.id,
        priority=NotificationPriority.HIGH,
    )
    return Outcome("held", order.id)


async def _lapsed(
    session: AsyncSession, actor: Actor, kind: str, obj: Mapping[str, Any]
) -> Outcome:
    checkout = await _checkout_row(session, str(obj.get("id")))
    order = await _order_of(session, obj)
    if order is None:
        return Outcome("unknown_order")
    if checkout is not None:
        if CheckoutStatus(checkout.status) is CheckoutStatus.COMPLETED:
            return Outcome("stale", order.id)  # paid before this arrived (out of order)
        await writes.update(
            session,
            actor,
            checkout,
            {"status": CheckoutStatus.EXPIRED, "expired_at": datetime.now(UTC)},
        )
    if OrderStatus(order.status) is not OrderStatus.DRAFT:
        return Outcome("stale", order.id)
    message = (
        "Checkout expired before payment; the order can still be paid"
        if kind == "checkout.session.expired"
        else "The payment failed; the order can still be paid"
    )
    await publish(session, CheckoutLapsed(order.id, actor, datetime.now(UTC), message))
    return Outcome("lapsed", order.id)


async def _refunded(session: AsyncSession, actor: Actor, obj: Mapping[str, Any]) -> Outcome:
    intent = obj.get("payment_intent")
    payment = await session.scalar(
        select(CustomerPayment).where(CustomerPayment.payment_intent_id == intent).with_for_update()
    )
    if payment is None:
        return Outcome("unknown_payment")
    refunded = from_cents(int(obj.get("amount_refunded") or 0))
    newly = refunded - payment.amount_refunded
    if newly <= 0:
        return Outcome("stale", payment.order_id)  # an older charge.refunded, out of order
    payment.amount_refunded = refunded
    payment.status = (
        PaymentStatus.REFUNDED
        if payment.amount_refunded >= payment.amount
        else PaymentStatus.PARTIALLY_REFUNDED
    )
    # Refunds are confirmed oldest first, as far as the refunded total covers them.
    pending = await session.scalars(
        select(CustomerRefund)
        .where(CustomerRefund.payment_id == payment.id)
        .order_by(CustomerRefund.created_at)
        .with_for_update()
    )
    covered = payment.amount_refunded
    now = datetime.now(UTC)
    for refund in pending:
        covered -= refund.amount
        if covered < 0:
            break
        if RefundStatus(refund.status) is RefundStatus.PENDING:
            refund.status = RefundStatus.SUCCEEDED
            refund.confirmed_at = now
    await session.flush()
    await publish(session, PaymentRefunded(payment.order_id, actor, now, newly))
    return Outcome("refund_confirmed", payment.order_id)
