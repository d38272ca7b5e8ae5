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


ALL, OWN = Scope.ALL, Scope.OWN

_EVERYTHING: Mapping[Permission, Scope] = {permission: ALL for permission in Permission}

# SPEC §4, with the Rec role map: readonly holds every read except the sensitive fields the
# issue reserves (cost: superadmin/admin/ops/finance; bank: admin/finance); `customer` and
# `partner` see no catalog data (their own orders and runs arrive with those domains).
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
    },
    Role.SALES: {
        Permission.VIEW_FAMILIES: ALL,
        Permission.VIEW_PRODUCTS: ALL,
    },
    Role.FINANCE: {
        Permission.VIEW_FAMILIES: ALL,
        Permission.VIEW_PRODUCTS: ALL,
        Permission.VIEW_COSTS: ALL,
        Permission.VIEW_BANK_DETAILS: ALL,
        Permission.VIEW_MANUFACTURERS: ALL,
        Permission.VIEW_PAYMENT_TERMS: ALL,
    },
    Role.MANUFACTURER: {
        # "View own profile", "Update own capabilities"; its own terms are part of its profile.
        Permission.VIEW_MANUFACTURERS: OWN,
        Permission.UPDATE_CAPABILITIES: OWN,
        Permission.VIEW_PAYMENT_TERMS: OWN,
    },
    Role.CUSTOMER: {},
    Role.PARTNER: {},
    Role.READONLY: {
        Permission.VIEW_FAMILIES: ALL,
        Permission.VIEW_PRODUCTS: ALL,
        Permission.VIEW_MANUFACTURERS: ALL,
        Permission.VIEW_PAYMENT_TERMS: ALL,
    },
}


def grant(role: Role | None, permission: Permission) -> Scope | None:
    """The scope of `permission` for `role`, or None when the role does not hold it."""
    if role is None:
        return None
    return ROLE_GRANTS[role].get(permission)
