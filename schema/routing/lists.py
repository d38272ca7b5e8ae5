"""The routing history list: its filter input (and its SQL), sort keys, default."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.jobs import RoutedBy
from resolvers.pagination import SortKey
from resolvers.routing.sources import DECISIONS, decision_conditions
from schema.jobs import enums as _job_enums  # noqa: F401 - registers RoutedBy
from schema.lists import ListOf, filter_id

NEWEST_FIRST = (SortKey("decided_at", descending=True),)


@strawberry.input(description="Narrows the routing history. All given fields must match.")
class RoutingDecisionFilter:
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only decisions about this order."
    )
    job_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only decisions about this job."
    )
    manufacturer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only decisions that gave this manufacturer a job or took one."
    )
    routed_by: RoutedBy | None = strawberry.field(
        default=None, description="Only automatic, fallback or manual decisions."
    )

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return decision_conditions(
            order_id=filter_id(self.order_id, "Order", "orderId"),
            job_id=filter_id(self.job_id, "ManufacturingJob", "jobId"),
            manufacturer_id=filter_id(self.manufacturer_id, "Manufacturer", "manufacturerId"),
            routed_by=self.routed_by,
        )


ROUTING_HISTORY = ListOf(
    "RoutingDecision",
    "schema.routing.types",
    DECISIONS,
    default_order=NEWEST_FIRST,
    filter=RoutingDecisionFilter,
    permission=Permission.VIEW_ROUTING,
)
