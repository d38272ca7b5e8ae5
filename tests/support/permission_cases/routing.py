"""Routing rows of the permission matrix (SPEC §4): routing history is read by A O F and
readonly; routing, assigning and reassigning jobs is "Create jobs = A O"; a manufacturer's
credit follows its payment terms ("View payment terms = A O F", a manufacturer its own)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from db.models import ManufacturingJob
from domain.jobs import JobStatus
from domain.orders import OrderStatus
from domain.routing_reasons import (
    CandidateSource,
    Considered,
    Credit,
    Obstacle,
    Reason,
    ReasonCode,
    Unavailable,
    reasons_as_json,
)
from resolvers.ids import decode_id
from tests.support import factories, seeding
from tests.support.permission_cases.catalog import MANUFACTURERS_Q
from tests.support.permission_matrix import Case, World, mutation_case


async def _active_manufacturer(world: World) -> str:
    made = await factories.manufacturer(world.admin, onboardingStatus="ACTIVE")
    return str(made["id"])


async def _approved_order(world: World) -> dict[str, Any]:
    variant = decode_id(world.variant["id"])[1]
    order = await seeding.order(world.database, status=OrderStatus.APPROVED, items=[(variant, 1)])
    return {"orderId": seeding.gid(order)}


async def _job(world: World, status: JobStatus) -> ManufacturingJob:
    other = decode_id(world.other_manufacturer["id"])[1]
    manufacturer_id = None if status is JobStatus.PENDING_ASSIGNMENT else other
    return await seeding.job(world.database, manufacturer_id=manufacturer_id, status=status)


async def _assign(world: World) -> dict[str, Any]:
    job = await _job(world, JobStatus.PENDING_ASSIGNMENT)
    return {"jobId": seeding.gid(job), "manufacturerId": await _active_manufacturer(world)}


async def _reassign(world: World) -> dict[str, Any]:
    job = await _job(world, JobStatus.NEW)
    return {
        "jobId": seeding.gid(job),
        "manufacturerId": await _active_manufacturer(world),
        "reason": "Permission check",
    }


async def _routed_past_own(world: World) -> dict[str, Any]:
    """A job of the viewer's own manufacturer whose reason passed over that same
    manufacturer: its figures are the manufacturer's own (M reads its own)."""
    own = world.own_manufacturer_uuid
    obstacles = (
        Obstacle(Unavailable.NOT_ACTIVE, onboarding_status="suspended"),
        Obstacle(Unavailable.AT_CAPACITY, active_jobs=3, max_concurrent_jobs=3),
        Obstacle(
            Unavailable.CREDIT_LIMIT_EXCEEDED,
            credit=Credit(Decimal("95.00"), Decimal("105.00"), Decimal("100.00"), hold=True),
        ),
    )
    passed = Considered(own, CandidateSource.FAMILY_DEFAULT, False, obstacles)
    why = Reason(ReasonCode.NO_AVAILABLE_MANUFACTURER, passed_over=(passed,))
    job = await seeding.job(world.database, manufacturer_id=own, status=JobStatus.NEW)
    async with world.database.transaction() as session:
        row = await session.get_one(ManufacturingJob, job.id)
        row.routing_reason_detail = reasons_as_json([why])
    return {"id": seeding.gid(job)}


OBSTACLE_Q = (
    "query($id: ID) { manufacturingJob(id: $id) { routingReasonDetails { passedOver {"
    " obstacles { %s } } } } }"
)

CASES: list[Case] = [
    Case("Query.routingHistory", "{ routingHistory { totalCount } }", "UAOFR"),
    Case("Manufacturer.creditLimit", MANUFACTURERS_Q % "creditLimit { amount }", "UAOFRM"),
    Case("Manufacturer.currentBalance", MANUFACTURERS_Q % "currentBalance { amount }", "UAOFRM"),
    Case("Manufacturer.availableCredit", MANUFACTURERS_Q % "availableCredit { amount }", "UAOFRM"),
    # A reason's figures: the manufacturer's data, its credit terms, the job's cost.
    Case(
        "RoutingObstacle.onboardingStatus",
        OBSTACLE_Q % "onboardingStatus",
        "UAOFRM",
        _routed_past_own,
    ),
    Case("RoutingObstacle.activeJobs", OBSTACLE_Q % "activeJobs", "UAOFRM", _routed_past_own),
    Case(
        "RoutingObstacle.maxConcurrentJobs",
        OBSTACLE_Q % "maxConcurrentJobs",
        "UAOFRM",
        _routed_past_own,
    ),
    Case(
        "RoutingObstacle.currentBalance",
        OBSTACLE_Q % "currentBalance { amount }",
        "UAOFRM",
        _routed_past_own,
    ),
    Case(
        "RoutingObstacle.creditLimit",
        OBSTACLE_Q % "creditLimit { amount }",
        "UAOFRM",
        _routed_past_own,
    ),
    Case("RoutingObstacle.jobCost", OBSTACLE_Q % "jobCost { amount }", "UAOF", _routed_past_own),
    mutation_case("routeOrder", "UAO", _approved_order),
    mutation_case("assignJob", "UAO", _assign),
    mutation_case("reassignJob", "UAO", _reassign),
]
