"""Who may do what: SPEC §4's matrix as data, one table of grants per role.

Every root field, mutation and guarded field names the `Permission` it needs; this table is
the only place that says which roles hold it. A grant's `Scope` says whether it covers every
record or only the viewer's own (a manufacturer's own profile, later its own jobs, a
customer's own orders). Later domains add permissions and rows here, not conditions in
resolvers.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum


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


class Permission(StrEnum):
    # Product families (SPEC §4 "Product families")
    VIEW_FAMILIES = "families:read"
    EDIT_FAMILIES = "families:write"
    ASSIGN_MANUFACTURERS = "families:assign_manufacturers"
    # Catalog: categories, products, variants
    VIEW_PRODUCTS = "catalog:read"
    EDIT_PRODUCTS = "catalog:write"
    ASSIGN_TO_FAMILIES = "catalog:assign_families"
    # Sensitive fields: cost data and family pricing; bank and tax data.
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


ALL, OWN = Scope.ALL, Scope.OWN

_EVERYTHING: Mapping[Permission, Scope] = {permission: ALL for permission in Permission}

# SPEC §4, with the Rec role map: readonly holds every read except the sensitive fields the
# issue reserves (cost: superadmin/admin/ops/finance; bank: admin/finance); `customer` sees
# and drafts its own orders only; `partner` sees no data yet (its runs arrive with [000]).
# Orders: "order PATCH is ops-only" ([001]), so submitting, approving, priorities and bulk
# changes are MANAGE_ORDERS (admin, ops). Jobs: "View all jobs = A O F · ◐ S" (sales reads
# jobs; their cost fields stay behind VIEW_COSTS), "View own mfr jobs = A O M", "Update job
# status = A O · ◐ M", "Create jobs = A O" (routing, assignment).
ROLE_GRANTS: Mapping[Role, Mapping[Permission, Scope]] = {
    Role.SUPERADMIN: _EVERYTHING,
    # Admin is everything but user management, which has no permission yet.
    Role.ADMIN: _EVERYTHING,
    Role.OPS: {
        Permission.VIEW_FAMILIES: ALL,
        Permission.ASSIGN_MANUFACTURERS: ALL,
        Permission.VIEW_PRODUCTS: ALL,
        Permission.EDIT_PRODUCTS: ALL,
        Permission.ASSIGN_TO_FAMILIES: ALL,
        Permission.VIEW_COSTS: ALL,
        Permission.VIEW_MANUFACTURERS: ALL,
        Permission.VIEW_PAYMENT_TERMS: ALL,
        Permission.VIEW_ORDERS: ALL,
        Permission.EDIT_ORDERS: ALL,
        Permission.MANAGE_ORDERS: ALL,
        Permission.VIEW_JOBS: ALL,
        Permission.WORK_ON_JOBS: ALL,
        Permission.ASSIGN_JOBS: ALL,
        Permission.VIEW_ROUTING: ALL,
        Permission.VIEW_NOTIFICATIONS: ALL,
    },
    Role.SALES: {
        Permission.VIEW_FAMILIES: ALL,
        Permission.VIEW_PRODUCTS: ALL,
        Permission.VIEW_ORDERS: ALL,
        Permission.VIEW_JOBS: ALL,
    },
    Role.FINANCE: {
        Permission.VIEW_FAMILIES: ALL,
        Permission.VIEW_PRODUCTS: ALL,
        Permission.VIEW_COSTS: ALL,
        Permission.VIEW_BANK_DETAILS: ALL,
        Permission.VIEW_MANUFACTURERS: ALL,
        Permission.VIEW_PAYMENT_TERMS: ALL,
        Permission.VIEW_ORDERS: ALL,
        Permission.VIEW_JOBS: ALL,
        Permission.VIEW_ROUTING: ALL,
    },
    Role.MANUFACTURER: {
        # "View own profile", "Update own capabilities"; its own terms are part of its profile.
        Permission.VIEW_MANUFACTURERS: OWN,
        Permission.UPDATE_CAPABILITIES: OWN,
        Permission.VIEW_PAYMENT_TERMS: OWN,
        # "Manufacturers see only their own jobs" and move them along their allowed moves.
        Permission.VIEW_JOBS: OWN,
        Permission.WORK_ON_JOBS: OWN,
        Permission.VIEW_NOTIFICATIONS: OWN,
    },
    Role.CUSTOMER: {
        Permission.VIEW_ORDERS: OWN,
        Permission.EDIT_ORDERS: OWN,
    },
    Role.PARTNER: {},
    Role.READONLY: {
        Permission.VIEW_FAMILIES: ALL,
        Permission.VIEW_PRODUCTS: ALL,
        Permission.VIEW_MANUFACTURERS: ALL,
        Permission.VIEW_PAYMENT_TERMS: ALL,
        Permission.VIEW_ORDERS: ALL,
        Permission.VIEW_JOBS: ALL,
        Permission.VIEW_ROUTING: ALL,
    },
}


# Roles that may run only approved operations (trusted documents, API.md "Persisted
# queries"); anything else they send is PERSISTED_QUERY_REQUIRED.
TRUSTED_DOCUMENTS_ONLY: frozenset[Role] = frozenset({Role.PARTNER})


def grant(role: Role | None, permission: Permission) -> Scope | None:
    """The scope of `permission` for `role`, or None when the role does not hold it."""
    if role is None:
        return None
    return ROLE_GRANTS[role].get(permission)
