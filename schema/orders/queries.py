"""Order root query fields: the order and customer connections and lookups."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from resolvers import order_sources
from schema.connections import (
    After,
    Before,
    Connection,
    First,
    Last,
    Window,
    resolve_connection,
    sort_keys,
)
from schema.lookups import lookup_node
from schema.orders.lists import (
    CUSTOMER_DEFAULT_ORDER,
    ORDER_DEFAULT_ORDER,
    CustomerFilter,
    CustomerOrder,
    OrderFilter,
    OrderOrder,
)
from schema.orders.types import Customer, Order
from schema.permissions import requires

OrderArg = strawberry.argument(description="Sort keys, in order; ties are broken by ID.")
FilterArg = strawberry.argument(description="Only items matching every given field.")


@strawberry.type
class OrderQuery:
    @strawberry.field(
        description="Orders, newest first unless ordered. A customer sees only its own.",
        extensions=requires(Permission.VIEW_ORDERS),
    )
    async def orders(
        self,
        info: Info[Any, Any],
        filter: Annotated[OrderFilter | None, FilterArg] = None,
        order_by: Annotated[list[OrderOrder] | None, OrderArg] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Order]:
        return await resolve_connection(
            info,
            Order,
            order_sources.ORDERS,
            window=Window(first, after, last, before),
            order=sort_keys(order_by, ORDER_DEFAULT_ORDER),
            conditions=filter.conditions() if filter else [],
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

    @strawberry.field(
        description="Customers, by name unless ordered. A customer sees only itself.",
        extensions=requires(Permission.VIEW_ORDERS),
    )
    async def customers(
        self,
        info: Info[Any, Any],
        filter: Annotated[CustomerFilter | None, FilterArg] = None,
        order_by: Annotated[list[CustomerOrder] | None, OrderArg] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Customer]:
        return await resolve_connection(
            info,
            Customer,
            order_sources.CUSTOMERS,
            window=Window(first, after, last, before),
            order=sort_keys(order_by, CUSTOMER_DEFAULT_ORDER),
            conditions=filter.conditions() if filter else [],
        )
