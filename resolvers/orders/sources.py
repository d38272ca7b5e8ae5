"""What the order lists and loaders read from, and how their filters become SQL.

`ORDER_ITEMS` carries its order's `customer_id`, so a customer's grant (own records only)
can filter line items like orders (schema.node's Owner mechanism reads that column).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, FromClause, exists, func, select

from db.models import Customer, CustomerPayment, FulfillmentEvent, Order, OrderItem, OrderNote
from domain.orders import OrderPriority, OrderStatus
from resolvers.filters import equal, one_of

ORDERS: FromClause = Order.__table__
CUSTOMERS: FromClause = Customer.__table__
FULFILLMENT_EVENTS: FromClause = FulfillmentEvent.__table__
ORDER_NOTES: FromClause = OrderNote.__table__


def _items_with_customer() -> FromClause:
    items = OrderItem.__table__
    orders = Order.__table__
    return (
        select(items, orders.c.customer_id)
        .select_from(items.join(orders, orders.c.id == items.c.order_id))
        .subquery("order_items_with_customer")
    )


ORDER_ITEMS: FromClause = _items_with_customer()


def order_conditions(
    *,
    statuses: Sequence[OrderStatus] | None = None,
    priorities: Sequence[OrderPriority] | None = None,
    customer_id: uuid.UUID | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    search: str | None = None,
    paid: bool | None = None,
) -> list[ColumnElement[bool]]:
    t = ORDERS.c
    conditions = [
        *one_of(t.status, [s.value for s in statuses or ()]),
        *one_of(t.priority, [p.value for p in priorities or ()]),
        *equal((t.customer_id, customer_id)),
    ]
    if created_after is not None:
        conditions.append(t.created_at >= created_after)
    if created_before is not None:
        conditions.append(t.created_at < created_before)
    if search:
        conditions.append(func.lower(t.reference).like(f"%{search.strip().lower()}%"))
    if paid is not None:
        # Paid: a customer payment (checkout's table, read not imported) was received for it.
        payment = exists().where(CustomerPayment.order_id == t.id)
        conditions.append(payment if paid else ~payment)
    return conditions


def customer_conditions(*, search: str | None = None) -> list[ColumnElement[bool]]:
    t = CUSTOMERS.c
    if not search:
        return []
    pattern = f"%{search.lower()}%"
    return [
        func.lower(t.name).like(pattern)
        | func.lower(func.coalesce(t.email, "")).like(pattern)
        | func.lower(func.coalesce(t.company, "")).like(pattern)
    ]
