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
from schema.inputs import optional
from schema.jobs import enums as _job_enums  # noqa: F401 - registers RoutedBy
from schema.lists import ListOf, filter_values

NEWEST_FIRST = (SortKey("decided_at", descending=True),)


@strawberry.input(description="Narrows the routing history. All given fields must match.")
class RoutingDecisionFilter:
    order_id: strawberry.ID | None = optional("Only decisions about this order.")
    job_id: strawberry.ID | None = optional("Only decisions about this job.")
    manufacturer_id: strawberry.ID | None = optional(
        "Only decisions that gave this manufacturer a job or took one."
    )
    routed_by: RoutedBy | None = optional("Only automatic, fallback or manual decisions.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return decision_conditions(
            **filter_values(
                self, order_id="Order", job_id="ManufacturingJob", manufacturer_id="Manufacturer"
            )
        )


ROUTING_HISTORY = ListOf(
    "RoutingDecision",
    "schema.routing.types",
    DECISIONS,
    default_order=NEWEST_FIRST,
    filter=RoutingDecisionFilter,
    permission=Permission.VIEW_ROUTING,
)
