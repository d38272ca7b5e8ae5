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
from db.models.files import StoredFile
from db.models.finance import (
    Invoice,
    InvoiceAlert,
    InvoiceItem,
    Payment,
    PaymentAllocation,
)
from db.models.jobs import JobIssue, JobItem, JobNote, JobPhoto, ManufacturingJob
from db.models.notifications import Notification
from db.models.orders import Customer, FulfillmentEvent, Order, OrderItem
from db.models.routing import RoutingDecision
from db.models.workflow import ReferenceSequence, StatusChange

__all__ = [
    "ApiKey",
    "AuditLog",
    "Category",
    "ChangeChannel",
    "ChangeCursor",
    "ChangeRecord",
    "Customer",
    "FulfillmentEvent",
    "Invoice",
    "InvoiceAlert",
    "InvoiceItem",
    "JobIssue",
    "JobItem",
    "JobNote",
    "JobPhoto",
    "Manufacturer",
    "ManufacturingJob",
    "Notification",
    "Order",
    "OrderItem",
    "Payment",
    "PaymentAllocation",
    "Product",
    "ProductFamily",
    "ProductFamilyManufacturer",
    "ReferenceSequence",
    "RoutingDecision",
    "StatusChange",
    "StoredFile",
    "Variant",
]
