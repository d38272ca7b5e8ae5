"""The dashboard (SPEC §5 manufacturer portal, BR-9, BR-10): numbers over a known set of jobs,
scoped like the jobs list, urgent ordering and cap, the activity feed, and a fixed number of
SQL statements however many jobs there are."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from auth.permissions import Role
from db.engine import Database
from db.models import ManufacturingJob, StatusChange
from domain.clock import today
from domain.enums import ActorType
from domain.jobs import JobStatus
from resolvers.ids import decode_id
from settings import QueryLimits
from tests.support import factories, seeding
from tests.support.graphql import GraphQLClient

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions

STATS = """{ dashboard { today stats {
  activeJobs dueThisWeek overdueCount jobsByStatus { status count }
} } }"""
URGENT = (
    """query($limit: Int) { dashboard { urgentJobs(limit: $limit) { id jobNumber dueDate } } }"""
)
ACTIVITY = """query($limit: Int) { dashboard { activity(limit: $limit) {
  occurredAt entityType fromStatus toStatus reason actorRole summary
  job { id jobNumber } order { id reference }
} } }"""


def _days(n: int) -> date:
    return today() + timedelta(days=n)


@dataclass
class Jobs:
    mine: uuid.UUID
    other: uuid.UUID
    by_name: dict[str, ManufacturingJob]

    def number(self, name: str) -> str:
        return self.by_name[name].job_number


async def _manufacturer_ids(client: GraphQLClient) -> tuple[uuid.UUID, uuid.UUID]:
    mine = decode_id((await factories.manufacturer(client))["id"])[1]
    other = decode_id((await factories.manufacturer(client))["id"])[1]
    return mine, other


# name: (owner, status, due in days or None)
KNOWN: dict[str, tuple[str | None, JobStatus, int | None]] = {
    "A": ("mine", JobStatus.IN_PRODUCTION, -3),  # overdue, urgent
    "B": ("mine", JobStatus.NEW, 1),  # urgent, due this week
    "C": ("mine", JobStatus.QC, 2),  # urgent (48 h), due this week
    "D": ("mine", JobStatus.ACCEPTED, 3),  # due this week, not urgent
    "E": ("mine", JobStatus.READY_TO_SHIP, 10),  # active only
    "F": ("mine", JobStatus.SHIPPED, -5),  # finished: not active, not overdue
    "G": ("mine", JobStatus.DECLINED, -1),  # finished: not active, not overdue
    "H": ("mine", JobStatus.NEW, None),  # active, no due date
    "X": ("other", JobStatus.NEW, -1),  # overdue
    "Y": ("other", JobStatus.ACCEPTED, 7),  # due this week (the 7th day is included)
    "P": (None, JobStatus.PENDING_ASSIGNMENT, 0),  # staff only: urgent, due this week
}


async def _known_jobs(client: GraphQLClient, database: Database) -> Jobs:
    mine, other = await _manufacturer_ids(client)
    owners = {"mine": mine, "other": other, None: None}
    by_name = {}
    for name, (owner, status, due) in KNOWN.items():
        by_name[name] = await seeding.job(
            database,
            manufacturer_id=owners[owner],
            status=status,
            due_date=None if due is None else _days(due),
        )
    return Jobs(mine, other, by_name)


def _by_status(stats: dict[str, Any]) -> dict[str, int]:
    return {row["status"]: row["count"] for row in stats["jobsByStatus"]}


def _known_statuses(*owners: str | None) -> dict[str, int]:
    """Every status with how many of the known jobs of `owners` hold it (KNOWN's table)."""
    held = Counter(status.name for owner, status, _ in KNOWN.values() if owner in owners)
    return {status.name: held[status.name] for status in JobStatus}


async def test_admin_stats_count_every_job(client, database):
    await _known_jobs(client, database)
    data = (await client(STATS))["dashboard"]
    assert data["today"] == today().isoformat()
    stats = data["stats"]
    # Active: A B C D E H X Y P; due this week: B C D Y P; overdue: A X.
    assert (stats["activeJobs"], stats["dueThisWeek"], stats["overdueCount"]) == (9, 5, 2)
    assert _by_status(stats) == _known_statuses("mine", "other", None)
    # Every status is listed, in the workflow's order.
    assert [row["status"] for row in stats["jobsByStatus"]] == [s.name for s in JobStatus]


async def test_a_manufacturer_counts_only_its_own_jobs(client, database):
    jobs = await _known_jobs(client, database)
    manufacturer = client.as_role(Role.MANUFACTURER, manufacturer_id=jobs.mine)
    stats = (await manufacturer(STATS))["dashboard"]["stats"]
    assert (stats["activeJobs"], stats["dueThisWeek"], stats["overdueCount"]) == (6, 3, 1)
    assert _by_status(stats) == _known_statuses("mine")
    other = client.as_role(Role.MANUFACTURER, manufacturer_id=jobs.other)
    stats = (await other(STATS))["dashboard"]["stats"]
    assert (stats["activeJobs"], stats["dueThisWeek"], stats["overdueCount"]) == (2, 1, 1)


async def test_an_empty_dashboard_lists_every_status_with_zero(client):
    stats = (await client(STATS))["dashboard"]["stats"]
    assert (stats["activeJobs"], stats["dueThisWeek"], stats["overdueCount"]) == (0, 0, 0)
    assert _by_status(stats) == {s.name: 0 for s in JobStatus}


async def test_urgent_jobs_are_overdue_first_then_by_days_until_due(client, database):
    jobs = await _known_jobs(client, database)
    urgent = (await client(URGENT))["dashboard"]["urgentJobs"]
    assert [j["jobNumber"] for j in urgent] == [jobs.number(n) for n in "AXPBC"]
    assert [j["dueDate"] for j in urgent] == [_days(d).isoformat() for d in (-3, -1, 0, 1, 2)]

    manufacturer = client.as_role(Role.MANUFACTURER, manufacturer_id=jobs.mine)
    urgent = (await manufacturer(URGENT))["dashboard"]["urgentJobs"]
    assert [j["jobNumber"] for j in urgent] == [jobs.number(n) for n in "ABC"]


async def test_urgent_jobs_are_capped_at_ten(client, database):
    mine, _ = await _manufacturer_ids(client)
    for days in range(-6, 3):  # 9 urgent jobs ...
        await seeding.job(database, manufacturer_id=mine, due_date=_days(days))
    for days in (-9, 1, 2):  # ... plus 3 more: 12
        await seeding.job(database, manufacturer_id=mine, due_date=_days(days))
    await seeding.job(database, manufacturer_id=mine, due_date=_days(3))  # not urgent

    urgent = (await client(URGENT))["dashboard"]["urgentJobs"]
    assert len(urgent) == 10
    dates = [j["dueDate"] for j in urgent]
    assert dates == sorted(dates) and dates[0] == _days(-9).isoformat()
    assert len((await client(URGENT, {"limit": 5}))["dashboard"]["urgentJobs"]) == 5

    for bad in (11, 0):
        body = await client.raw(URGENT, {"limit": bad})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def _history(
    database: Database,
    job: Any,
    entity_type: str,
    moves: list[tuple[str, str]],
    start: datetime,
    *,
    role: str | None = "manufacturer",
) -> None:
    async with database.transaction() as session:
        for i, (source, target) in enumerate(moves):
            session.add(
                StatusChange(
                    entity_type=entity_type,
                    entity_id=job.id,
                    from_status=source,
                    to_status=target,
                    reason=f"{source}->{target}",
                    version=i + 2,
                    occurred_at=start + timedelta(minutes=i),
                    actor_id="someone",
                    actor_type=ActorType.USER if role else ActorType.SYSTEM,
                    actor_role=role,
                )
            )


async def test_activity_is_newest_first_and_scoped(client, database):
    jobs = await _known_jobs(client, database)
    base = datetime.now(UTC) - timedelta(hours=5)
    a, x = jobs.by_name["A"], jobs.by_name["X"]
    await _history(
        database, a, "ManufacturingJob", [("NEW", "ACCEPTED"), ("ACCEPTED", "IN_PRODUCTION")], base
    )
    await _history(
        database, x, "ManufacturingJob", [("NEW", "ACCEPTED")], base + timedelta(hours=1)
    )
    order = await seeding.order(database)
    await _history(
        database,
        order,
        "Order",
        [("draft", "submitted"), ("submitted", "approved")],
        base + timedelta(hours=2),
        role="ops",
    )

    entries = (await client(ACTIVITY))["dashboard"]["activity"]
    assert [e["summary"] for e in entries] == [
        f"{order.reference} moved to approved",
        f"{order.reference} moved to submitted",
        f"{x.job_number} moved to ACCEPTED",
        f"{a.job_number} moved to IN_PRODUCTION",
        f"{a.job_number} moved to ACCEPTED",
    ]
    first, job_entry = entries[0], entries[2]
    assert first["entityType"] == "ORDER" and first["job"] is None
    assert first["order"]["reference"] == order.reference
    assert (first["fromStatus"], first["toStatus"], first["reason"], first["actorRole"]) == (
        "submitted",
        "approved",
        "submitted->approved",
        "ops",
    )
    assert job_entry["entityType"] == "MANUFACTURING_JOB" and job_entry["order"] is None
    assert job_entry["job"]["jobNumber"] == x.job_number

    limited = (await client(ACTIVITY, {"limit": 2}))["dashboard"]["activity"]
    assert [e["summary"] for e in limited] == [e["summary"] for e in entries[:2]]

    # A manufacturer: its own jobs' changes only, and no order changes (it cannot read orders).
    manufacturer = client.as_role(Role.MANUFACTURER, manufacturer_id=jobs.mine)
    own = (await manufacturer(ACTIVITY))["dashboard"]["activity"]
    assert [e["summary"] for e in own] == [
        f"{a.job_number} moved to IN_PRODUCTION",
        f"{a.job_number} moved to ACCEPTED",
    ]
    assert all(e["job"]["jobNumber"] == a.job_number for e in own)


async def test_activity_is_capped_at_fifty(client, database):
    jobs = await _known_jobs(client, database)
    base = datetime.now(UTC) - timedelta(days=1)
    moves = [("NEW", "ACCEPTED"), ("ACCEPTED", "NEW")] * 30  # 60 changes
    await _history(database, jobs.by_name["B"], "ManufacturingJob", moves, base)
    entries = (await client(ACTIVITY))["dashboard"]["activity"]
    assert len(entries) == 50
    stamps = [e["occurredAt"] for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    body = await client.raw(ACTIVITY, {"limit": 51})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_roles_without_jobs_have_no_dashboard(client):
    body = await client.as_role(Role.CUSTOMER, customer_id=uuid.uuid4()).raw(STATS)
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # A partner may not even ask: it runs approved operations only.
    response = await client.as_role(Role.PARTNER).post(STATS)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    body = await client.anonymous().raw(STATS)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


WHOLE = """{ dashboard {
  today
  stats { activeJobs dueThisWeek overdueCount jobsByStatus { status count } }
  urgentJobs { id jobNumber status dueDate }
  activity { summary occurredAt job { id jobNumber status } order { id reference } }
} }"""


async def _grow(database: Database, manufacturer_id: uuid.UUID, count: int) -> None:
    start = datetime.now(UTC) - timedelta(days=2)
    for i in range(count):
        job = await seeding.job(
            database, manufacturer_id=manufacturer_id, due_date=_days(i % 5 - 2)
        )
        await _history(database, job, "ManufacturingJob", [("NEW", "ACCEPTED")], start)
        order = await seeding.order(database)
        await _history(database, order, "Order", [("draft", "submitted")], start, role="ops")


async def _statements(make_client: Any, role: Role, **claims: Any) -> tuple[int, dict[str, Any]]:
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as admin:
        viewer = admin if role is Role.ADMIN else admin.as_role(role, **claims)
        body = await viewer.raw(WHOLE)
    assert "errors" not in body, body.get("errors")
    return body["extensions"]["debug"]["sqlStatements"], body["data"]["dashboard"]


# The stats, the urgent jobs, the feed, the feed's jobs and the feed's orders (a
# manufacturer's feed has no orders: 4).
MAX_STATEMENTS = 5


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANUFACTURER])
async def test_the_whole_dashboard_runs_a_fixed_number_of_statements(
    client, database, make_client, role
):
    mine, _ = await _manufacturer_ids(client)
    # More jobs than urgentJobs shows, so the feed always loads jobs the urgent list has not.
    await _grow(database, mine, 12)
    small, data = await _statements(make_client, role, manufacturer_id=mine)
    assert data["stats"]["activeJobs"] == 12 and len(data["urgentJobs"]) == 10

    await _grow(database, mine, 30)
    large, data = await _statements(make_client, role, manufacturer_id=mine)
    assert data["stats"]["activeJobs"] == 42
    # An admin's feed holds the jobs' and the orders' changes; a manufacturer's its jobs'.
    assert len(data["urgentJobs"]) == 10
    assert len(data["activity"]) == (50 if role is Role.ADMIN else 42)
    kinds = {entry["order"] is None for entry in data["activity"]}
    assert kinds == ({True, False} if role is Role.ADMIN else {True})
    assert small == large <= MAX_STATEMENTS
