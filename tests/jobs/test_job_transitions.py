"""transitionJob over every (from, to) pair of the job workflow, its guards, batches and
concurrent moves (SPEC §2.1, API.md "Mutations")."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest
from starlette.applications import Starlette

from auth.permissions import Role
from db.models import Order
from domain.clock import as_utc
from domain.jobs import JobStatus
from domain.orders import OrderStatus
from resolvers.ids import encode_id
from tests.support import seeding
from tests.support.db_state import snapshot
from tests.support.files import photo_part
from tests.support.graphql import GraphQLClient
from tests.support.job_support import (
    Catalog,
    audits,
    catalog,
    history,
    load_job,
    notifications,
    transition,
)
from tests.support.workflow_spec import JOB_MOVES

S = JobStatus
FUTURE = (date.today() + timedelta(days=10)).isoformat()
# What each target needs, given to every move to it (and to the refused ones alike).
INPUTS: dict[JobStatus, dict[str, Any]] = {
    S.ACCEPTED: {"estimatedCompletionDate": FUTURE},
    S.DECLINED: {"declineReason": "CAPACITY", "declineNotes": "Full until March"},
    S.SHIPPED: {"shippingCarrier": "DHL", "trackingNumber": "1Z999"},
}
# The stage timestamps each forward move sets (back-moves set none).
STAMPS = {
    (S.NEW, S.ACCEPTED): ["acceptedAt"],
    (S.NEW, S.DECLINED): ["declinedAt"],
    (S.ACCEPTED, S.IN_PRODUCTION): ["startedAt"],
    (S.IN_PRODUCTION, S.QC): ["qcStartedAt"],
    (S.QC, S.READY_TO_SHIP): ["qcPassedAt", "readyToShipAt"],
    (S.READY_TO_SHIP, S.SHIPPED): ["shippedAt"],
}
ALL_STAMPS = [
    "acceptedAt",
    "declinedAt",
    "startedAt",
    "qcStartedAt",
    "qcPassedAt",
    "readyToShipAt",
    "shippedAt",
]


@pytest.fixture
async def world(client: GraphQLClient, database: Any) -> Catalog:
    return await catalog(client, database)


async def _assert_allowed(world: Catalog, source: JobStatus, target: JobStatus) -> None:
    job = await world.job(
        source,
        manufacturer_id=None if source is S.PENDING_ASSIGNMENT else "own",
        qc_photo=source is S.QC,
    )
    before = datetime.now(UTC) - timedelta(seconds=5)
    payload = await transition(
        world.admin,
        job,
        target.value,
        expectedVersion=1,
        reason="pair test",
        **INPUTS.get(target, {}),
    )
    assert payload["errors"] == [], (source, target, payload["errors"])
    moved = payload["job"]
    assert moved["status"] == target.value
    assert moved["version"] == 2
    stamps = STAMPS.get((source, target), [])
    for stamp in ALL_STAMPS:
        if stamp in stamps:
            assert as_utc(datetime.fromisoformat(moved[stamp])) >= before, (source, target, stamp)
        else:
            assert moved[stamp] is None, (source, target, stamp)
    if (source, target) == (S.NEW, S.ACCEPTED):
        assert moved["estimatedCompletionDate"] == FUTURE
    if target is S.DECLINED:
        assert (moved["declineReason"], moved["declineNotes"]) == ("CAPACITY", "Full until March")
    if target is S.SHIPPED:
        assert (moved["shippingCarrier"], moved["trackingNumber"]) == ("DHL", "1Z999")

    rows = await history(world.database, job.id)
    assert [(r.from_status, r.to_status, r.reason, r.version) for r in rows] == [
        (source.value, target.value, "pair test", 2)
    ]
    changes = [a for a in await audits(world.database, job.id) if a.action == "status_changed"]
    assert len(changes) == 1
    assert (changes[0].old_value, changes[0].new_value) == (source.value, target.value)
    notices = [n for n in await notifications(world.database, job.id) if n.type == "status_changed"]
    assert [(n.audience, n.priority) for n in notices] == [("admin", "low")]


async def _assert_refused(world: Catalog, source: JobStatus, target: JobStatus) -> None:
    job = await world.job(
        source,
        manufacturer_id=None if source is S.PENDING_ASSIGNMENT else "own",
        qc_photo=True,
    )
    before = await snapshot(world.database)
    payload = await transition(world.admin, job, target.value, **INPUTS.get(target, {}))
    assert payload["job"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("INVALID_TRANSITION", ["input", "status"])
    ], (source, target, payload["errors"])
    assert source.value in payload["errors"][0]["message"]
    assert await snapshot(world.database) == before, (source, target)


@pytest.mark.parametrize("source", list(JobStatus), ids=lambda s: s.value)
async def test_every_pair_from(world: Catalog, source: JobStatus) -> None:
    """From `source` to each of the 8 statuses: the table's moves succeed with their side
    effects, every other one (same state included) is INVALID_TRANSITION and leaves no trace."""
    for target in JobStatus:
        if (source, target) == (S.PENDING_ASSIGNMENT, S.NEW):
            continue  # assignJob's move: see test_pending_to_new_points_to_assign_job
        if (source, target) in JOB_MOVES:
            await _assert_allowed(world, source, target)
        else:
            await _assert_refused(world, source, target)


async def test_pending_to_new_points_to_assign_job(world: Catalog) -> None:
    job = await world.job(S.PENDING_ASSIGNMENT, manufacturer_id=None)
    before = await snapshot(world.database)
    payload = await transition(world.admin, job, "NEW")
    [error] = payload["errors"]
    assert error["code"] == "VALIDATION"
    assert error["field"] == ["input", "status"]
    assert "assignJob" in error["message"]
    assert await snapshot(world.database) == before


async def test_start_and_ship_move_the_order(world: Catalog) -> None:
    """The order follows its job: in_production when production starts."""
    job = await world.job(S.ACCEPTED)
    assert (await transition(world.admin, job, "IN_PRODUCTION"))["errors"] == []
    async with world.database.transaction() as session:
        order = await session.get(Order, job.order_id)
        assert order is not None and order.status == OrderStatus.IN_PRODUCTION


async def test_decline_reroutes(world: Catalog) -> None:
    """BR-8: a declined job is replaced (backup) or waits for assignment; either way a new
    job for the same order exists after the decline."""
    job = await world.job(S.NEW)
    payload = await transition(world.admin, job, "DECLINED", declineReason="TIMELINE")
    assert payload["errors"] == []
    data = await world.admin(
        "query($o: ID) { manufacturingJobs(filter: {orderId: $o}) { edges { node { status } } } }",
        {"o": encode_id("Order", job.order_id)},
    )
    statuses = sorted(e["node"]["status"] for e in data["manufacturingJobs"]["edges"])
    assert "DECLINED" in statuses and len(statuses) == 2


# -- guards ----------------------------------------------------------------------------------


async def test_accept_requires_an_estimated_completion_date(world: Catalog) -> None:
    job = await world.job(S.NEW)
    before = await snapshot(world.database)
    payload = await transition(world.manufacturer(), job, "ACCEPTED")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "estimatedCompletionDate"])
    ]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    payload = await transition(
        world.manufacturer(), job, "ACCEPTED", estimatedCompletionDate=yesterday
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "estimatedCompletionDate"])
    ]
    assert await snapshot(world.database) == before
    payload = await transition(
        world.manufacturer(), job, "ACCEPTED", estimatedCompletionDate=FUTURE
    )
    assert payload["errors"] == [] and payload["job"]["status"] == "ACCEPTED"


async def test_qc_pass_needs_a_qc_photo(world: Catalog) -> None:
    job = await world.job(S.QC)
    manufacturer = world.manufacturer()
    payload = await transition(manufacturer, job, "READY_TO_SHIP")
    assert [e["code"] for e in payload["errors"]] == ["VALIDATION"]
    assert "QC photo" in payload["errors"][0]["message"]
    # A photo of another stage does not count.
    photo = (
        "mutation($input: AddJobPhotoInput!) { addJobPhoto(input: $input) "
        "{ photo { id } errors { code } } }"
    )
    for stage in ("PACKING", "QC"):
        added = await manufacturer.mutate(
            photo,
            {
                "input": {
                    "jobId": seeding.gid(job),
                    "file": photo_part(),
                    "stage": stage,
                }
            },
        )
        assert added["errors"] == []
        payload = await transition(manufacturer, job, "READY_TO_SHIP")
        if stage == "PACKING":
            assert [e["code"] for e in payload["errors"]] == ["VALIDATION"]
    assert payload["errors"] == [] and payload["job"]["status"] == "READY_TO_SHIP"


async def test_shipping_needs_carrier_and_tracking(world: Catalog) -> None:
    job = await world.job(S.READY_TO_SHIP)
    payload = await transition(world.manufacturer(), job, "SHIPPED")
    assert sorted(tuple(e["field"]) for e in payload["errors"]) == [
        ("input", "shippingCarrier"),
        ("input", "trackingNumber"),
    ]
    assert {e["code"] for e in payload["errors"]} == {"VALIDATION"}
    payload = await transition(world.manufacturer(), job, "SHIPPED", shippingCarrier="UPS")
    assert [e["field"] for e in payload["errors"]] == [["input", "trackingNumber"]]
    payload = await transition(
        world.manufacturer(), job, "SHIPPED", shippingCarrier="UPS", trackingNumber="1Z1"
    )
    assert payload["errors"] == []
    assert (payload["job"]["shippingCarrier"], payload["job"]["trackingNumber"]) == ("UPS", "1Z1")


async def test_decline_needs_a_reason(world: Catalog) -> None:
    job = await world.job(S.NEW)
    payload = await transition(world.manufacturer(), job, "DECLINED", declineNotes="no")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "declineReason"])
    ]
    assert (await load_job(world.database, job.id)).status == S.NEW


async def test_stale_expected_version_is_a_conflict(world: Catalog) -> None:
    job = await world.job(S.NEW)
    payload = await transition(
        world.manufacturer(), job, "ACCEPTED", estimatedCompletionDate=FUTURE, expectedVersion=7
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("CONFLICT", ["input", "expectedVersion"])
    ]


async def test_on_hold_blocks_forward_moves_but_not_back_moves(world: Catalog) -> None:
    job = await world.job(S.IN_PRODUCTION, on_hold=True, has_open_issue=True)
    payload = await transition(world.manufacturer(), job, "QC")
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
    assert "hold" in payload["errors"][0]["message"]
    payload = await transition(world.manufacturer(), job, "ACCEPTED")
    assert payload["errors"] == []


# -- batches ---------------------------------------------------------------------------------

BATCH = """
mutation($input: BatchTransitionJobsInput!) {
  batchTransitionJobs(input: $input) {
    results { jobId job { status version } errors { code field message } }
    errors { code field message }
  }
}"""


async def test_batch_applies_each_move_on_its_own_in_order(world: Catalog) -> None:
    first = await world.job(S.NEW)
    refused = await world.job(S.NEW)
    third = await world.job(S.IN_PRODUCTION)
    items: list[dict[str, Any]] = [
        {"id": seeding.gid(first), "status": "ACCEPTED", "estimatedCompletionDate": FUTURE},
        {"id": seeding.gid(refused), "status": "SHIPPED"},
        {"id": seeding.gid(third), "status": "QC", "expectedVersion": 1},
    ]
    payload = await world.admin.mutate(BATCH, {"input": {"items": items}})
    assert payload["errors"] == []
    results = payload["results"]
    assert [r["jobId"] for r in results] == [i["id"] for i in items]
    assert results[0]["job"]["status"] == "ACCEPTED" and results[0]["errors"] == []
    assert results[1]["job"] is None
    assert [(e["code"], e["field"]) for e in results[1]["errors"]] == [
        ("INVALID_TRANSITION", ["input", "items", "1", "status"])
    ]
    assert results[2]["job"] == {"status": "QC", "version": 2}
    assert (await load_job(world.database, refused.id)).status == S.NEW


async def test_batch_reports_item_paths_for_lookup_errors(world: Catalog) -> None:
    job = await world.job(S.NEW, manufacturer_id=world.other_id)
    items = [{"id": seeding.gid(job), "status": "ACCEPTED", "estimatedCompletionDate": FUTURE}]
    payload = await world.manufacturer().mutate(BATCH, {"input": {"items": items}})
    [result] = payload["results"]
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("NOT_FOUND", ["input", "items", "0", "id"])
    ]


async def test_batch_is_limited_to_50(world: Catalog) -> None:
    job = await world.job(S.NEW)
    items = [{"id": seeding.gid(job), "status": "DECLINED"}] * 51
    payload = await world.admin.mutate(BATCH, {"input": {"items": items}})
    assert payload["results"] == []
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "items"])
    ]


# -- concurrency -----------------------------------------------------------------------------


class _InFlight:
    """An ASGI wrapper counting how many requests the app handles at once."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.state = app.state
        self.now = 0
        self.most = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            await self.app(scope, receive, send)
        finally:
            self.now -= 1


@pytest.mark.parametrize("with_version", [True, False], ids=["expectedVersion", "noVersion"])
async def test_concurrent_moves_from_one_state_let_exactly_one_win(
    world: Catalog, with_version: bool, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite serialises writers; row locks (FOR UPDATE) are PostgreSQL's")
    job = await world.job(S.NEW)
    counting = _InFlight(world.admin.app)
    manufacturer = world.manufacturer()
    racer = GraphQLClient(
        cast(Starlette, counting), manufacturer.headers, role=Role.MANUFACTURER, owns_app=False
    )
    inputs: dict[str, Any] = {"estimatedCompletionDate": FUTURE}
    if with_version:
        inputs["expectedVersion"] = 1
    payloads = await asyncio.gather(
        *(transition(racer, job, "ACCEPTED", **inputs) for _ in range(20))
    )
    await racer.http.aclose()
    winners = [p for p in payloads if not p["errors"]]
    losers = {e["code"] for p in payloads for e in p["errors"]}
    assert len(winners) == 1
    assert losers <= {"CONFLICT", "INVALID_TRANSITION"} and losers
    assert counting.most > 1, "the requests did not overlap"
    assert len(await history(world.database, job.id)) == 1
    assert (await load_job(world.database, job.id)).version == 2
