"""The designs list: filter, sort keys, default order."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.designs import DesignStatus
from resolvers.designs import sources
from resolvers.pagination import SortKey
from schema.designs import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.inputs import optional
from schema.lists import ListOf, filter_values, order_input

DesignOrder = order_input("Design", "designs", created_at="By creation time.", title="By title.")


@strawberry.input(description="Narrows a list of designs. All given fields must match.")
class DesignFilter:
    statuses: list[DesignStatus] | None = optional("Only designs in one of these statuses.")
    customer_id: strawberry.ID | None = optional("Only designs of this customer.")
    search: str | None = optional("Case-insensitive substring of the title.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.design_conditions(**filter_values(self, customer_id="Customer"))


DESIGNS = ListOf(
    "Design",
    "schema.designs.types",
    sources.DESIGNS,
    default_order=(SortKey("created_at", True),),  # newest first
    filter=DesignFilter,
    order=DesignOrder,
    permission=Permission.VIEW_DESIGNS,
)
