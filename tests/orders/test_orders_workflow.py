"""The order lifecycle through the API: every (from, to) pair, guards, effects on jobs, jobs
moving their order, priorities and bulk updates."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from auth.permissions import Role
from domain.jobs import JobStatus
from domain.orders import DISPLAY_LABELS, OrderPriority, OrderStatus
from resolvers.ids import decode_id
from tests.support import factories, order_factories, seeding
from tests.support.db_state import audit_entries, snapshot
from tests.support.order_factories import BULK, CANCEL, FULFILL, SET_PRIORITY, SUBMIT
from tests.support.workflow_spec import ORDER_MOVES

ORDER = """
query($id: ID) { order(id: $id) {
  status displayStatus version cancelReason routedAt
  submittedAt approvedAt productionStartedAt fulfilledAt canceledAt
  events { status orderStatus message }
  statusHistory { fromStatus toStatus reason actorType }
  jobProgress { total shipped label }
  jobs { jobNumber status declineReason declineNotes }
} }"""
TRANSITION_JOB = """
mutation($input: TransitionJobInput!) {
  transitionJob(input: $input) { job { status } errors { code field message } }
}"""

STAMPS = {
    OrderStatus.SUBMITTED: "submittedAt",
    OrderStatus.APPROVED: "approvedAt",
    OrderStatus.IN_PRODUCTION: "productionStartedAt",
    OrderStatus.FULFILLED: "fulfilledAt",
    OrderStatus.CANCELED: "canceledAt",
}
PAIRS = list(itertools.product(OrderStatus, OrderStatus))


def _uuid(global_id: str) -> Any:
    return decode_id(global_id)[1]


async def _order(client: Any, global_id: str) -> Any:
    return (await client(ORDER, {"id": global_id}))["order"]


async def _variant_pk(client: Any) -> Any:
    return _uuid((await order_factories.variant(client))["id"])


async def _manufacturer_pk(client: Any) -> Any:
    return _uuid((await factories.manufacturer(client))["id"])


@pytest.mark.parametrize(
    ("source", "target"), PAIRS, ids=[f"{s.value}-{t.value}" for s, t in PAIRS]
)
async def test_every_pair_of_statuses(client, database, source, target):
    order = await seeding.order(database, status=source, items=[(await _variant_pk(client), 2)])
    if source is OrderStatus.IN_PRODUCTION:
        await seeding.job(
            database,
            manufacturer_id=await _manufacturer_pk(client),
            order_id=order.id,
            status=JobStatus.SHIPPED,
        )
    before = await snapshot(database)
    payload = await client.mutate(
        BULK, {"input": {"ids": [seeding.gid(order)], "status": target.name, "reason": "why"}}
    )
    assert payload["errors"] == []
    (result,) = payload["results"]
    seen = await _order(client, seeding.gid(order))
    if (source, target) in ORDER_MOVES:
        assert result["errors"] == []
        assert result["order"]["status"] == target.name
        assert seen["status"] == target.name and seen["version"] >= 2
        assert seen[STAMPS[target]] is not None
        assert seen["events"][-1]["status"] == DISPLAY_LABELS[target]
        assert seen["events"][-1]["orderStatus"] == target.name
        assert seen["statusHistory"][-1] == {
            "fromStatus": source.value,
            "toStatus": target.value,
            "reason": "why",
            "actorType": "user",
        }
        if target is OrderStatus.CANCELED:
            assert seen["cancelReason"] == "why"
            assert seen["events"][-1]["message"] == "Order canceled: why"
    else:
        assert result["order"] is None
        assert [e["code"] for e in result["errors"]] == ["INVALID_TRANSITION"]
        assert result["errors"][0]["field"] == ["input", "ids", "0", "status"]
        assert await snapshot(database) == before


async def test_submit_needs_line_items_and_leaves_no_trace(client, database):
    customer = await order_factories.customer(client)
    order = await order_factories.draft(client, customer["id"], [])
    before = await snapshot(database)
    payload = await client.mutate(SUBMIT, {"input": {"id": order["id"]}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "items"])
    ]
    assert await snapshot(database) == before


async def test_submit_records_the_queued_event(client):
    variant = await order_factories.variant(client)
    customer = await order_factories.customer(client)
    order = await order_factories.submitted(client, customer["id"], [(variant["id"], 1)])
    assert order["status"] == "SUBMITTED" and order["displayStatus"] == "Queued"
    assert [(e["status"], e["message"]) for e in order["events"]] == [
        ("Spec Review", "Order created; specs under review"),
        ("Queued", "Order submitted, queued for production"),
    ]
    assert order["allowedTransitions"] == ["APPROVED", "CANCELED"]


async def test_cancel_needs_a_reason(client, database):
    customer = await order_factories.customer(client)
    order = await order_factories.draft(client, customer["id"], [])
    before = await snapshot(database)
    payload = await client.mutate(CANCEL, {"input": {"id": order["id"], "reason": "  "}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "reason"])
    ]
    assert await snapshot(database) == before
    payload = await client.mutate(
        CANCEL, {"input": {"id": order["id"], "reason": "Customer changed mind"}}
    )
    canceled = payload["order"]
    assert canceled["status"] == "CANCELED" and canceled["displayStatus"] == "Spec Review"
    assert canceled["cancelReason"] == "Customer changed mind"
    assert canceled["events"][-1]["message"] == "Order canceled: Customer changed mind"
    assert canceled["allowedTransitions"] == []


async def test_a_stale_expected_version_is_conflict(client, database):
    variant = await order_factories.variant(client)
    customer = await order_factories.customer(client)
    order = await order_factories.draft(client, customer["id"], [(variant["id"], 1)])
    before = await snapshot(database)
    payload = await client.mutate(SUBMIT, {"input": {"id": order["id"], "expectedVersion": 2}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("CONFLICT", ["input", "expectedVersion"])
    ]
    assert await snapshot(database) == before
    payload = await client.mutate(SUBMIT, {"input": {"id": order["id"], "expectedVersion": 1}})
    assert payload["errors"] == [] and payload["order"]["version"] == 2


async def test_a_customer_cannot_submit_or_approve_but_cancels_its_own_draft(client, database):
    own = await seeding.customer(database)
    variant_pk = await _variant_pk(client)
    mine = await seeding.order(database, customer_id=own.id, items=[(variant_pk, 1)])
    approved = await seeding.order(database, customer_id=own.id, status=OrderStatus.APPROVED)
    theirs = await seeding.order(database)
    as_customer = client.as_role(Role.CUSTOMER, customer_id=own.id)
    before = await snapshot(database)
    for document in (SUBMIT, order_factories.APPROVE, FULFILL):
        body = await as_customer.raw(document, {"input": {"id": seeding.gid(mine)}})
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    payload = await as_customer.mutate(
        CANCEL, {"input": {"id": seeding.gid(approved), "reason": "no"}}
    )
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
    payload = await as_customer.mutate(
        CANCEL, {"input": {"id": seeding.gid(theirs), "reason": "no"}}
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", ["input", "id"])]
    assert await snapshot(database) == before

    payload = await as_customer.mutate(CANCEL, {"input": {"id": seeding.gid(mine), "reason": "x"}})
    assert payload["errors"] == [] and payload["order"]["status"] == "CANCELED"


async def test_a_customer_sees_only_its_own_orders(client, database):
    own = await seeding.customer(database)
    mine = await seeding.order(database, customer_id=own.id)
    theirs = await seeding.order(database)
    as_customer = client.as_role(Role.CUSTOMER, customer_id=own.id)

    data = await as_customer("{ orders { totalCount edges { node { id reference } } } }")
    assert data["orders"]["totalCount"] == 1
    assert [e["node"]["id"] for e in data["orders"]["edges"]] == [seeding.gid(mine)]
    for order, visible in ((mine, True), (theirs, False)):
        data = await as_customer(
            "query($id: ID!, $ref: String) { node(id: $id) { id } order(reference: $ref) { id } }",
            {"id": seeding.gid(order), "ref": order.reference},
        )
        expected = {"id": seeding.gid(order)} if visible else None
        assert data == {"node": expected, "order": expected}
    data = await as_customer(
        "{ customers { totalCount edges { node { id orders { totalCount } } } } }"
    )
    assert [e["node"] for e in data["customers"]["edges"]] == [
        {"id": seeding.gid(own), "orders": {"totalCount": 1}}
    ]
    # Staff see everything.
    data = await client("{ orders { totalCount } customers { totalCount } }")
    assert data == {"orders": {"totalCount": 2}, "customers": {"totalCount": 2}}


async def test_order_lookup_takes_exactly_one_key(client, database):
    order = await seeding.order(database)
    data = await client(
        "query($ref: String) { order(reference: $ref) { id reference } }",
        {"ref": order.reference},
    )
    assert data["order"] == {"id": seeding.gid(order), "reference": order.reference}
    body = await client.raw(
        "query($id: ID, $ref: String) { order(id: $id, reference: $ref) { id } }",
        {"id": seeding.gid(order), "ref": order.reference},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    data = await client('{ order(reference: "ORD-1900-001") { id } }')
    assert data["order"] is None


async def test_list_filters(client, database):
    customer = await seeding.customer(database)
    a = await seeding.order(database, customer_id=customer.id, priority=OrderPriority.RUSH)
    b = await seeding.order(database, status=OrderStatus.SUBMITTED)
    await seeding.order(database, status=OrderStatus.CANCELED)
    query = "query($f: OrderFilter) { orders(filter: $f, orderBy: [{field: REFERENCE}]) { edges { node { id } } } }"

    async def ids(filter_: dict[str, Any]) -> list[str]:
        data = await client(query, {"f": filter_})
        return [e["node"]["id"] for e in data["orders"]["edges"]]

    assert await ids({"priorities": ["RUSH"]}) == [seeding.gid(a)]
    assert await ids({"statuses": ["SUBMITTED"]}) == [seeding.gid(b)]
    assert await ids({"customerId": seeding.gid(customer)}) == [seeding.gid(a)]
    assert await ids({"search": b.reference[-3:]}) == [seeding.gid(b)]
    assert len(await ids({"createdAfter": "2000-01-01T00:00:00Z"})) == 3
    assert await ids({"createdBefore": "2000-01-01T00:00:00Z"}) == []


# -- jobs and the order ----------------------------------------------------------------------


async def _approved_with_jobs(client: Any, database: Any, *statuses: JobStatus) -> Any:
    order = await seeding.order(
        database, status=OrderStatus.APPROVED, items=[(await _variant_pk(client), 2)]
    )
    maker = await _manufacturer_pk(client)
    jobs = [
        await seeding.job(database, manufacturer_id=maker, order_id=order.id, status=status)
        for status in statuses
    ]
    return order, jobs


async def test_cancel_an_approved_order_declines_its_new_jobs(client, database):
    order, (new, waiting) = await _approved_with_jobs(
        client, database, JobStatus.NEW, JobStatus.PENDING_ASSIGNMENT
    )
    payload = await client.mutate(CANCEL, {"input": {"id": seeding.gid(order), "reason": "Dup"}})
    assert payload["errors"] == []
    seen = await _order(client, seeding.gid(order))
    assert seen["status"] == "CANCELED"
    jobs = {j["jobNumber"]: j for j in seen["jobs"]}
    assert len(jobs) == 2  # no backup job for a canceled order
    assert jobs[new.job_number]["status"] == "DECLINED"
    assert jobs[new.job_number]["declineReason"] == "OTHER"
    assert jobs[new.job_number]["declineNotes"] == "Order canceled"
    assert jobs[waiting.job_number]["status"] == "PENDING_ASSIGNMENT"


async def test_an_approved_order_with_an_accepted_job_cannot_be_canceled(client, database):
    order, (_, accepted) = await _approved_with_jobs(
        client, database, JobStatus.NEW, JobStatus.ACCEPTED
    )
    before = await snapshot(database)
    payload = await client.mutate(CANCEL, {"input": {"id": seeding.gid(order), "reason": "x"}})
    (error,) = payload["errors"]
    assert error["code"] == "INVALID_TRANSITION" and accepted.job_number in error["message"]
    assert await snapshot(database) == before


async def test_the_first_job_in_production_moves_the_order_and_shipping_shows_progress(
    client, database
):
    order, (first, second, declined) = await _approved_with_jobs(
        client, database, JobStatus.ACCEPTED, JobStatus.READY_TO_SHIP, JobStatus.DECLINED
    )
    payload = await client.mutate(
        TRANSITION_JOB, {"input": {"id": seeding.gid(first), "status": "IN_PRODUCTION"}}
    )
    assert payload["errors"] == []
    seen = await _order(client, seeding.gid(order))
    assert seen["status"] == "IN_PRODUCTION" and seen["displayStatus"] == "Finishing"
    assert seen["productionStartedAt"] is not None
    assert seen["statusHistory"][-1]["actorType"] == "system"
    assert seen["events"][-1] == {
        "status": "Finishing",
        "orderStatus": "IN_PRODUCTION",
        "message": "Production started",
    }

    payload = await client.mutate(
        TRANSITION_JOB,
        {
            "input": {
                "id": seeding.gid(second),
                "status": "SHIPPED",
                "shippingCarrier": "UPS",
                "trackingNumber": "1Z999",
            }
        },
    )
    assert payload["errors"] == []
    seen = await _order(client, seeding.gid(order))
    assert seen["status"] == "IN_PRODUCTION"  # no auto-fulfilment
    assert seen["events"][-1] == {
        "status": "Finishing",
        "orderStatus": "IN_PRODUCTION",
        "message": f"Job {second.job_number} shipped (1 of 2 ready)",
    }
    assert seen["jobProgress"] == {"total": 2, "shipped": 1, "label": "1 of 2 ready"}

    before = await snapshot(database)
    payload = await client.mutate(FULFILL, {"input": {"id": seeding.gid(order)}})
    (error,) = payload["errors"]
    assert error["code"] == "INVALID_TRANSITION" and "1 of 2 jobs shipped" in error["message"]
    assert await snapshot(database) == before
    assert declined.status is JobStatus.DECLINED


async def test_fulfil_needs_jobs(client, database):
    order = await seeding.order(database, status=OrderStatus.IN_PRODUCTION)
    payload = await client.mutate(FULFILL, {"input": {"id": seeding.gid(order)}})
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]


async def test_approve_routes_the_order_into_jobs(client):
    order = await order_factories.submitted_to_one_maker(client)
    payload = await client.mutate(
        order_factories.transition_mutation("approveOrder", "jobs { status quantity }"),
        {"input": {"id": order["id"]}},
    )
    assert payload["errors"] == []
    approved = payload["order"]
    assert approved["status"] == "APPROVED" and approved["displayStatus"] == "Printing"
    assert approved["routedAt"] is not None
    assert [j["quantity"] for j in approved["jobs"]] == [5]
    assert approved["events"][-1]["message"] == "Order approved; routing to manufacturers"
    assert approved["jobProgress"]["total"] == 1


# -- priority --------------------------------------------------------------------------------


async def test_priority_hold_pauses_routing_until_released(client, database):
    variant = await order_factories.variant(client)
    customer = await order_factories.customer(client)
    order = await order_factories.submitted(client, customer["id"], [(variant["id"], 1)])
    payload = await client.mutate(SET_PRIORITY, {"input": {"id": order["id"], "priority": "HOLD"}})
    held = payload["order"]
    assert (held["priority"], held["priorityLabel"], held["etaDays"]) == ("HOLD", "Hold", None)
    entries = [e for e in await audit_entries(database) if e.entity_type == "Order"]
    changes = entries[-1].changes
    assert changes is not None and changes["after"] == {"priority": "hold"}

    payload = await client.mutate(
        order_factories.transition_mutation("approveOrder", "jobs { status }"),
        {"input": {"id": order["id"]}},
    )
    assert payload["order"]["status"] == "APPROVED"
    assert payload["order"]["routedAt"] is None and payload["order"]["jobs"] == []

    payload = await client.mutate(
        order_factories.transition_mutation("setOrderPriority", "jobs { status }"),
        {"input": {"id": order["id"], "priority": "RUSH"}},
    )
    assert payload["errors"] == []
    released = payload["order"]
    assert released["etaDays"] == 2 and released["routedAt"] is not None
    assert len(released["jobs"]) == 1


async def test_priority_of_a_finished_order_is_immutable(client, database):
    order = await seeding.order(database, status=OrderStatus.FULFILLED)
    before = await snapshot(database)
    payload = await client.mutate(
        SET_PRIORITY, {"input": {"id": seeding.gid(order), "priority": "RUSH"}}
    )
    assert [e["code"] for e in payload["errors"]] == ["IMMUTABLE"]
    assert await snapshot(database) == before


# -- bulk ------------------------------------------------------------------------------------


async def test_bulk_update_reports_each_order_in_order(client, database):
    variant_pk = await _variant_pk(client)
    ready = await seeding.order(database, items=[(variant_pk, 1)])
    empty = await seeding.order(database)
    done = await seeding.order(database, status=OrderStatus.FULFILLED)
    ids = [seeding.gid(ready), seeding.gid(empty), seeding.gid(done), "junk", seeding.gid(ready)]
    payload = await client.mutate(BULK, {"input": {"ids": ids, "status": "SUBMITTED"}})
    assert payload["errors"] == []
    results = payload["results"]
    assert [r["orderId"] for r in results] == ids
    assert results[0]["errors"] == [] and results[0]["order"]["status"] == "SUBMITTED"
    assert [(e["code"], e["field"]) for e in results[1]["errors"]] == [
        ("VALIDATION", ["input", "ids", "1", "items"])
    ]
    assert [e["code"] for e in results[2]["errors"]] == ["INVALID_TRANSITION"]
    assert [(e["code"], e["field"]) for e in results[3]["errors"]] == [
        ("VALIDATION", ["input", "ids", "3"])
    ]
    # The same order again: already submitted by the first entry.
    assert [e["code"] for e in results[4]["errors"]] == ["INVALID_TRANSITION"]
    assert all(r["order"] is None for r in results[1:])


async def test_bulk_update_checks_the_whole_input_first(client, database):
    order = await seeding.order(database)
    before = await snapshot(database)
    payload = await client.mutate(
        BULK, {"input": {"ids": [seeding.gid(order)] * 101, "status": "CANCELED"}}
    )
    assert payload["results"] == []
    assert {tuple(e["field"]) for e in payload["errors"]} == {
        ("input", "ids"),
        ("input", "reason"),
    }
    assert await snapshot(database) == before
