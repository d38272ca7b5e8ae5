"""What happens in procurement that other domains react to: a purchase order submitted (the
3PL ledger raises `incoming`, BR-19, and expects its inbound shipment) or cancelled after
submit (it lowers it again and cancels the shipment), its goods received (the shipment is
received with them), and its lots' QC outcomes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from auth.actor import Actor
from db.models import Lot, PurchaseOrder, Supplier
from domain.fulfillment import PackageCondition
from domain.procurement import PurchaseOrderStatus, SupplierStatus
from resolvers.domain_events import DomainEvent


@dataclass(frozen=True)
class PurchaseOrderEvent(DomainEvent):
    purchase_order: PurchaseOrder
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class PurchaseOrderSubmitted(PurchaseOrderEvent):
    """draft → submitted: its lines are now on order (read them from purchase_order_lines)."""


@dataclass(frozen=True)
class PurchaseOrderCancelled(PurchaseOrderEvent):
    """→ cancelled. `previous` says whether it had been submitted (then its lines were on
    order and no longer are)."""

    previous: PurchaseOrderStatus


@dataclass(frozen=True)
class SupplierStatusChanged(DomainEvent):
    """SPEC §2.4 `supplier.status_changed`, after procurement's own cascade ran."""

    supplier: Supplier
    previous: SupplierStatus
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class LotEvent(DomainEvent):
    lot: Lot
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class LotPassedQc(LotEvent):
    """quarantined → active: its received units are stock (BR-19 "QC pass stocked + and
    incoming -")."""


@dataclass(frozen=True)
class LotRejected(LotEvent):
    """quarantined → rejected: its units will never be stock (BR-19 "QC fail incoming -")."""


@dataclass(frozen=True)
class LotWithdrawn(LotEvent):
    """active → recalled | expired: its stock leaves (BR-19 "recall/expiry stocked -", §9 #19:
    min(received quantity, on hand))."""


@dataclass(frozen=True)
class PurchaseOrderReceived(PurchaseOrderEvent):
    """Goods of the PO were received into lots (BR-41): the 3PL receives its inbound shipment
    with the same who/when, condition and temperature, and the units per PO line."""

    shipment_id: uuid.UUID | None  # the PO's inbound shipment, when there is one
    received_at: datetime
    package_condition: PackageCondition | None
    temperature_on_arrival: Decimal | None
    units_by_line: Mapping[uuid.UUID, int]
