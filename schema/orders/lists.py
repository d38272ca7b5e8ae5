"""Filter and ordering inputs of the order and customer lists."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from sqlalchemy import ColumnElement

from domain.orders import OrderPriority, OrderStatus
from resolvers import order_sources
from resolvers.pagination import SortKey
from schema.connections import OrderDirection
from schema.lists import filter_id
from schema.orders import enums as _enums  # noqa: F401 - registers the enum descriptions

_DIRECTION = "Sort direction; ascending by default."


@strawberry.enum(description="Fields orders can be sorted by.")
class OrderOrderField(Enum):
    CREATED_AT = strawberry.enum_value("created_at", description="By creation time.")
    UPDATED_AT = strawberry.enum_value("updated_at", description="By last change.")
    REFERENCE = strawberry.enum_value("reference", description="By reference (ORD-YYYY-NNN).")
    STATUS = strawberry.enum_value("status", description="By raw status value.")
    PRIORITY = strawberry.enum_value("priority", description="By priority value.")
    TOTAL = strawberry.enum_value("total", description="By order total.")


@strawberry.input(description="One sort key for orders.")
class OrderOrder:
    field: OrderOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


# Newest first unless ordered.
ORDER_DEFAULT_ORDER = (SortKey("created_at", True),)


@strawberry.input(description="Narrows a list of orders. All given fields must match.")
class OrderFilter:
    statuses: list[OrderStatus] | None = strawberry.field(
        default=None, description="Only orders in one of these statuses."
    )
    priorities: list[OrderPriority] | None = strawberry.field(
        default=None, description="Only orders with one of these priorities."
    )
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only orders of this customer."
    )
    created_after: datetime | None = strawberry.field(
        default=None, description="Only orders created at or after this time."
    )
    created_before: datetime | None = strawberry.field(
        default=None, description="Only orders created before this time."
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the reference, e.g. 2026-00."
    )

    def conditions(self) -> list[ColumnElement[bool]]:
        return order_sources.order_conditions(
            statuses=self.statuses,
            priorities=self.priorities,
            customer_id=filter_id(self.customer_id, "Customer", "customerId"),
            created_after=self.created_after,
            created_before=self.created_before,
            search=self.search,
        )


@strawberry.enum(description="Fields customers can be sorted by.")
class CustomerOrderField(Enum):
    NAME = strawberry.enum_value("name", description="By name.")
    CREATED_AT = strawberry.enum_value("created_at", description="By creation time.")


@strawberry.input(description="One sort key for customers.")
class CustomerOrder:
    field: CustomerOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


CUSTOMER_DEFAULT_ORDER = (SortKey("name"),)


@strawberry.input(description="Narrows a list of customers. All given fields must match.")
class CustomerFilter:
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the name, email or company."
    )

    def conditions(self) -> list[ColumnElement[bool]]:
        return order_sources.customer_conditions(search=self.search)
