"""What happens to an order that other domains react to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auth.actor import Actor
from db.models import Order
from resolvers.domain_events import DomainEvent


@dataclass(frozen=True)
class OrderEvent(DomainEvent):
    order: Order
    actor: Actor  # who caused it (reactions act as the system on their behalf)
    at: datetime


@dataclass(frozen=True)
class OrderApproved(OrderEvent):
    """SUBMITTED → APPROVED (routing splits the order into jobs unless it is on HOLD)."""


@dataclass(frozen=True)
class OrderCanceled(OrderEvent):
    """→ CANCELED (jobs still NEW are withdrawn)."""


@dataclass(frozen=True)
class OrderHoldReleased(OrderEvent):
    """The order's priority left HOLD (routing catches up on an approved, unrouted order).
    Unlike the status events, this one acts as the caller, as `setOrderPriority` did."""
