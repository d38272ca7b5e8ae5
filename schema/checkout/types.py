"""Checkout's node types: the attempts at paying an order (Stripe Checkout Sessions) and
the payments customers made. A customer reads only its own, like its orders."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

import strawberry

from domain.checkout import CheckoutStatus, PaymentStatus, RefundStatus
from resolvers.pagination import SortKey
from schema.checkout import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.execution.relations import Lazy, children, to_one
from schema.money import DEFAULT_CURRENCY, Money
from schema.node import Node

_ORDER = Lazy("Order", "schema.orders.types")


@strawberry.type(description="One attempt at paying an order: a Stripe Checkout Session.")
class CheckoutSession(Node):
    pk: strawberry.Private[uuid.UUID]
    attempt: int = strawberry.field(description="1 for the first, one more per resumeCheckout.")
    status: CheckoutStatus = strawberry.field(description="Where the attempt is.")
    stripe_session_id: str | None = strawberry.field(description="Stripe's id (cs_…).")
    url: str | None = strawberry.field(
        description="Where the customer pays (Stripe's hosted page); null until Stripe answered."
    )
    error_message: str | None = strawberry.field(
        description="Why Stripe could not create it (FAILED)."
    )
    completed_at: datetime | None = strawberry.field(description="When it was paid.")
    expired_at: datetime | None = strawberry.field(description="When it expired or was replaced.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    order_id: strawberry.Private[uuid.UUID]
    customer_id: strawberry.Private[uuid.UUID]
    requested_by: strawberry.Private[str | None]
    idempotency_key: strawberry.Private[str]
    amount_total: strawberry.Private[Decimal]
    currency: strawberry.Private[str]

    @strawberry.field(name="amountTotal", description="What the session charges.")
    def amount_total_money(self) -> Money:
        return Money(amount=self.amount_total, currency=self.currency)

    order = to_one(_ORDER, "order_id", description="The order it pays for.", required=True)


@strawberry.type(description="Money a customer paid for an order through Stripe.")
class CustomerPayment(Node):
    pk: strawberry.Private[uuid.UUID]
    status: PaymentStatus = strawberry.field(description="What became of it.")
    stripe_session_id: str = strawberry.field(description="The Checkout Session paid (cs_…).")
    payment_intent_id: str | None = strawberry.field(description="Stripe's payment intent.")
    hold_reason: str | None = strawberry.field(description="Why it was not applied (HELD).")
    paid_at: datetime = strawberry.field(description="When Stripe confirmed it.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    order_id: strawberry.Private[uuid.UUID]
    customer_id: strawberry.Private[uuid.UUID]
    checkout_session_id: strawberry.Private[uuid.UUID | None]
    amount: strawberry.Private[Decimal]
    amount_refunded: strawberry.Private[Decimal]
    currency: strawberry.Private[str]

    @strawberry.field(name="amount", description="What was paid.")
    def amount_money(self) -> Money:
        return Money(amount=self.amount, currency=self.currency)

    @strawberry.field(name="amountRefunded", description="What has been refunded of it.")
    def amount_refunded_money(self) -> Money:
        return Money(amount=self.amount_refunded, currency=self.currency)

    order = to_one(_ORDER, "order_id", description="The order it pays for.", required=True)

    refunds = children(
        Lazy("CustomerRefund", __name__),
        "payment_id",
        description="Its refunds, oldest first.",
        order=(SortKey("created_at"),),
    )


@strawberry.type(description="A refund of (part of) a customer payment.")
class CustomerRefund(Node):
    pk: strawberry.Private[uuid.UUID]
    status: RefundStatus = strawberry.field(description="Where it is.")
    reason: str = strawberry.field(description="Why it was refunded.")
    stripe_refund_id: str | None = strawberry.field(description="Stripe's id (re_…).")
    cancels_order: bool = strawberry.field(description="Whether the order was canceled with it.")
    confirmed_at: datetime | None = strawberry.field(
        description="When Stripe confirmed it (charge.refunded)."
    )
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    payment_id: strawberry.Private[uuid.UUID]
    order_id: strawberry.Private[uuid.UUID]
    customer_id: strawberry.Private[uuid.UUID]
    amount: strawberry.Private[Decimal]
    idempotency_key: strawberry.Private[str]

    @strawberry.field(name="amount", description="What is refunded (USD).")
    def amount_money(self) -> Money:
        return Money(amount=self.amount, currency=DEFAULT_CURRENCY)

    order = to_one(_ORDER, "order_id", description="The order refunded.", required=True)
