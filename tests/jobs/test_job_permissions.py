"""Portal permissions (SPEC §6 "Portal permissions", §4 Ownership): a manufacturer sees and
changes only its own jobs; unassigned jobs are not its; other roles per the matrix."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from auth.permissions import Role
from domain.jobs import JobStatus
from tests.support import seeding
from tests.support.db_state import snapshot
from tests.support.files import photo_part
from tests.support.graphql import GraphQLClient
from tests.support.job_support import Catalog, catalog, transition

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions

S = JobStatus
FUTURE = (date.today() + timedelta(days=10)).isoformat()


@pytest.fixture
async def world(client: GraphQLClient, database: Any) -> Catalog:
    return await catalog(client, database)


async def test_a_manufacturer_cannot_read_another_manufacturers_job(world: Catalog) -> None:
    mine = await world.job(S.NEW)
    theirs = await world.job(S.NEW, manufacturer_id=world.other_id)
    manufacturer = world.manufacturer()
    listed = await manufacturer("{ manufacturingJobs { totalCount edges { node { jobNumber } } } }")
    assert listed["manufacturingJobs"]["totalCount"] == 1
    assert [e["node"]["jobNumber"] for e in listed["manufacturingJobs"]["edges"]] == [
        mine.job_number
    ]
    # Filtering by the other manufacturer does not widen the view.
    other_filter = await manufacturer(
        "query($m: ID) { manufacturingJobs(filter: {manufacturerId: $m}) { totalCount } }",
        {"m": world.other["id"]},
    )
    assert other_filter["manufacturingJobs"]["totalCount"] == 0
    lookup = "query($id: ID, $n: String) { manufacturingJob(id: $id, jobNumber: $n) { id } }"
    assert (await manufacturer(lookup, {"id": seeding.gid(theirs)}))["manufacturingJob"] is None
    assert (await manufacturer(lookup, {"n": theirs.job_number}))["manufacturingJob"] is None
    assert (await manufacturer(lookup, {"id": seeding.gid(mine)}))["manufacturingJob"] is not None
    node = await manufacturer(
        "query($id: ID!) { node(id: $id) { id } }", {"id": seeding.gid(theirs)}
    )
    assert node["node"] is None


async def test_a_manufacturer_cannot_change_another_manufacturers_job(world: Catalog) -> None:
    theirs = await world.job(S.IN_PRODUCTION, manufacturer_id=world.other_id)
    manufacturer = world.manufacturer()
    job_id = seeding.gid(theirs)
    before = await snapshot(world.database)
    attempts = [
        ("transitionJob", "TransitionJobInput", {"id": job_id, "status": "QC"}),
        ("updateJobProgress", "UpdateJobProgressInput", {"id": job_id, "progressPercent": 5}),
        ("addJobNote", "AddJobNoteInput", {"jobId": job_id, "content": "hi"}),
        (
            "addJobPhoto",
            "AddJobPhotoInput",
            {"jobId": job_id, "file": photo_part(), "stage": "QC"},
        ),
        (
            "reportJobIssue",
            "ReportJobIssueInput",
            {"jobId": job_id, "type": "OTHER", "severity": "LOW", "description": "x"},
        ),
    ]
    for name, input_type, values in attempts:
        payload = await manufacturer.mutate(
            f"mutation($i: {input_type}!) {{ {name}(input: $i) {{ errors {{ code field }} }} }}",
            {"i": values},
        )
        [error] = payload["errors"]
        assert error["code"] == "NOT_FOUND", name
    assert await snapshot(world.database) == before


async def test_a_manufacturer_cannot_resolve_another_manufacturers_issue(world: Catalog) -> None:
    theirs = await world.job(S.IN_PRODUCTION, manufacturer_id=world.other_id)
    reported = await world.admin.mutate(
        "mutation($i: ReportJobIssueInput!) { reportJobIssue(input: $i) { issue { id } } }",
        {
            "i": {
                "jobId": seeding.gid(theirs),
                "type": "OTHER",
                "severity": "LOW",
                "description": "x",
            }
        },
    )
    payload = await world.manufacturer().mutate(
        "mutation($i: ResolveJobIssueInput!) { resolveJobIssue(input: $i) { errors { code field } } }",
        {"i": {"issueId": reported["issue"]["id"]}},
    )
    assert payload["errors"] == [{"code": "NOT_FOUND", "field": ["input", "issueId"]}]


async def test_a_manufacturer_cannot_touch_unassigned_jobs(world: Catalog) -> None:
    pending = await world.job(S.PENDING_ASSIGNMENT, manufacturer_id=None)
    manufacturer = world.manufacturer()
    before = await snapshot(world.database)
    payload = await transition(manufacturer, pending, "NEW")
    assert [e["code"] for e in payload["errors"]] == ["NOT_FOUND"]
    note = await manufacturer.mutate(
        "mutation($i: AddJobNoteInput!) { addJobNote(input: $i) { errors { code } } }",
        {"i": {"jobId": seeding.gid(pending), "content": "mine?"}},
    )
    assert [e["code"] for e in note["errors"]] == ["NOT_FOUND"]
    assert await snapshot(world.database) == before
    listed = await manufacturer("{ manufacturingJobs { totalCount } }")
    assert listed["manufacturingJobs"]["totalCount"] == 0
    # The queue is not the manufacturer's to read at all.
    body = await manufacturer.raw("{ pendingAssignments { totalCount } }")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_unauthenticated_callers_are_rejected(world: Catalog) -> None:
    job = await world.job(S.NEW)
    anonymous = world.admin.anonymous()
    body = await anonymous.raw("{ manufacturingJobs { totalCount } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    before = await snapshot(world.database)
    body = await anonymous.raw(
        "mutation($i: TransitionJobInput!) { transitionJob(input: $i) { errors { code } } }",
        {"i": {"id": seeding.gid(job), "status": "ACCEPTED", "estimatedCompletionDate": FUTURE}},
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await snapshot(world.database) == before


@pytest.mark.parametrize("role", [Role.SALES, Role.FINANCE, Role.READONLY, Role.CUSTOMER])
async def test_roles_without_work_on_jobs_cannot_transition(world: Catalog, role: Role) -> None:
    job = await world.job(S.NEW)
    claims = {}
    if role is Role.CUSTOMER:
        claims["customer_id"] = (await seeding.customer(world.database)).id
    before = await snapshot(world.database)
    body = await world.admin.as_role(role, **claims).raw(
        "mutation($i: TransitionJobInput!) { transitionJob(input: $i) { errors { code } } }",
        {"i": {"id": seeding.gid(job), "status": "ACCEPTED", "estimatedCompletionDate": FUTURE}},
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["data"] is None
    assert await snapshot(world.database) == before


ALLOWED = "query($id: ID) { manufacturingJob(id: $id) { allowedTransitions } }"


async def test_allowed_transitions_depend_on_the_viewer(world: Catalog) -> None:
    new = await world.job(S.NEW)
    pending = await world.job(S.PENDING_ASSIGNMENT, manufacturer_id=None)
    manufacturer = world.manufacturer()
    ops = world.admin.as_role(Role.OPS)
    sales = world.admin.as_role(Role.SALES)

    async def allowed(client: GraphQLClient, job: Any) -> Any:
        data = await client(ALLOWED, {"id": seeding.gid(job)})
        return data["manufacturingJob"] and sorted(data["manufacturingJob"]["allowedTransitions"])

    assert await allowed(manufacturer, new) == ["ACCEPTED", "DECLINED"]
    assert await allowed(ops, new) == ["ACCEPTED", "DECLINED"]
    assert await allowed(sales, new) == []  # reads jobs, moves none
    assert await allowed(ops, pending) == ["NEW"]
    assert await allowed(sales, pending) == []
    # The manufacturer does not even see the waiting job.
    assert await allowed(manufacturer, pending) is None


async def test_cost_fields_need_view_costs(world: Catalog) -> None:
    from decimal import Decimal

    job = await world.job(S.NEW, quoted_cost=Decimal("120.00"))
    query = "query($id: ID) { manufacturingJob(id: $id) { quotedCost { amount currency } } }"
    data = await world.admin(query, {"id": seeding.gid(job)})
    assert data["manufacturingJob"]["quotedCost"] == {"amount": "120.00", "currency": "USD"}
    body = await world.manufacturer().raw(query, {"id": seeding.gid(job)})
    assert body["data"]["manufacturingJob"]["quotedCost"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["path"] == ["manufacturingJob", "quotedCost"]


async def test_a_manufacturer_gets_forbidden_at_the_order_path_only(world: Catalog) -> None:
    job = await world.job(S.NEW)
    body = await world.manufacturer().raw(
        "query($id: ID) { manufacturingJob(id: $id) { jobNumber order { id } } }",
        {"id": seeding.gid(job)},
    )
    assert body["data"]["manufacturingJob"] == {"jobNumber": job.job_number, "order": None}
    assert [(e["extensions"]["code"], e["path"]) for e in body["errors"]] == [
        ("FORBIDDEN", ["manufacturingJob", "order"])
    ]
