"""Who may do what: SPEC §4's matrix as data, one table of grants per role.

Every root field, mutation and guarded field names the `Permission` it needs; each domain
declares which roles hold its permissions, with which `Scope` (every record, or only the
viewer's own), in its domain module (`domain/<domain>.py`, `GRANTS`). This module puts those
rows together into one table per role, so later domains add rows there, not conditions in
resolvers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from domain import (
    api_keys,
    catalog,
    checkout,
    designs,
    finance,
    fulfillment,
    jobs,
    notifications,
    orders,
    procurement,
    routing,
)

# The names live in domain (a rule names what a step needs); this table interprets them.
from domain.permissions import ALL, SENSITIVE_GRANTS, Grants, Permission, Role, Scope

__all__ = ["ROLE_GRANTS", "Permission", "Role", "Scope", "grant"]

# Every domain's rows of the matrix; a new domain adds its GRANTS here.
DOMAIN_GRANTS: tuple[Grants, ...] = (
    catalog.GRANTS,
    api_keys.GRANTS,
    orders.GRANTS,
    jobs.GRANTS,
    routing.GRANTS,
    notifications.GRANTS,
    SENSITIVE_GRANTS,
    procurement.GRANTS,
    fulfillment.GRANTS,
    checkout.GRANTS,
    designs.GRANTS,
    finance.GRANTS,
)


def _role_tables(rows: Iterable[Grants]) -> dict[Role, dict[Permission, Scope]]:
    """Each role's table from the domains' rows. Superadmin and admin hold everything (admin
    is everything but user management, which has no permission yet); a permission no domain
    declares, or two declare, is a mistake found at start."""
    declared: dict[Permission, Mapping[Role, Scope]] = {}
    for domain_rows in rows:
        for permission, holders in domain_rows.items():
            if permission in declared:
                raise ValueError(f"{permission} is granted by two domains")
            declared[permission] = holders
    if missing := [p.name for p in Permission if p not in declared]:
        raise ValueError(f"no domain grants {missing}")
    tables: dict[Role, dict[Permission, Scope]] = {role: {} for role in Role}
    for permission in Permission:  # in the enum's order, as the viewer lists them
        for role in (Role.SUPERADMIN, Role.ADMIN):
            tables[role][permission] = ALL
        for role, scope in declared[permission].items():
            tables[role][permission] = scope
    return tables


# `customer` sees and drafts its own orders only; `partner` sees no data yet (its runs
# arrive with [000]).
ROLE_GRANTS: Mapping[Role, Mapping[Permission, Scope]] = _role_tables(DOMAIN_GRANTS)


# Roles that may run only approved operations (trusted documents, API.md "Persisted
# queries"); anything else they send is PERSISTED_QUERY_REQUIRED.
TRUSTED_DOCUMENTS_ONLY: frozenset[Role] = frozenset({Role.PARTNER})


def grant(role: Role | None, permission: Permission) -> Scope | None:
    """The scope of `permission` for `role`, or None when the role does not hold it."""
    if role is None:
        return None
    return ROLE_GRANTS[role].get(permission)
