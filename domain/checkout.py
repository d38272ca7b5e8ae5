"""Customer checkout with Stripe (SPEC BR-47, BR-48; issue 29): what a checkout session, a
customer payment and a refund go through, the session Stripe is asked for, and who may pay,
read payments and refund.

Money is Decimal everywhere but here, at the Stripe boundary, where it becomes whole cents
(SPEC "cents only at the Stripe boundary").
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from domain.permissions import ALL, OWN, STAFF_READ, Permission, Role, grants

CURRENCY = "usd"  # BR-47: every line is in US dollars


class CheckoutStatus(StrEnum):
    """One attempt to have an order paid: a Stripe Checkout Session."""

    PENDING = "pending"  # recorded; Stripe not yet answered
    OPEN = "open"  # Stripe created it; the customer may pay at its URL
    FAILED = "failed"  # Stripe could not be reached or refused; resume for a fresh one
    COMPLETED = "completed"  # paid (checkout.session.completed / async_payment_succeeded)
    EXPIRED = "expired"  # Stripe expired it, or a fresh one replaced it; the order stays payable


class PaymentStatus(StrEnum):
    """Money a customer paid us for an order (SPEC §1.8 Rec: the customer→us payment table)."""

    PAID = "paid"
    HELD = "held"  # paid, but not applied: wrong amount, or the order was no longer a draft
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class RefundStatus(StrEnum):
    PENDING = "pending"  # Stripe accepted it; `charge.refunded` confirms it
    SUCCEEDED = "succeeded"
    FAILED = "failed"


# Webhook events acted on (everything else is recorded and acknowledged).
PAID_EVENTS = frozenset({"checkout.session.completed", "checkout.session.async_payment_succeeded"})
LAPSED_EVENTS = frozenset({"checkout.session.expired", "checkout.session.async_payment_failed"})
REFUND_EVENTS = frozenset({"charge.refunded"})


def to_cents(amount: Decimal) -> int:
    """Whole cents, half-up (BR-47's Math.round(price * 100) for positive prices)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CheckoutLine:
    """One size of the size run, as the customer pays for it."""

    garment_title: str
    size: str
    unit_price: Decimal
    quantity: int

    @property
    def unit_amount(self) -> int:
        return to_cents(self.unit_price)

    def stripe_line(self, image_url: str) -> dict[str, Any]:
        """BR-47, field by field."""
        return {
            "price_data": {
                "currency": CURRENCY,
                "product_data": {
                    "name": f"{self.garment_title} - {self.size}",
                    "images": [image_url],
                },
                "unit_amount": self.unit_amount,
            },
            "quantity": self.quantity,
        }


def amount_due(lines: Sequence[CheckoutLine]) -> int:
    """What Stripe will charge for these lines, in cents."""
    return sum(line.unit_amount * line.quantity for line in lines)


def session_params(
    *,
    order_id: uuid.UUID,
    user_id: str,
    origin: str,
    image_url: str,
    lines: Sequence[CheckoutLine],
) -> dict[str, Any]:
    """The Checkout Session BR-47 describes: mode payment, a line per size, the order and
    user in metadata, success and cancel URLs on the public origin."""
    return {
        "mode": "payment",
        "line_items": [line.stripe_line(image_url) for line in lines],
        "metadata": {"orderId": str(order_id), "userId": user_id},
        "success_url": f"{origin}/order-success?order={order_id}",
        "cancel_url": f"{origin}/orders/{order_id}",
    }


def idempotency_key(order_id: uuid.UUID, attempt: int) -> str:
    """One key per attempt at an order: a retry of the same attempt (the library's own
    network retries, a repeated request) gets the same session back; `resumeCheckout` makes
    a new attempt and so a fresh session."""
    return f"opsgraph-checkout-{order_id}-{attempt}"


def refund_idempotency_key(payment_id: uuid.UUID, client_key: str) -> str:
    return f"opsgraph-refund-{payment_id}-{client_key}"


# Who may pay, read payments and refund (SPEC §4: "customers see their own orders; ops see
# all"; [001]: ops cancel; a paid order is canceled only with a refund).
GRANTS = grants(
    {
        Permission.PAY_ORDERS: {Role.OPS: ALL, Role.CUSTOMER: OWN},
        Permission.VIEW_CUSTOMER_PAYMENTS: {**STAFF_READ, Role.CUSTOMER: OWN},
        Permission.REFUND_CUSTOMER_PAYMENTS: {Role.OPS: ALL, Role.FINANCE: ALL},
    }
)
