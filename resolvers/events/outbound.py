"""What happens to an outbound shipment that other domains react to (the order shows its
tracking, is fulfilled when every package is delivered)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from auth.actor import Actor
from db.models import OutboundShipment
from resolvers.domain_events import DomainEvent


@dataclass(frozen=True)
class OutboundEvent(DomainEvent):
    shipment: OutboundShipment
    order_id: uuid.UUID
    actor: Actor  # who caused it (reactions act as the system on their behalf)
    at: datetime


@dataclass(frozen=True)
class OutboundShipped(OutboundEvent):
    """PACKED → SHIPPED with carrier and tracking. `order_shipped`: every package of the
    order has now left (BR-22 "shipped only when every package has shipped")."""

    order_shipped: bool
    packages: int


@dataclass(frozen=True)
class OutboundDelivered(OutboundEvent):
    """→ DELIVERED. `order_delivered`: every package of the order is now delivered and
    every line of the order is in one of them (the order can be fulfilled)."""

    order_delivered: bool
