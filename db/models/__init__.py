"""All models, imported here so that `Base.metadata` is complete for Alembic."""

from db.models.api_keys import ApiKey
from db.models.audit import AuditLog
from db.models.catalog import (
    Category,
    Manufacturer,
    Product,
    ProductFamily,
    ProductFamilyManufacturer,
    Variant,
)
from db.models.changes import ChangeChannel, ChangeCursor, ChangeRecord
from db.models.checkout import (
    CheckoutSession,
    CustomerPayment,
    CustomerRefund,
    StripeWebhookEvent,
)
from db.models.coas import Coa, LotCoa
from db.models.designs import Design
from db.models.files import StoredFile
from db.models.finance import (
    CreditRefund,
    Invoice,
    InvoiceAlert,
    InvoiceItem,
    Payment,
    PaymentAllocation,
)
from db.models.fulfillment import (
    FulfillmentCenter,
    InboundIssue,
    InboundShipment,
    InboundShipmentItem,
    InventoryAdjustment,
    InventoryLevel,
    InventoryTransaction,
    OutboundShipment,
    OutboundShipmentItem,
    QcInspection,
    QcInspectionLine,
    QcPhoto,
)
from db.models.jobs import JobIssue, JobItem, JobNote, JobPhoto, ManufacturingJob
from db.models.notifications import Notification
from db.models.orders import Customer, FulfillmentEvent, Order, OrderItem, OrderNote
from db.models.procurement import (
    Lot,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderPayment,
    Supplier,
    SupplierPriceList,
)
from db.models.routing import RoutingDecision
from db.models.workflow import ReferenceSequence, StatusChange

__all__ = [
    "ApiKey",
    "AuditLog",
    "Category",
    "ChangeChannel",
    "ChangeCursor",
    "ChangeRecord",
    "CheckoutSession",
    "Coa",
    "CreditRefund",
    "Customer",
    "CustomerPayment",
    "CustomerRefund",
    "Design",
    "FulfillmentCenter",
    "FulfillmentEvent",
    "InboundIssue",
    "InboundShipment",
    "InboundShipmentItem",
    "InventoryAdjustment",
    "InventoryLevel",
    "InventoryTransaction",
    "Invoice",
    "InvoiceAlert",
    "InvoiceItem",
    "JobIssue",
    "JobItem",
    "JobNote",
    "JobPhoto",
    "Lot",
    "LotCoa",
    "Manufacturer",
    "ManufacturingJob",
    "Notification",
    "Order",
    "OrderItem",
    "OrderNote",
    "OutboundShipment",
    "OutboundShipmentItem",
    "Payment",
    "PaymentAllocation",
    "Product",
    "ProductFamily",
    "ProductFamilyManufacturer",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseOrderPayment",
    "QcInspection",
    "QcInspectionLine",
    "QcPhoto",
    "ReferenceSequence",
    "RoutingDecision",
    "StatusChange",
    "StoredFile",
    "StripeWebhookEvent",
    "Supplier",
    "SupplierPriceList",
    "Variant",
]
