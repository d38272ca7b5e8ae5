"""Routing in the graph: decision records (why a job went where it went), their history,
and the mutations that route an order, assign a waiting job and reassign one (BR-1..BR-8).

The rules live in resolvers.routing.rules; importing this module registers the RoutingDecision
node type.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from domain.jobs import RoutedBy
from domain.routing import ManufacturerSource
from domain.routing_reasons import notice_texts
from schema.catalog.types import Manufacturer, ProductFamily
from schema.context import request_context
from schema.execution.relations import Lazy, to_one
from schema.jobs import enums as _job_enums  # noqa: F401 - registers RoutedBy
from schema.node import Node
from schema.routing.reasons import (
    RoutingCandidate,
    RoutingReasonDetail,
    candidate,
    reason_details,
    reason_text,
    reason_view,
)

if TYPE_CHECKING:
    from schema.jobs.types import ManufacturingJob
    from schema.orders.types import Order

JobType = Annotated["ManufacturingJob", strawberry.lazy("schema.jobs.types")]
OrderType = Annotated["Order", strawberry.lazy("schema.orders.types")]

WARNINGS = (
    "What a person should know but did not block the change: capacity, credit nearing or "
    "over the limit without a credit hold, a missing capability."
)


@strawberry.type(
    description="Why a job went where it went: one record per routing choice (automatic "
    "routing, fallback after a decline, manual assignment or reassignment). Insert-only."
)
class RoutingDecision(Node):
    pk: strawberry.Private[uuid.UUID]
    decided_at: datetime = strawberry.field(description="When (UTC).")
    routed_by: RoutedBy = strawberry.field(description="Automatic, fallback or manual.")
    source: ManufacturerSource | None = strawberry.field(
        description="The cascade level the manufacturer came from; null for the family's "
        "backup and for manual choices."
    )
    actor_id: str | None = strawberry.field(description="Who decided (token subject or system).")
    actor_role: str | None = strawberry.field(description="The role they acted with.")
    order_id: strawberry.Private[uuid.UUID]
    job_id: strawberry.Private[uuid.UUID | None]
    product_family_id: strawberry.Private[uuid.UUID | None]
    manufacturer_id: strawberry.Private[uuid.UUID | None]
    previous_manufacturer_id: strawberry.Private[uuid.UUID | None]
    candidates: strawberry.Private[list[dict[str, Any]]]
    reason: strawberry.Private[str]
    reason_detail: strawberry.Private[list[dict[str, Any]] | None]
    warnings: strawberry.Private[list[str | dict[str, Any]]]

    @strawberry.field(
        name="warnings",
        description=WARNINGS + " Names and figures you may not see are left out.",
    )
    def warnings_for_viewer(self, info: Info[Any, Any]) -> list[str]:
        return notice_texts(self.warnings, reason_view(request_context(info).actor, self))

    @strawberry.field(
        name="reason",
        description='Human explanation, e.g. "Routed to backup Hawk: Riddle at capacity (3/3)"; '
        "names and figures you may not see are left out.",
    )
    def reason_for_viewer(self, info: Info[Any, Any]) -> str:
        actor = request_context(info).actor
        text = reason_text(actor, self, self.reason, self.reason_detail, self.routed_by)
        return text or ""

    @strawberry.field(
        description="The reason as data (one per order line routed alike); null for decisions "
        "recorded before reasons had codes."
    )
    def reason_details(self) -> list[RoutingReasonDetail] | None:
        return reason_details(self.reason_detail, self)

    @strawberry.field(
        name="candidates", description="Every manufacturer considered, in the order tried."
    )
    def candidate_list(self) -> list[RoutingCandidate]:
        return [candidate(c, self) for c in self.candidates]

    order = to_one(
        Lazy("Order", "schema.orders.types"), "order_id", description="The order routed."
    )

    job = to_one(
        Lazy("ManufacturingJob", "schema.jobs.types"),
        "job_id",
        description="The job this decision created or changed.",
    )

    family = to_one(
        ProductFamily, "product_family_id", description="The product family of the job's lines."
    )

    manufacturer = to_one(
        Manufacturer,
        "manufacturer_id",
        description="Who got the job; null when it waits for assignment.",
    )

    previous_manufacturer = to_one(
        Manufacturer,
        "previous_manufacturer_id",
        description="Who had the job before (a reassignment, or the manufacturer that declined).",
    )
