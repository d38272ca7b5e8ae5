"""Procurement root query fields: suppliers, price lists, purchase orders, the effective
price and the procurement audit log."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from resolvers.procurement import sources
from schema.context import request_context
from schema.lists import filter_id
from schema.lookups import lookup_field
from schema.node import expose
from schema.permissions import requires
from schema.procurement.coas import CoaQuery
from schema.procurement.lists import AUDIT_LOG, PRICE_LISTS, PURCHASE_ORDERS, SUPPLIERS
from schema.procurement.types import (
    Lot,
    ProcurementDashboard,
    PurchaseOrder,
    Supplier,
    SupplierPriceList,
)


@strawberry.type
class ProcurementQuery(CoaQuery):
    suppliers = SUPPLIERS.field(description="Suppliers, by name unless ordered.")

    supplier = lookup_field(
        Supplier,
        sources.SUPPLIERS,
        Permission.VIEW_PROCUREMENT,
        "One supplier by ID or by code (exactly one); null when there is none you may see.",
        id="Its ID.",
        code="Its code, e.g. PP.",
    )

    supplier_price_lists = PRICE_LISTS.field(
        description="Supplier price lists, newest effective date first unless ordered."
    )

    purchase_orders = PURCHASE_ORDERS.field(
        description="Purchase orders, newest first unless ordered."
    )

    purchase_order = lookup_field(
        PurchaseOrder,
        sources.PURCHASE_ORDERS,
        Permission.VIEW_PROCUREMENT,
        "One purchase order by ID or by PO number (exactly one); null when there is none "
        "you may see.",
        id="Its ID.",
        po_number="Its PO number, e.g. PO-2026-0042.",
    )

    lot = lookup_field(
        Lot,
        sources.LOTS,
        Permission.VIEW_PROCUREMENT,
        "One lot by ID or by lot number (exactly one); null when there is none you may see.",
        id="Its ID.",
        lot_number="Its number, e.g. BPC157-PP260315-01.",
    )

    @strawberry.field(
        description="The price list in effect for a supplier and product at a moment (BR-43: "
        "active, effective, not expired; the latest effective one when several are); null "
        "when none is.",
        extensions=requires(Permission.VIEW_PROCUREMENT),
    )
    async def effective_price(
        self,
        info: Info[Any, Any],
        supplier_id: Annotated[strawberry.ID, strawberry.argument(description="The supplier.")],
        product_id: Annotated[strawberry.ID, strawberry.argument(description="The product.")],
        at: Annotated[
            datetime | None,
            strawberry.argument(description="The moment to price at (default now)."),
        ] = None,
    ) -> SupplierPriceList | None:
        statement = sources.effective_price_query(
            _pk(supplier_id, "Supplier", "supplierId"),
            _pk(product_id, "Product", "productId"),
            at or datetime.now(UTC),
        )
        rows = await request_context(info).reader.fetch(statement)
        return expose(info, SupplierPriceList, rows[0] if rows else None)

    @strawberry.field(
        description="The procurement dashboard: open and in-transit POs with the overdue "
        "ones, lots awaiting QC, low stock.",
        extensions=requires(Permission.VIEW_PROCUREMENT),
    )
    def procurement_dashboard(self) -> ProcurementDashboard:
        return ProcurementDashboard(now=datetime.now(UTC))

    audit_log = AUDIT_LOG.field(
        description="Audit entries of procurement records (suppliers, price lists, purchase "
        "orders, payments), newest first."
    )


def _pk(value: strawberry.ID, type_name: str, argument: str) -> uuid.UUID:
    """A required ID argument's key (BAD_USER_INPUT when it is not one of `type_name`)."""
    pk = filter_id(value, type_name, argument)
    assert pk is not None  # the argument is non-null
    return pk
