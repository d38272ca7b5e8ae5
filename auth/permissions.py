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

# The names live in domain (a rule names what a step needs); this table interprets them.
from domain.permissions import Permission as Permission


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
