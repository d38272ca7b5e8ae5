"""The permissions a caller may hold, by name: what a rule says a step needs (domain.workflow),
the roles, and how a domain says which roles hold its permissions.

The names are one vocabulary (the graph's `Permission` enum is one type), grouped by the
domain that owns them; each domain declares who holds its own in its domain module
(`GRANTS = grants({...})`, rows of SPEC §4's matrix), and auth.permissions puts the rows
together into each role's table.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum


class Permission(StrEnum):
    # Product families (SPEC §4 "Product families")
    VIEW_FAMILIES = "families:read"
    EDIT_FAMILIES = "families:write"
    ASSIGN_MANUFACTURERS = "families:assign_manufacturers"
    # Catalog: categories, products, variants
    VIEW_PRODUCTS = "catalog:read"
    EDIT_PRODUCTS = "catalog:write"
    ASSIGN_TO_FAMILIES = "catalog:assign_families"
    # Sensitive fields every domain may carry: cost data and family pricing; bank and tax
    # data. Their grants are SENSITIVE_GRANTS, below.
    VIEW_COSTS = "costs:read"
    VIEW_BANK_DETAILS = "bank:read"
    # Manufacturer management
    VIEW_MANUFACTURERS = "manufacturers:read"
    EDIT_MANUFACTURERS = "manufacturers:write"
    UPDATE_CAPABILITIES = "manufacturers:capabilities"
    VIEW_PAYMENT_TERMS = "terms:read"
    # Partner API keys
    MANAGE_API_KEYS = "api_keys:write"
    # Orders (SPEC §4 Ownership: "customers see their own orders; ops see all orders")
    VIEW_ORDERS = "orders:read"
    EDIT_ORDERS = "orders:write"
    MANAGE_ORDERS = "orders:manage"
    # Manufacturing ("View all jobs", "View own mfr jobs", "Update job status", "Create jobs")
    VIEW_JOBS = "jobs:read"
    WORK_ON_JOBS = "jobs:write"
    ASSIGN_JOBS = "jobs:assign"
    VIEW_ROUTING = "routing:read"
    VIEW_NOTIFICATIONS = "notifications:read"
    # Procurement: suppliers, price lists, purchase orders and their payments (issue 27)
    VIEW_PROCUREMENT = "procurement:read"
    MANAGE_PROCUREMENT = "procurement:write"
    RECORD_PO_PAYMENTS = "procurement:payments"
    QUARANTINE_LOTS = "procurement:quarantine"
    # 3PL (SPEC §4 "3PL"): fulfillment centers, inbound and QC, inventory, outbound
    VIEW_FULFILLMENT_CENTERS = "fulfillment_centers:read"
    MANAGE_FULFILLMENT_CENTERS = "fulfillment_centers:write"
    VIEW_INBOUND = "inbound:read"
    PERFORM_QC = "qc:write"
    MANAGE_INBOUND = "inbound:write"
    VIEW_INVENTORY = "inventory:read"
    MOVE_INVENTORY = "inventory:write"
    APPROVE_ADJUSTMENTS = "inventory:approve"
    VIEW_OUTBOUND = "outbound:read"
    MANAGE_OUTBOUND = "outbound:write"
    # Checkout (issue 29): paying for orders with Stripe, customer payments, refunds
    PAY_ORDERS = "checkout:write"
    VIEW_CUSTOMER_PAYMENTS = "customer_payments:read"
    REFUND_CUSTOMER_PAYMENTS = "customer_payments:refund"
    # Designs (issue 29): what customers send to production
    VIEW_DESIGNS = "designs:read"
    EDIT_DESIGNS = "designs:write"
    # Finance: manufacturer invoices, payments, reports (SPEC §4 "Record payments = A F")
    VIEW_INVOICES = "invoices:read"
    EDIT_INVOICES = "invoices:write"
    APPROVE_INVOICES = "invoices:approve"
    VIEW_PAYMENTS = "payments:read"
    RECORD_PAYMENTS = "payments:write"
    VIEW_FINANCIAL_REPORTS = "finance_reports:read"
    # A job's actual cost (SPEC §4 "Enter actual costs = A O M", §9 #14: own actual_cost only)
    ENTER_ACTUAL_COSTS = "actual_costs:write"
    VIEW_ACTUAL_COSTS = "actual_costs:read"


class Role(StrEnum):
    SUPERADMIN = "superadmin"
    ADMIN = "admin"
    OPS = "ops"
    SALES = "sales"
    FINANCE = "finance"
    MANUFACTURER = "manufacturer"
    CUSTOMER = "customer"
    PARTNER = "partner"
    READONLY = "readonly"


class Scope(Enum):
    ALL = "all"
    OWN = "own"


ALL, OWN = Scope.ALL, Scope.OWN

# Who holds each permission besides superadmin and admin (who hold every one), and with
# which scope: a row of SPEC §4's matrix per permission.
Grants = Mapping[Permission, Mapping[Role, Scope]]


def grants(rows: Grants) -> Grants:
    """A domain's rows of the matrix; a role cannot be given admin's all-records power here
    by accident, since superadmin and admin are granted everything by auth.permissions."""
    for permission, holders in rows.items():
        if holders.keys() & {Role.SUPERADMIN, Role.ADMIN}:
            raise ValueError(f"{permission}: superadmin and admin hold every permission already")
    return rows


# Every staff role reads it: ops, sales, finance and readonly (with superadmin and admin).
STAFF_READ: Mapping[Role, Scope] = {
    Role.OPS: ALL,
    Role.SALES: ALL,
    Role.FINANCE: ALL,
    Role.READONLY: ALL,
}

# Cost data: "superadmin/admin/ops/finance"; bank and tax data: admin and finance.
SENSITIVE_GRANTS = grants(
    {
        Permission.VIEW_COSTS: {Role.OPS: ALL, Role.FINANCE: ALL},
        Permission.VIEW_BANK_DETAILS: {Role.FINANCE: ALL},
    }
)
