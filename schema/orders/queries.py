"""Order root query fields: the order and customer connections and lookups."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from resolvers.orders import sources as order_sources
from schema.lookups import lookup_field
from schema.orders.lists import CUSTOMERS, ORDERS
from schema.orders.types import Order


@strawberry.type
class OrderQuery:
    orders = ORDERS.field(
        description="Orders, newest first unless ordered. A customer sees only its own."
    )

    order = lookup_field(
        Order,
        order_sources.ORDERS,
        Permission.VIEW_ORDERS,
        "One order by ID or by reference (exactly one of them); null when there "
        "is no such order you may see.",
        id="Its ID.",
        reference="Its reference, e.g. ORD-2026-001.",
    )

    customers = CUSTOMERS.field(
        description="Customers, by name unless ordered. A customer sees only itself."
    )
