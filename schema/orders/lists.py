"""The order and customer lists: their filter inputs, sort keys and defaults."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.orders import OrderPriority, OrderStatus
from resolvers.orders import sources as order_sources
from resolvers.pagination import SortKey
from schema.inputs import optional
from schema.lists import ListOf, filter_values, order_input
from schema.orders import enums as _enums  # noqa: F401 - registers the enum descriptions

OrderOrder = order_input(
    "Order",
    "orders",
    created_at="By creation time.",
    updated_at="By last change.",
    reference="By reference (ORD-YYYY-NNN).",
    status="By raw status value.",
    priority="By priority value.",
    total="By order total.",
)


@strawberry.input(description="Narrows a list of orders. All given fields must match.")
class OrderFilter:
    statuses: list[OrderStatus] | None = optional("Only orders in one of these statuses.")
    priorities: list[OrderPriority] | None = optional("Only orders with one of these priorities.")
    customer_id: strawberry.ID | None = optional("Only orders of this customer.")
    created_after: datetime | None = optional("Only orders created at or after this time.")
    created_before: datetime | None = optional("Only orders created before this time.")
    search: str | None = optional("Case-insensitive substring of the reference, e.g. 2026-00.")
    paid: bool | None = optional(
        "true: only orders a customer payment was received for (Stripe); false: only unpaid."
    )

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return order_sources.order_conditions(**filter_values(self, customer_id="Customer"))


CustomerOrder = order_input(
    "Customer",
    "customers",
    name="By name.",
    created_at="By creation time.",
)


@strawberry.input(description="Narrows a list of customers. All given fields must match.")
class CustomerFilter:
    search: str | None = optional("Case-insensitive substring of the name, email or company.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return order_sources.customer_conditions(**filter_values(self))


_TYPES = "schema.orders.types"

ORDERS = ListOf(
    "Order",
    _TYPES,
    order_sources.ORDERS,
    default_order=(SortKey("created_at", True),),  # newest first
    filter=OrderFilter,
    order=OrderOrder,
    permission=Permission.VIEW_ORDERS,
)
CUSTOMERS = ListOf(
    "Customer",
    _TYPES,
    order_sources.CUSTOMERS,
    default_order=(SortKey("name"),),
    filter=CustomerFilter,
    order=CustomerOrder,
    permission=Permission.VIEW_ORDERS,
)
