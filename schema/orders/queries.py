"""Order root query fields: the order and customer connections and lookups."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from resolvers import order_sources
from schema.lookups import lookup_node
from schema.orders.lists import CUSTOMERS, ORDERS
from schema.orders.types import Order
from schema.permissions import requires


@strawberry.type
class OrderQuery:
    orders = ORDERS.field(
        description="Orders, newest first unless ordered. A customer sees only its own."
    )

    @strawberry.field(
        description="One order by ID or by reference (exactly one of them); null when there "
        "is no such order you may see.",
        extensions=requires(Permission.VIEW_ORDERS),
    )
    async def order(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID | None, strawberry.argument(description="Its ID.")] = None,
        reference: Annotated[
            str | None, strawberry.argument(description="Its reference, e.g. ORD-2026-001.")
        ] = None,
    ) -> Order | None:
        return await lookup_node(
            info, Order, order_sources.ORDERS, {"id": id, "reference": reference}
        )

    customers = CUSTOMERS.field(
        description="Customers, by name unless ordered. A customer sees only itself."
    )
