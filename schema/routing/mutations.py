"""Routing mutations: route an approved order, assign a waiting job, reassign a job."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from resolvers.routing import rules as routing
from schema.errors import UserError
from schema.inputs import EXPECTED_VERSION, optional
from schema.node import load_node, load_nodes
from schema.payloads import mutation, user_errors
from schema.routing.types import WARNINGS, JobType, OrderType, RoutingDecision


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
    warnings: list[str] = strawberry.field(description=WARNINGS)
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
    warnings: list[str] = strawberry.field(description=WARNINGS)
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
