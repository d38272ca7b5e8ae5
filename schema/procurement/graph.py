"""What procurement adds to the graph (schema/domain.py): suppliers, price lists, purchase
orders with their lines and payments, lots, COAs and the storefront read, vial labels, and
the procurement audit log. No record has an owner: the roles' grants decide."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.procurement import coa_sources, sources
from schema.catalog.types import Product
from schema.domain import Extension, GraphDomain, NodeType
from schema.procurement.coas import Coa
from schema.procurement.labels import LotLabelFields
from schema.procurement.mutations import ProcurementMutation
from schema.procurement.product_prices import ProductProcurementFields
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
        NodeType(Coa, coa_sources.COAS, Permission.VIEW_PROCUREMENT),
    ),
    # A product's supplier prices (issue 27 item 2) and a lot's vial label (seed 002 §10).
    extensions=(
        Extension(Product, ProductProcurementFields),
        Extension(Lot, LotLabelFields),
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
        "Product.supplierPrices": 5,
        # A COA's lots (one supplier batch), a lot's COAs (revisions), its tests and history;
        # the storefront's COAs of one product and each one's lots.
        "Coa.lots": 20,
        "Coa.purityRecords": 20,
        "Coa.statusHistory": 5,
        "Lot.coas": 5,
        "Query.storefrontCoas": 20,
        "StorefrontCoa.lots": 20,
        "StorefrontCoa.purityRecords": 20,
    },
)
