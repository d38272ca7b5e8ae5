"""Customer checkout (issue 29): Stripe Checkout Sessions, the payments customers make,
their refunds, and every Stripe webhook event received (so a redelivery is ignored).

The customer→us payment table (SPEC §1.8 Rec keeps three payment tables, one per direction
of money); every row names its order's customer, so a customer's grant (own records only)
filters them like orders.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Entity, utcnow
from db.columns import amount_column, enum_column
from domain.bounds import LARGE_AMOUNT
from domain.checkout import CheckoutStatus, PaymentStatus, RefundStatus


def _order_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)


def _customer_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"), index=True)


class CheckoutSession(Entity):
    """One attempt at having an order paid: a Stripe Checkout Session (attempt 1 from
    createProductionOrder, one more for every resumeCheckout)."""

    __tablename__ = "checkout_sessions"
    __table_args__ = (UniqueConstraint("order_id", "attempt"),)

    order_id: Mapped[uuid.UUID] = _order_fk()
    customer_id: Mapped[uuid.UUID] = _customer_fk()
    attempt: Mapped[int] = mapped_column(Integer)
    # Who asked (the token subject): Stripe's metadata.userId (BR-47).
    requested_by: Mapped[str | None] = mapped_column(String(255))
    # Sent to Stripe with the create call: a retry of this attempt gets the same session.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[CheckoutStatus] = mapped_column(
        enum_column(CheckoutStatus), default=CheckoutStatus.PENDING, index=True
    )
    stripe_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    # What the session charges, as asked of Stripe (Decimal; cents only on the wire).
    amount_total: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    error_message: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    expired_at: Mapped[datetime | None] = mapped_column(default=None)


class CustomerPayment(Entity):
    """Money a customer paid for an order through Stripe."""

    __tablename__ = "customer_payments"

    order_id: Mapped[uuid.UUID] = _order_fk()
    customer_id: Mapped[uuid.UUID] = _customer_fk()
    checkout_session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("checkout_sessions.id", ondelete="SET NULL")
    )
    stripe_session_id: Mapped[str] = mapped_column(String(255), unique=True)
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    amount: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    amount_refunded: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00")
    )
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus), index=True)
    # Why a payment was not applied to its order (HELD): for ops to resolve.
    hold_reason: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomerRefund(Entity):
    """A refund of (part of) a customer payment, asked of Stripe by ops (refundOrder)."""

    __tablename__ = "customer_refunds"

    payment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer_payments.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[uuid.UUID] = _order_fk()
    customer_id: Mapped[uuid.UUID] = _customer_fk()
    amount: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus))
    reason: Mapped[str] = mapped_column(Text)
    # The client's key (refundOrder's idempotencyKey), unique per payment.
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    stripe_refund_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    cancels_order: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)


class StripeWebhookEvent(Base):
    """Every Stripe event received, by its id: a redelivery finds its row and is
    acknowledged without being applied again (insert-only)."""

    __tablename__ = "stripe_webhook_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    order_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), index=True
    )
    # What it did: applied, held, ignored (and why), recorded.
    outcome: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
