"""What happens in checkout (issue 29) that other domains react to: the orders domain moves
a paid draft to submitted, holds an order whose payment does not match, and shows lapsed
checkouts and refunds on the timeline; checkout reacts to a production order being placed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from auth.actor import Actor
from db.models import Order
from resolvers.domain_events import DomainEvent


@dataclass(frozen=True)
class ProductionOrderPlaced(DomainEvent):
    """createProductionOrder made a draft (orders): checkout records its first attempt."""

    order: Order
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class CheckoutEvent(DomainEvent):
    order_id: uuid.UUID
    actor: Actor  # the system, on behalf of the webhook request
    at: datetime


@dataclass(frozen=True)
class CheckoutPaid(CheckoutEvent):
    """Stripe confirmed payment of the order's full total (orders: draft → submitted with
    the "Queued" event, in the webhook's transaction)."""

    amount: Decimal
    stripe_session_id: str


@dataclass(frozen=True)
class CheckoutPaymentHeld(CheckoutEvent):
    """Money arrived that cannot be applied (the amount differs from the order's total, or
    the order is no longer a draft): orders hold the order for ops."""

    amount: Decimal
    reason: str


@dataclass(frozen=True)
class CheckoutLapsed(CheckoutEvent):
    """A checkout session expired or its delayed payment failed; the draft stays payable."""

    message: str


@dataclass(frozen=True)
class PaymentRefunded(CheckoutEvent):
    """Stripe confirmed refunds (`charge.refunded`): orders show it on the timeline."""

    amount: Decimal


@dataclass(frozen=True)
class RefundRequested(DomainEvent):
    """Ops refund a payment (refundOrder); with `cancel`, orders cancel the order in the same
    transaction (a paid order is canceled only this way), or refuse and nothing happens."""

    order_id: uuid.UUID
    actor: Actor
    at: datetime
    amount: Decimal
    cancel: bool
    reason: str
