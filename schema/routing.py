"""Routing in the graph: decision records (why a job went where it went), their history,
and the mutations that route an order, assign a waiting job and reassign one (BR-1..BR-8).

The rules live in resolvers.routing; importing this module registers the RoutingDecision
node type.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.jobs import RoutedBy
from domain.routing import ManufacturerSource
from domain.routing_reasons import notice_texts
from resolvers import routing
from resolvers.pagination import SortKey
from resolvers.routing_sources import DECISIONS, decision_conditions
from schema.catalog.types import Manufacturer, ProductFamily
from schema.context import request_context
from schema.errors import UserError
from schema.execution.relations import Lazy, to_one
from schema.inputs import EXPECTED_VERSION, optional
from schema.jobs import enums as _job_enums  # noqa: F401 - registers RoutedBy
from schema.lists import ListOf, filter_values
from schema.node import Node, load_node, load_nodes, register_node
from schema.payloads import mutation, user_errors
from schema.routing_reasons import (
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

_WARNINGS = (
    "What a person should know but did not block the change: capacity, credit nearing or "
    "over the limit without a credit hold, a missing capability."
)
NEWEST_FIRST = (SortKey("decided_at", descending=True),)


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
        description=_WARNINGS + " Names and figures you may not see are left out.",
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


register_node(RoutingDecision, DECISIONS, read=Permission.VIEW_ROUTING)


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
    __name__,
    DECISIONS,
    default_order=NEWEST_FIRST,
    filter=RoutingDecisionFilter,
    permission=Permission.VIEW_ROUTING,
)


@strawberry.type
class RoutingQuery:
    routing_history = ROUTING_HISTORY.field(
        description="Routing decisions, newest first: why each job went where it went (an "
        "order's routing with reasons: filter by orderId).",
        filter_description="Only decisions matching every given field.",
    )


# -- mutations -------------------------------------------------------------------------------


@strawberry.input(description="The approved order to route.")
class RouteOrderInput:
    order_id: strawberry.ID = strawberry.field(description="The order (status approved).")


@strawberry.type(description="The result of routing an order.")
class RouteOrderPayload:
    order: OrderType | None = strawberry.field(description="The order as committed.")
    jobs: list[JobType] = strawberry.field(
        description="The order's jobs: the ones just created, or the existing ones when the "
        "order was routed before (routing is idempotent)."
    )
    decisions: list[RoutingDecision] = strawberry.field(
        description="The routing decisions of the order, oldest first."
    )
    warnings: list[str] = strawberry.field(description=_WARNINGS)
    errors: list[UserError] = user_errors()


@strawberry.input(description="Give a job waiting for assignment to a manufacturer.")
class AssignJobInput:
    job_id: strawberry.ID = strawberry.field(description="The job (status PENDING_ASSIGNMENT).")
    manufacturer_id: strawberry.ID = strawberry.field(
        description="The manufacturer (onboarding approved or active)."
    )
    reason: str | None = optional("Why this manufacturer.")


@strawberry.input(description="Move a job to another manufacturer (override, force-reassign).")
class ReassignJobInput:
    job_id: strawberry.ID = strawberry.field(description="The job (status NEW or ACCEPTED).")
    manufacturer_id: strawberry.ID = strawberry.field(description="The new manufacturer.")
    reason: str = strawberry.field(description="Why (required; audited and sent to the old one).")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type(description="The result of assigning or reassigning a job.")
class JobAssignmentPayload:
    job: JobType | None = strawberry.field(description="The job as committed.")
    decision: RoutingDecision | None = strawberry.field(description="The decision recorded.")
    warnings: list[str] = strawberry.field(description=_WARNINGS)
    errors: list[UserError] = user_errors()


async def _assignment_payload(
    info: Info[Any, Any],
    _: Any,
    outcome: routing.AssignmentResult | None,
    errors: list[UserError],
) -> JobAssignmentPayload:
    from schema.jobs.types import ManufacturingJob

    if outcome is None:
        return JobAssignmentPayload(job=None, decision=None, warnings=[], errors=errors)
    return JobAssignmentPayload(
        job=await load_node(info, ManufacturingJob, outcome.job.id),
        decision=await load_node(info, RoutingDecision, outcome.decision.id),
        warnings=outcome.warnings,
        errors=errors,
    )


async def _routing_payload(
    info: Info[Any, Any], _: Any, outcome: Any, errors: list[UserError]
) -> RouteOrderPayload:
    from schema.jobs.types import ManufacturingJob
    from schema.orders.types import Order

    if outcome is None:
        return RouteOrderPayload(order=None, jobs=[], decisions=[], warnings=[], errors=errors)
    order, result = outcome
    return RouteOrderPayload(
        order=await load_node(info, Order, order.id),
        jobs=await load_nodes(info, ManufacturingJob, [job.id for job in result.jobs]),
        decisions=await load_nodes(info, RoutingDecision, [d.id for d in result.decisions]),
        warnings=result.warnings,
        errors=errors,
    )


@strawberry.type
class RoutingMutation:
    route_order = mutation(
        RouteOrderPayload,
        RouteOrderInput,
        Permission.ASSIGN_JOBS,
        "Route an approved order now (the automatic routing on approval, on "
        "demand): one job per manufacturer, PENDING_ASSIGNMENT for lines nobody can take. "
        "Idempotent: an order routed before returns its jobs and creates nothing. An order "
        "on hold is refused (VALIDATION), any status but approved is INVALID_TRANSITION.",
        lambda s, actor, input: routing.route_order_by_id(s, actor, input.order_id),
        _routing_payload,
    )

    assign_job = mutation(
        JobAssignmentPayload,
        AssignJobInput,
        Permission.ASSIGN_JOBS,
        "Assign a job waiting for a manufacturer (PENDING_ASSIGNMENT → NEW); the "
        "manufacturer is notified. Capacity and credit warnings do not block; a credit hold "
        "does (CREDIT_LIMIT_EXCEEDED).",
        lambda s, actor, input: routing.assign_job(
            s, actor, input.job_id, input.manufacturer_id, input.reason
        ),
        _assignment_payload,
    )

    reassign_job = mutation(
        JobAssignmentPayload,
        ReassignJobInput,
        Permission.ASSIGN_JOBS,
        "Reassign a NEW or ACCEPTED job to another manufacturer with a reason "
        "(an accepted job goes back to NEW). Audited with who, from, to and why; the old "
        "manufacturer is told, the new one gets the job.",
        lambda s, actor, input: routing.reassign_job(
            s, actor, input.job_id, input.manufacturer_id, input.reason, input.expected_version
        ),
        _assignment_payload,
    )
