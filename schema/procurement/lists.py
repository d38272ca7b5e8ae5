"""The procurement lists: their filter inputs, sort keys and defaults."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.procurement import PaymentStatus, PurchaseOrderStatus, SupplierStatus
from resolvers.ids import InvalidGlobalId, decode_id
from resolvers.pagination import SortKey
from resolvers.procurement import sources
from schema.errors import bad_user_input
from schema.inputs import optional
from schema.lists import ListOf, filter_values, order_input
from schema.procurement import enums as _enums  # noqa: F401 - registers the enum descriptions

_TYPES = "schema.procurement.types"

SupplierOrder = order_input(
    "Supplier",
    "suppliers",
    name="By name.",
    code="By code.",
    status="By status value.",
    created_at="By creation time.",
)


@strawberry.input(description="Narrows a list of suppliers. All given fields must match.")
class SupplierFilter:
    statuses: list[SupplierStatus] | None = optional("Only suppliers in one of these statuses.")
    search: str | None = optional("Case-insensitive substring of the name or code.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.supplier_conditions(**filter_values(self))


PriceListOrder = order_input(
    "SupplierPriceList",
    "price lists",
    effective_date="By effective date.",
    unit_cost="By unit cost.",
    created_at="By creation time.",
)


@strawberry.input(description="Narrows a list of price lists. All given fields must match.")
class SupplierPriceListFilter:
    supplier_id: strawberry.ID | None = optional("Only this supplier's.")
    product_id: strawberry.ID | None = optional("Only for this product.")
    is_active: bool | None = optional("Only active (true) or inactive (false) ones.")
    effective_at: datetime | None = optional(
        "Only those in effect at this moment (BR-43: active, effective, not expired)."
    )

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.price_list_conditions(
            **filter_values(self, supplier_id="Supplier", product_id="Product")
        )


PurchaseOrderOrder = order_input(
    "PurchaseOrder",
    "purchase orders",
    created_at="By creation time.",
    ordered_at="By submit time.",
    expected_at="By expected arrival.",
    po_number="By PO number.",
    total="By total.",
)


@strawberry.input(description="Narrows a list of purchase orders. All given fields must match.")
class PurchaseOrderFilter:
    supplier_id: strawberry.ID | None = optional("Only this supplier's.")
    statuses: list[PurchaseOrderStatus] | None = optional("Only in one of these statuses.")
    payment_statuses: list[PaymentStatus] | None = optional(
        "Only with one of these payment statuses."
    )
    ordered_after: datetime | None = optional("Only submitted at or after this time.")
    ordered_before: datetime | None = optional("Only submitted before this time.")
    expected_after: datetime | None = optional("Only expected at or after this time.")
    expected_before: datetime | None = optional("Only expected before this time.")
    overdue: bool | None = optional("Only overdue (true) or not overdue (false) orders.")
    search: str | None = optional("Case-insensitive substring of the PO number or reference.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.purchase_order_conditions(
            **filter_values(self, supplier_id="Supplier"), now=datetime.now(UTC)
        )


@strawberry.input(description="Narrows the audit log. All given fields must match.")
class AuditLogFilter:
    entity_type: str | None = optional('Only entries about this type, e.g. "PurchaseOrder".')
    entity_id: strawberry.ID | None = optional("Only entries about this record (its ID).")
    actor: str | None = optional("Only entries by this actor (token subject or key id).")
    from_: datetime | None = strawberry.field(
        default=None, name="from", description="Only entries at or after this time."
    )
    to: datetime | None = optional("Only entries before this time.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.audit_conditions(
            entity_type=self.entity_type,
            entity_id=_record_pk(self.entity_id),
            actor=self.actor,
            since=self.from_,
            until=self.to,
        )


def _record_pk(global_id: strawberry.ID | None) -> uuid.UUID | None:
    """Any audited record's ID (its type is whatever the ID says)."""
    if global_id is None:
        return None
    try:
        return decode_id(global_id)[1]
    except InvalidGlobalId as exc:
        raise bad_user_input(f"filter.entityId: {exc}") from exc


SUPPLIERS = ListOf(
    "Supplier",
    _TYPES,
    sources.SUPPLIERS,
    default_order=(SortKey("name"),),
    filter=SupplierFilter,
    order=SupplierOrder,
    permission=Permission.VIEW_PROCUREMENT,
)
PRICE_LISTS = ListOf(
    "SupplierPriceList",
    _TYPES,
    sources.PRICE_LISTS,
    default_order=(SortKey("effective_date", True),),
    filter=SupplierPriceListFilter,
    order=PriceListOrder,
    permission=Permission.VIEW_PROCUREMENT,
)
PURCHASE_ORDERS = ListOf(
    "PurchaseOrder",
    _TYPES,
    sources.PURCHASE_ORDERS,
    default_order=(SortKey("created_at", True),),
    filter=PurchaseOrderFilter,
    order=PurchaseOrderOrder,
    permission=Permission.VIEW_PROCUREMENT,
)
AUDIT_LOG = ListOf(
    "AuditEntry",
    _TYPES,
    sources.PROCUREMENT_AUDIT,
    default_order=(SortKey("occurred_at", True),),
    filter=AuditLogFilter,
    permission=Permission.VIEW_PROCUREMENT,
)
