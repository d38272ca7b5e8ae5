"""refundOrder (issue 29 item 4): ops refund a customer payment, fully or partly, and cancel
the order with it (a paid order is canceled only this way).

Like a checkout session, in three steps around the Stripe call: record the refund (PENDING)
and cancel the order — one transaction, refused as a whole if the order cannot be canceled;
ask Stripe with the refund's idempotency key; record Stripe's id (or FAILED). Repeating an
idempotency key returns the refund it made; one whose Stripe call failed is asked again with
the same key, so Stripe never refunds twice. `charge.refunded` confirms it (webhook.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import CustomerPayment, CustomerRefund, Order
from domain.checkout import PaymentStatus, RefundStatus, refund_idempotency_key, to_cents
from domain.errors import ErrorCode, UserErrors
from domain.validation import Checks
from resolvers import writes
from resolvers.checkout.gateway import ProviderError, StripeRefund
from resolvers.domain_events import publish
from resolvers.events.checkout import RefundRequested
from resolvers.lookup import get_for_update

REFUNDABLE = (PaymentStatus.PAID, PaymentStatus.HELD, PaymentStatus.PARTIALLY_REFUNDED)


@dataclass(frozen=True)
class RefundCall:
    """What step 2 asks Stripe; None when the key's refund already reached Stripe."""

    refund_id: uuid.UUID
    order_id: uuid.UUID
    payment_intent: str
    amount_cents: int
    idempotency_key: str


async def request_refund(
    session: AsyncSession,
    actor: Actor,
    order_global_id: str,
    amount: Decimal | None,
    reason: str,
    client_key: str,
    cancel: bool,
) -> tuple[CustomerRefund, RefundCall | None]:
    checks = Checks()
    checks.text("reason", reason, max_length=2000, required=True)
    checks.text("idempotency_key", client_key, max_length=200, required=True)
    if amount is not None:
        checks.money("amount", amount)
    checks.raise_if_any()
    order = await get_for_update(session, Order, order_global_id, "order_id")
    payment = await session.scalar(
        select(CustomerPayment)
        .where(
            CustomerPayment.order_id == order.id,
            CustomerPayment.status.in_([s.value for s in REFUNDABLE]),
        )
        .order_by(CustomerPayment.paid_at.desc())
        .limit(1)
        .with_for_update()
    )
    if payment is None or payment.payment_intent_id is None:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"Order {order.reference} has no payment that can be refunded",
            ("input", "orderId"),
        )
    key = refund_idempotency_key(payment.id, client_key.strip())
    earlier = await session.scalar(
        select(CustomerRefund).where(CustomerRefund.idempotency_key == key)
    )
    if earlier is not None:
        done = earlier.stripe_refund_id is not None
        return earlier, None if done else _call(earlier, payment)
    remaining = payment.amount - payment.amount_refunded - await _pending(session, payment.id)
    value = remaining if amount is None else amount
    if value <= 0 or value > remaining:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"amount must be greater than 0 and at most {remaining} (what is left to refund)",
            ("input", "amount"),
        )
    refund = CustomerRefund(
        payment_id=payment.id,
        order_id=order.id,
        customer_id=order.customer_id,
        amount=value,
        status=RefundStatus.PENDING,
        reason=reason.strip(),
        idempotency_key=key,
        cancels_order=cancel,
    )
    await writes.create(session, actor, refund)
    await publish(
        session,
        RefundRequested(order.id, actor, datetime.now(UTC), value, cancel, reason.strip()),
    )
    return refund, _call(refund, payment)


async def _pending(session: AsyncSession, payment_id: uuid.UUID) -> Decimal:
    """Refunds asked for but not yet confirmed (they count against what is left)."""
    rows = await session.scalars(
        select(CustomerRefund.amount).where(
            CustomerRefund.payment_id == payment_id,
            CustomerRefund.status == RefundStatus.PENDING,
        )
    )
    return sum(rows, Decimal("0.00"))


def _call(refund: CustomerRefund, payment: CustomerPayment) -> RefundCall:
    assert payment.payment_intent_id is not None
    return RefundCall(
        refund.id,
        refund.order_id,
        payment.payment_intent_id,
        to_cents(refund.amount),
        refund.idempotency_key,
    )


async def record_refund_answer(
    session: AsyncSession, actor: Actor, refund_id: uuid.UUID, answer: StripeRefund | ProviderError
) -> CustomerRefund:
    refund = await session.get(CustomerRefund, refund_id, with_for_update=True)
    assert refund is not None
    if isinstance(answer, ProviderError):
        values: dict[str, object] = {"status": RefundStatus.FAILED}
    else:
        values = {"stripe_refund_id": answer.id, "status": RefundStatus.PENDING}
    await writes.update(session, actor, refund, values)
    return refund
