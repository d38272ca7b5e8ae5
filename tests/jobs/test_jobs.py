"""Job lists, lookups, progress, notes, photos and issues (SPEC §1.4, §2.1, §5 portal)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.jobs import JobStatus
from domain.orders import OrderStatus
from resolvers.ids import encode_id
from tests.support import seeding
from tests.support.db_state import snapshot
from tests.support.files import photo_part
from tests.support.graphql import GraphQLClient
from tests.support.job_support import Catalog, audits, catalog, load_job, notifications

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions

S = JobStatus
TODAY = date.today()

LIST = """
query($filter: ManufacturingJobFilter, $orderBy: [ManufacturingJobOrder!], $first: Int,
      $after: String) {
  manufacturingJobs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { jobNumber status dueDate isUrgent daysUntilDue } }
  }
}"""


@pytest.fixture
async def world(client: GraphQLClient, database: Any) -> Catalog:
    return await catalog(client, database)


async def _numbers(client: GraphQLClient, **variables: Any) -> list[str]:
    data = await client(LIST, variables)
    return [e["node"]["jobNumber"] for e in data["manufacturingJobs"]["edges"]]


async def test_jobs_list_sorts_by_due_date_overdue_first_and_pages(world: Catalog) -> None:
    late = await world.job(S.IN_PRODUCTION, due_date=TODAY - timedelta(days=3))
    soon = await world.job(S.NEW, due_date=TODAY + timedelta(days=1))
    later = await world.job(S.ACCEPTED, due_date=TODAY + timedelta(days=30))
    undated = await world.job(S.NEW)
    expected = [j.job_number for j in (late, soon, later, undated)]
    assert await _numbers(world.admin) == expected

    first = await world.admin(LIST, {"first": 2})
    page = first["manufacturingJobs"]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"]
    rest = await _numbers(world.admin, first=2, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["jobNumber"] for e in page["edges"]] + rest == expected

    desc = [{"field": "DUE_DATE", "direction": "DESC"}]
    assert await _numbers(world.admin, orderBy=desc) == list(reversed(expected))
    by_number = await _numbers(world.admin, orderBy=[{"field": "JOB_NUMBER"}])
    assert by_number == sorted(expected)


WALK = """
query($orderBy: [ManufacturingJobOrder!], $first: Int, $after: String, $last: Int,
      $before: String) {
  manufacturingJobs(orderBy: $orderBy, first: $first, after: $after, last: $last,
                    before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { jobNumber } }
  }
}"""


async def _walk(client: GraphQLClient, order_by: Any, *, backwards: bool) -> list[str]:
    """Every job, one page of one at a time, forwards with `after` or backwards with
    `before`: each step's cursor is the row it left off at, null due dates included."""
    seen: list[str] = []
    cursor = None
    while True:
        if backwards:
            variables = {"orderBy": order_by, "last": 1, "before": cursor}
        else:
            variables = {"orderBy": order_by, "first": 1, "after": cursor}
        page = (await client(WALK, variables))["manufacturingJobs"]
        seen += [e["node"]["jobNumber"] for e in page["edges"]]
        info = page["pageInfo"]
        if not (info["hasPreviousPage"] if backwards else info["hasNextPage"]):
            return list(reversed(seen)) if backwards else seen
        cursor = info["startCursor"] if backwards else info["endCursor"]


async def test_pages_walk_across_jobs_without_a_due_date_in_both_directions(
    world: Catalog,
) -> None:
    dated = [await world.job(due_date=TODAY + timedelta(days=d)) for d in (4, -2, 4)]
    undated = [await world.job() for _ in range(3)]
    by_date = sorted(dated, key=lambda j: (j.due_date, j.job_number))
    ascending = [j.job_number for j in by_date] + sorted(j.job_number for j in undated)
    asc = [{"field": "DUE_DATE"}, {"field": "JOB_NUMBER"}]
    desc = [
        {"field": "DUE_DATE", "direction": "DESC"},
        {"field": "JOB_NUMBER", "direction": "DESC"},
    ]

    assert await _numbers(world.admin, orderBy=asc) == ascending
    assert await _walk(world.admin, asc, backwards=False) == ascending
    assert await _walk(world.admin, asc, backwards=True) == ascending
    # Descending, jobs without a due date come first.
    assert await _numbers(world.admin, orderBy=desc) == ascending[::-1]
    assert await _walk(world.admin, desc, backwards=False) == ascending[::-1]
    assert await _walk(world.admin, desc, backwards=True) == ascending[::-1]


async def test_urgency_follows_br9(world: Catalog) -> None:
    overdue = await world.job(S.IN_PRODUCTION, due_date=TODAY - timedelta(days=1))
    in_two_days = await world.job(S.NEW, due_date=TODAY + timedelta(days=2))
    in_three_days = await world.job(S.NEW, due_date=TODAY + timedelta(days=3))
    await world.job(S.SHIPPED, due_date=TODAY - timedelta(days=5))  # done: never urgent
    data = await world.admin(LIST)
    nodes = {e["node"]["jobNumber"]: e["node"] for e in data["manufacturingJobs"]["edges"]}
    assert nodes[overdue.job_number]["isUrgent"] and nodes[overdue.job_number]["daysUntilDue"] == -1
    assert nodes[in_two_days.job_number]["isUrgent"]
    assert not nodes[in_three_days.job_number]["isUrgent"]
    urgent = await _numbers(world.admin, filter={"urgent": True})
    assert urgent == [overdue.job_number, in_two_days.job_number]
    assert in_three_days.job_number in await _numbers(world.admin, filter={"urgent": False})


async def test_jobs_filters(world: Catalog) -> None:
    a = await world.job(S.NEW, due_date=TODAY + timedelta(days=5), job_number="MFG-2031-777A")
    b = await world.job(S.QC, manufacturer_id=world.other_id, due_date=TODAY + timedelta(days=9))
    own = world.own["id"]
    assert await _numbers(world.admin, filter={"statuses": ["QC"]}) == [b.job_number]
    assert await _numbers(world.admin, filter={"manufacturerId": own}) == [a.job_number]
    assert await _numbers(world.admin, filter={"search": "2031-777"}) == [a.job_number]
    assert await _numbers(world.admin, filter={"search": "mfg-2031"}) == [a.job_number]
    order_id = encode_id("Order", b.order_id)
    assert await _numbers(world.admin, filter={"orderId": order_id}) == [b.job_number]
    window = {
        "dueAfter": str(TODAY + timedelta(days=6)),
        "dueBefore": str(TODAY + timedelta(days=9)),
    }
    assert await _numbers(world.admin, filter=window) == [b.job_number]
    family = {"productFamilyId": world.family["id"]}
    assert sorted(await _numbers(world.admin, filter=family)) == sorted(
        [a.job_number, b.job_number]
    )
    body = await world.admin.raw(LIST, {"filter": {"orderId": world.family["id"]}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_lookup_by_id_and_job_number(world: Catalog) -> None:
    job = await world.job(S.NEW)
    query = """query($id: ID, $n: String) { manufacturingJob(id: $id, jobNumber: $n) {
        jobNumber items { quantity size technique variant { sku } } } }"""
    by_id = await world.admin(query, {"id": seeding.gid(job)})
    by_number = await world.admin(query, {"n": job.job_number})
    assert by_id == by_number
    assert by_id["manufacturingJob"]["items"] == [
        {"quantity": 5, "size": "M", "technique": "DTG", "variant": {"sku": world.variant["sku"]}}
    ]
    assert (await world.admin(query, {"n": "MFG-NOPE"}))["manufacturingJob"] is None
    body = await world.admin.raw(query, {})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_pending_assignments_oldest_first_without_canceled_orders(world: Catalog) -> None:
    first = await world.job(S.PENDING_ASSIGNMENT, manufacturer_id=None)
    second = await world.job(S.PENDING_ASSIGNMENT, manufacturer_id=None)
    await world.job(S.PENDING_ASSIGNMENT, manufacturer_id=None, order_status=OrderStatus.CANCELED)
    await world.job(S.NEW)
    data = await world.admin("{ pendingAssignments { totalCount edges { node { jobNumber } } } }")
    found = [e["node"]["jobNumber"] for e in data["pendingAssignments"]["edges"]]
    assert found == [first.job_number, second.job_number]
    assert data["pendingAssignments"]["totalCount"] == 2


async def test_job_relations_and_history(world: Catalog) -> None:
    job = await world.job(S.NEW)
    await world.admin.mutate(
        "mutation($i: TransitionJobInput!) { transitionJob(input: $i) { errors { code } } }",
        {"i": {"id": seeding.gid(job), "status": "DECLINED", "declineReason": "OTHER"}},
    )
    data = await world.admin(
        """query($id: ID) { manufacturingJob(id: $id) {
            manufacturer { name } productFamily { code } order { id }
            statusHistory { fromStatus toStatus actorRole version }
            allowedTransitions } }""",
        {"id": seeding.gid(job)},
    )
    node = data["manufacturingJob"]
    assert node["manufacturer"]["name"] == world.own["name"]
    assert node["productFamily"]["code"] == world.family["code"]
    assert node["order"]["id"] == encode_id("Order", job.order_id)
    assert node["statusHistory"] == [
        {"fromStatus": "NEW", "toStatus": "DECLINED", "actorRole": "admin", "version": 2}
    ]
    assert node["allowedTransitions"] == []


# -- progress --------------------------------------------------------------------------------

PROGRESS = """mutation($input: UpdateJobProgressInput!) { updateJobProgress(input: $input) {
    job { progressPercent version } errors { code field message } } }"""


async def test_progress_only_while_in_production_and_in_range(world: Catalog) -> None:
    manufacturer = world.manufacturer()
    accepted = await world.job(S.ACCEPTED)
    before = await snapshot(world.database)
    payload = await manufacturer.mutate(
        PROGRESS, {"input": {"id": seeding.gid(accepted), "progressPercent": 10}}
    )
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
    assert "only while IN_PRODUCTION" in payload["errors"][0]["message"]
    assert await snapshot(world.database) == before

    job = await world.job(S.IN_PRODUCTION)
    for bad in (-1, 101):
        payload = await manufacturer.mutate(
            PROGRESS, {"input": {"id": seeding.gid(job), "progressPercent": bad}}
        )
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [
            ("VALIDATION", ["input", "progressPercent"])
        ]
    payload = await manufacturer.mutate(
        PROGRESS, {"input": {"id": seeding.gid(job), "progressPercent": 40, "expectedVersion": 1}}
    )
    assert payload == {"job": {"progressPercent": 40, "version": 2}, "errors": []}
    [entry] = await audits(world.database, job.id)
    assert entry.changes is not None and entry.changes["after"] == {"progress_percent": 40}


# -- notes and photos ------------------------------------------------------------------------

NOTE = """mutation($input: AddJobNoteInput!) { addJobNote(input: $input) {
    note { content authorRole } job { jobNumber } errors { code field message } } }"""
PHOTO = """mutation($input: AddJobPhotoInput!) { addJobPhoto(input: $input) {
    photo { url stage caption } job { jobNumber } errors { code field message } } }"""


async def test_notes_by_role_and_staff_notes_notify_the_manufacturer(world: Catalog) -> None:
    job = await world.job(S.NEW)
    mine = await world.manufacturer().mutate(
        NOTE, {"input": {"jobId": seeding.gid(job), "content": "Fabric arrived"}}
    )
    assert mine["note"] == {"content": "Fabric arrived", "authorRole": "MANUFACTURER"}
    assert await notifications(world.database, job.id) == []

    staff = await world.admin.mutate(
        NOTE, {"input": {"jobId": seeding.gid(job), "content": "Rush please"}}
    )
    assert staff["note"]["authorRole"] == "ADMIN" and staff["job"]["jobNumber"] == job.job_number
    [notice] = await notifications(world.database, job.id)
    assert (notice.type, notice.audience, notice.manufacturer_id) == (
        "note_added",
        "manufacturer",
        world.own_id,
    )

    blank = await world.admin.mutate(NOTE, {"input": {"jobId": seeding.gid(job), "content": " "}})
    assert [(e["code"], e["field"]) for e in blank["errors"]] == [
        ("VALIDATION", ["input", "content"])
    ]
    data = await world.admin(
        "query($id: ID) { manufacturingJob(id: $id) { jobNotes { content } } }",
        {"id": seeding.gid(job)},
    )
    assert [n["content"] for n in data["manufacturingJob"]["jobNotes"]] == [
        "Fabric arrived",
        "Rush please",
    ]


async def test_photos_need_an_uploaded_file_and_list_newest_first(world: Catalog) -> None:
    job = await world.job(S.IN_PRODUCTION)
    bad = await world.manufacturer().mutate(
        PHOTO, {"input": {"jobId": seeding.gid(job), "file": "ftp://x/p.jpg", "stage": "SEWING"}}
    )
    assert [(e["code"], e["field"]) for e in bad["errors"]] == [("FILE_MISSING", ["input", "file"])]
    for n in (1, 2):
        ok = await world.manufacturer().mutate(
            PHOTO,
            {
                "input": {
                    "jobId": seeding.gid(job),
                    "file": photo_part(f"{n}.jpg"),
                    "stage": "SEWING",
                    "caption": f"n{n}",
                }
            },
        )
        assert ok["errors"] == [] and ok["photo"]["stage"] == "SEWING"
    data = await world.admin(
        """query($id: ID) { manufacturingJob(id: $id) {
            photos(first: 5) { totalCount edges { node { caption } } }
            qc: photos(stage: QC) { totalCount } } }""",
        {"id": seeding.gid(job)},
    )
    photos = data["manufacturingJob"]["photos"]
    assert photos["totalCount"] == 2
    assert [e["node"]["caption"] for e in photos["edges"]] == ["n2", "n1"]
    assert data["manufacturingJob"]["qc"]["totalCount"] == 0


# -- issues ----------------------------------------------------------------------------------

REPORT = """mutation($input: ReportJobIssueInput!) { reportJobIssue(input: $input) {
    issue { id isOpen holdsJob } job { hasOpenIssue onHold } errors { code field message } } }"""
RESOLVE = """mutation($input: ResolveJobIssueInput!) { resolveJobIssue(input: $input) {
    issue { isOpen resolution } job { hasOpenIssue onHold } errors { code field message } } }"""


async def _report(client: GraphQLClient, job: Any, severity: str, hold: bool) -> Any:
    return await client.mutate(
        REPORT,
        {
            "input": {
                "jobId": seeding.gid(job),
                "type": "EQUIPMENT_FAILURE",
                "severity": severity,
                "impact": "MAJOR_DELAY",
                "description": "Press broke",
                "holdJob": hold,
            }
        },
    )


async def test_issues_hold_the_job_until_every_holding_issue_is_resolved(world: Catalog) -> None:
    manufacturer = world.manufacturer()
    job = await world.job(S.IN_PRODUCTION)
    held = await _report(manufacturer, job, "CRITICAL", True)
    assert held["job"] == {"hasOpenIssue": True, "onHold": True}
    other = await _report(manufacturer, job, "LOW", False)
    assert other["job"] == {"hasOpenIssue": True, "onHold": True}
    notices = [n for n in await notifications(world.database, job.id) if n.type == "issue_reported"]
    assert [(n.audience, n.priority) for n in notices] == [("admin", "high"), ("admin", "normal")]

    blocked = await manufacturer.mutate(
        "mutation($i: TransitionJobInput!) { transitionJob(input: $i) { errors { code } } }",
        {"i": {"id": seeding.gid(job), "status": "QC"}},
    )
    assert [e["code"] for e in blocked["errors"]] == ["INVALID_TRANSITION"]

    released = await manufacturer.mutate(
        RESOLVE, {"input": {"issueId": held["issue"]["id"], "resolution": "Fixed"}}
    )
    assert released["issue"] == {"isOpen": False, "resolution": "Fixed"}
    assert released["job"] == {"hasOpenIssue": True, "onHold": False}
    again = await manufacturer.mutate(RESOLVE, {"input": {"issueId": held["issue"]["id"]}})
    assert [e["code"] for e in again["errors"]] == ["VALIDATION"]
    done = await manufacturer.mutate(RESOLVE, {"input": {"issueId": other["issue"]["id"]}})
    assert done["job"] == {"hasOpenIssue": False, "onHold": False}
    assert (await load_job(world.database, job.id)).on_hold is False
