"""What procurement adds to the graph (schema/domain.py): suppliers, price lists, purchase
orders with their lines and payments, and the procurement audit log. No record has an owner:
the roles' grants decide."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.procurement import sources
from schema.domain import GraphDomain, NodeType
from schema.procurement.mutations import ProcurementMutation
from schema.procurement.queries import ProcurementQuery
from schema.procurement.subscriptions import ProcurementSubscription
from schema.procurement.types import (
    AuditEntry,
    Lot,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderPayment,
    Supplier,
    SupplierPriceList,
)

PROCUREMENT = GraphDomain(
    name="procurement",
    query=ProcurementQuery,
    mutation=ProcurementMutation,
    subscription=ProcurementSubscription,
    nodes=(
        NodeType(Supplier, sources.SUPPLIERS, Permission.VIEW_PROCUREMENT),
        NodeType(SupplierPriceList, sources.PRICE_LISTS, Permission.VIEW_PROCUREMENT),
        NodeType(PurchaseOrder, sources.PURCHASE_ORDERS, Permission.VIEW_PROCUREMENT),
        NodeType(PurchaseOrderLine, sources.PURCHASE_ORDER_LINES, Permission.VIEW_PROCUREMENT),
        # Payments are cost data (issue 27 item 11): only cost readers see them.
        NodeType(PurchaseOrderPayment, sources.PURCHASE_ORDER_PAYMENTS, Permission.VIEW_COSTS),
        NodeType(AuditEntry, sources.PROCUREMENT_AUDIT, Permission.VIEW_PROCUREMENT),
        NodeType(Lot, sources.LOTS, Permission.VIEW_PROCUREMENT),
    ),
    # Lines of one PO, its payments (a few instalments) and histories.
    list_sizes={
        "PurchaseOrder.lines": 20,
        "PurchaseOrder.payments": 5,
        "PurchaseOrder.statusHistory": 10,
        "Supplier.statusHistory": 10,
        "PurchaseOrderPayment.statusHistory": 3,
        "PurchaseOrder.lots": 20,
        "PurchaseOrderLine.lots": 5,
        "Lot.statusHistory": 5,
        "ReceivePurchaseOrderPayload.lots": 20,
        "Lot.qcInspections": 5,
        "LotQcInspection.items": 50,
    },
)
