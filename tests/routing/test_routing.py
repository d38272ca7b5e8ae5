"""Routing through the API (SPEC §6 "Catalog integration" and "Catalog logic", BR-1..BR-8,
BR-24): approving an order splits it into jobs; fallback, pending assignment, manual
assignment and reassignment, declines, credit, idempotency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from auth.permissions import Role
from db.models import ManufacturingJob, Notification
from domain.jobs import JobStatus
from domain.notifications import NotificationType
from domain.orders import OrderPriority, OrderStatus
from resolvers.ids import decode_id
from tests.support import factories, order_factories, seeding
from tests.support.db_state import audit_entries, row_counts, snapshot
from tests.support.graphql import GraphQLClient
from tests.support.routing_world import (
    DECISION,
    ERRORS,
    JOB,
    REASSIGN,
    UPDATE_MFR,
    approved,
    jobs_of,
    manufacturer,
    reassign_to_zab,
    variant_of,
    world,
)

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions

HISTORY = (
    "query($f: RoutingDecisionFilter) { routingHistory(filter: $f) { totalCount"
    " edges { node { " + DECISION + " } } } }"
)
ROUTE = (
    "mutation($input: RouteOrderInput!) { routeOrder(input: $input) {"
    f" order {{ id routedAt }} jobs {{ {JOB} }} decisions {{ {DECISION} }} warnings {ERRORS} }} }}"
)
ASSIGN = (
    "mutation($input: AssignJobInput!) { assignJob(input: $input) {"
    f" job {{ {JOB} }} decision {{ {DECISION} }} warnings {ERRORS} }} }}"
)
TRANSITION = (
    "mutation($input: TransitionJobInput!) { transitionJob(input: $input) {"
    f" job {{ id status }} {ERRORS} }} }}"
)
UPDATE_FAMILY = (
    "mutation($input: UpdateProductFamilyInput!) { updateProductFamily(input: $input) {"
    f" productFamily {{ id }} {ERRORS} }} }}"
)


async def history(client: GraphQLClient, **filter: Any) -> list[Any]:
    data = await client(HISTORY, {"f": filter})
    return [edge["node"] for edge in data["routingHistory"]["edges"]]


async def notifications(database: Any) -> list[Notification]:
    async with database.transaction() as session:
        return list((await session.scalars(select(Notification))).all())


def types_of(found: list[Notification]) -> list[NotificationType]:
    return sorted(n.type for n in found)


# -- integration (1) new order routes ---------------------------------------------------------


async def test_an_approved_order_routes_to_the_family_default(client, database):
    w = await world(client)
    order = await approved(client, [(w["variant"]["id"], 5)])
    (job,) = await jobs_of(client, order["id"])
    number = order["reference"].removeprefix("ORD-")
    assert job["jobNumber"] == f"MFG-{number}A"
    assert job["status"] == "NEW" and job["quantity"] == 5
    assert job["manufacturer"]["name"] == "Hawk"
    assert (job["routedBy"], job["routingSource"]) == ("AUTO", "FAMILY_DEFAULT")
    assert job["routingReason"] == "Family default for WRESTLING: Hawk"
    assert job["quotedCost"] == {"amount": "60.00"}
    assert job["dueDate"] == (datetime.now(UTC).date() + timedelta(days=21)).isoformat()
    assert job["decorationType"] == "DTG" and job["items"] == [{"quantity": 5}]
    (decision,) = await history(client, orderId=order["id"])
    assert decision["routedBy"] == "AUTO" and decision["job"]["jobNumber"] == job["jobNumber"]
    assert decision["candidates"] == [
        {
            "source": "FAMILY_DEFAULT",
            "available": True,
            "reasons": [],
            "manufacturer": {"name": "Hawk"},
        }
    ]
    found = await notifications(database)
    assert [n.type for n in found if n.manufacturer_id] == [NotificationType.NEW_JOB]
    created = [e for e in await audit_entries(database) if e.entity_type == "ManufacturingJob"]
    assert [e.action.value for e in created] == ["created"]


# -- integration (2) multi-family order gives several jobs --------------------------------------


async def test_a_multi_family_order_is_split_one_job_per_manufacturer(client):
    w = await world(client)
    basics_mfr = await manufacturer(client, "Basics Co")
    basics = await factories.family(
        client, code="BASICS_TOPS", defaultManufacturerId=basics_mfr["id"]
    )
    shirt = await variant_of(client, basics["id"])
    singlet2 = await variant_of(client, w["family"]["id"])
    order = await approved(client, [(w["variant"]["id"], 2), (shirt["id"], 3), (singlet2["id"], 4)])
    jobs = await jobs_of(client, order["id"])
    assert [(j["jobNumber"][-1], j["manufacturer"]["name"], j["quantity"]) for j in jobs] == [
        ("A", "Hawk", 6),
        ("B", "Basics Co", 3),
    ]
    assert sorted(i["quantity"] for i in jobs[0]["items"]) == [2, 4]
    assert len(await history(client, orderId=order["id"])) == 2


# -- integration (3) unavailable → fallback; logic (3)/(4) deactivation and reactivation --------


async def test_a_manufacturer_at_capacity_routes_to_the_backup(client, database):
    w = await world(client, maxConcurrentJobs=1)
    hawk_pk = decode_id(w["hawk"]["id"])[1]
    await seeding.job(database, manufacturer_id=hawk_pk)  # its only slot
    order = await approved(client, [(w["variant"]["id"], 5)])
    (job,) = await jobs_of(client, order["id"])
    assert job["manufacturer"]["name"] == "Riddle"
    assert job["routedBy"] == "FALLBACK" and job["originalManufacturer"]["name"] == "Hawk"
    assert job["routingReason"] == "Routed to backup Riddle: Hawk at capacity (1/1)"
    (decision,) = await history(client, orderId=order["id"])
    assert [(c["manufacturer"]["name"], c["available"]) for c in decision["candidates"]] == [
        ("Hawk", False),
        ("Riddle", True),
    ]
    assert decision["candidates"][0]["reasons"] == ["at capacity (1/1)"]
    admin = [n.type for n in await notifications(database) if n.manufacturer_id is None]
    assert NotificationType.ROUTED_TO_BACKUP in admin


async def test_deactivation_falls_back_and_reactivation_restores_routing(client):
    w = await world(client)
    update = "mutation($input: UpdateManufacturerInput!) { updateManufacturer(input: $input) { errors { code } } }"
    assert (
        await client.mutate(update, {"input": {"id": w["hawk"]["id"], "acceptingOrders": False}})
    )["errors"] == []
    first = await approved(client, [(w["variant"]["id"], 1)])
    assert (await jobs_of(client, first["id"]))[0]["manufacturer"]["name"] == "Riddle"
    await client.mutate(
        update, {"input": {"id": w["riddle"]["id"], "onboardingStatus": "SUSPENDED"}}
    )
    second = await approved(client, [(w["variant"]["id"], 1)])
    (job,) = await jobs_of(client, second["id"])
    assert job["manufacturer"]["name"] == "Zab" and job["routingSource"] == "FAMILY_ASSIGNMENT"
    assert "Hawk not accepting orders" in job["routingReason"]
    await client.mutate(update, {"input": {"id": w["hawk"]["id"], "acceptingOrders": True}})
    third = await approved(client, [(w["variant"]["id"], 1)])
    (job,) = await jobs_of(client, third["id"])
    assert (job["manufacturer"]["name"], job["routedBy"]) == ("Hawk", "AUTO")


# -- integration (4) all unavailable → PENDING_ASSIGNMENT --------------------------------------


async def test_nobody_available_leaves_the_lines_pending_and_tells_the_admins(client, database):
    w = await world(client, acceptingOrders=False)
    update = "mutation($input: UpdateManufacturerInput!) { updateManufacturer(input: $input) { errors { code } } }"
    for key in ("riddle", "zab"):
        await client.mutate(
            update, {"input": {"id": w[key]["id"], "onboardingStatus": "SUSPENDED"}}
        )
    order = await approved(client, [(w["variant"]["id"], 3)])
    (job,) = await jobs_of(client, order["id"])
    assert job["status"] == "PENDING_ASSIGNMENT" and job["manufacturer"] is None
    assert job["routingSource"] == "UNASSIGNED"
    assert job["routingReason"].startswith("No available manufacturer for WRESTLING")
    found = await notifications(database)
    assert [n.type for n in found] == [NotificationType.PENDING_ASSIGNMENT]


async def test_a_product_without_any_manufacturer_is_pending(client):
    variant = await variant_of(client, None)
    order = await approved(client, [(variant["id"], 1)])
    (job,) = await jobs_of(client, order["id"])
    assert job["status"] == "PENDING_ASSIGNMENT"
    assert job["routingReason"] == "No manufacturer configured"


# -- integration (5) manual assign ------------------------------------------------------------


async def _pending_job(client: GraphQLClient) -> tuple[dict[str, Any], Any]:
    w = await world(client, acceptingOrders=False)
    update = "mutation($input: UpdateManufacturerInput!) { updateManufacturer(input: $input) { errors { code } } }"
    for key in ("riddle", "zab"):
        await client.mutate(update, {"input": {"id": w[key]["id"], "acceptingOrders": False}})
    order = await approved(client, [(w["variant"]["id"], 3)])
    (job,) = await jobs_of(client, order["id"])
    return w, job


async def test_assigning_a_pending_job(client, database):
    w, job = await _pending_job(client)
    before = len(await audit_entries(database))
    payload = await client.mutate(
        ASSIGN, {"input": {"jobId": job["id"], "manufacturerId": w["zab"]["id"], "reason": "Rush"}}
    )
    assert payload["errors"] == []
    assigned = payload["job"]
    assert assigned["status"] == "NEW" and assigned["manufacturer"]["name"] == "Zab"
    assert assigned["routedBy"] == "MANUAL"
    assert assigned["routingReason"] == "Assigned manually to Zab: Rush"
    # Zab is not accepting orders: a warning, not a refusal.
    assert payload["warnings"] == ["Zab: not accepting orders"]
    assert payload["decision"]["routedBy"] == "MANUAL"
    zab_pk = decode_id(w["zab"]["id"])[1]
    mine = [n.type for n in await notifications(database) if n.manufacturer_id == zab_pk]
    assert mine == [NotificationType.NEW_JOB]
    assert len(await audit_entries(database)) > before


async def test_assignment_refusals_leave_no_trace(client, database):
    w, job = await _pending_job(client)
    suspended = await manufacturer(client, "Suspended", onboardingStatus="SUSPENDED")
    held = await manufacturer(client, "Held", creditLimit="10.00", creditHoldEnabled=True)
    await factories.assignment(
        client, w["family"]["id"], held["id"], costPerUnit="5.00", canDtg=True
    )
    state = await snapshot(database)
    cases = [
        (w["variant"]["id"], "VALIDATION"),  # not a manufacturer ID
        (suspended["id"], "VALIDATION"),
        (held["id"], "CREDIT_LIMIT_EXCEEDED"),
    ]
    for manufacturer_id, code in cases:
        payload = await client.mutate(
            ASSIGN, {"input": {"jobId": job["id"], "manufacturerId": manufacturer_id}}
        )
        assert [e["code"] for e in payload["errors"]] == [code], payload["errors"]
        assert payload["job"] is None
    # An assigned (NEW) job is not assigned again.
    await client.mutate(ASSIGN, {"input": {"jobId": job["id"], "manufacturerId": w["zab"]["id"]}})
    state = await snapshot(database)
    payload = await client.mutate(
        ASSIGN, {"input": {"jobId": job["id"], "manufacturerId": w["riddle"]["id"]}}
    )
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
    assert await snapshot(database) == state


# -- integration (6) override (reassign) ------------------------------------------------------


async def test_reassigning_a_job_is_audited_and_notifies_both(client, database):
    w = await world(client)
    order = await approved(client, [(w["variant"]["id"], 5)])
    (job,) = await jobs_of(client, order["id"])
    payload = await reassign_to_zab(client, w, job, expectedVersion=job["version"])
    moved = payload["job"]
    assert moved["manufacturer"]["name"] == "Zab" and moved["routedBy"] == "MANUAL"
    assert moved["originalManufacturer"]["name"] == "Hawk"
    assert moved["routingReason"] == "Reassigned from Hawk to Zab: Hawk is behind"
    assert payload["decision"]["previousManufacturer"]["name"] == "Hawk"
    hawk_pk, zab_pk = decode_id(w["hawk"]["id"])[1], decode_id(w["zab"]["id"])[1]
    found = await notifications(database)
    assert types_of([n for n in found if n.manufacturer_id == hawk_pk]) == sorted(
        [NotificationType.NEW_JOB, NotificationType.JOB_REASSIGNED]
    )
    assert [n.type for n in found if n.manufacturer_id == zab_pk] == [NotificationType.NEW_JOB]
    (entry,) = [
        e
        for e in await audit_entries(database)
        if e.entity_type == "ManufacturingJob" and e.action.value == "updated"
    ]
    assert entry.context == {"from": str(hawk_pk), "to": str(zab_pk), "reason": "Hawk is behind"}
    assert entry.changes is not None
    assert entry.changes["after"]["manufacturer_id"] == str(zab_pk)


async def test_reassign_refusals(client, database):
    w = await world(client)
    order = await approved(client, [(w["variant"]["id"], 5)])
    (job,) = await jobs_of(client, order["id"])
    state = await snapshot(database)
    base = {"jobId": job["id"], "manufacturerId": w["zab"]["id"], "reason": "x"}
    for changes, code in [
        ({"reason": "  "}, "VALIDATION"),
        ({"manufacturerId": w["hawk"]["id"]}, "VALIDATION"),
        ({"expectedVersion": job["version"] + 5}, "CONFLICT"),
    ]:
        payload = await client.mutate(REASSIGN, {"input": {**base, **changes}})
        assert [e["code"] for e in payload["errors"]] == [code], payload["errors"]
    assert await snapshot(database) == state
    # A job in production cannot be reassigned.
    hawk_pk = decode_id(w["hawk"]["id"])[1]
    started = await seeding.job(database, manufacturer_id=hawk_pk, status=JobStatus.IN_PRODUCTION)
    payload = await client.mutate(REASSIGN, {"input": {**base, "jobId": seeding.gid(started)}})
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]


async def test_an_accepted_job_is_reassigned_back_to_new(client, database):
    w = await world(client)
    order = await approved(client, [(w["variant"]["id"], 5)])
    (job,) = await jobs_of(client, order["id"])
    tomorrow = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    accepted = await client.mutate(
        TRANSITION,
        {"input": {"id": job["id"], "status": "ACCEPTED", "estimatedCompletionDate": tomorrow}},
    )
    assert accepted["errors"] == []
    payload = await client.mutate(
        REASSIGN, {"input": {"jobId": job["id"], "manufacturerId": w["zab"]["id"], "reason": "r"}}
    )
    assert payload["errors"] == [] and payload["job"]["status"] == "NEW"
    assert payload["job"]["manufacturer"]["name"] == "Zab"


# -- logic (1) a new family default affects future orders only; (2) product override -----------


async def test_a_new_family_default_affects_future_orders_only(client):
    w = await world(client)
    before = await approved(client, [(w["variant"]["id"], 1)])
    result = await client.mutate(
        UPDATE_FAMILY, {"input": {"id": w["family"]["id"], "defaultManufacturerId": w["zab"]["id"]}}
    )
    assert result["errors"] == []
    after = await approved(client, [(w["variant"]["id"], 1)])
    assert (await jobs_of(client, before["id"]))[0]["manufacturer"]["name"] == "Hawk"
    assert (await jobs_of(client, after["id"]))[0]["manufacturer"]["name"] == "Zab"


async def test_a_product_override_beats_the_family_default(client):
    w = await world(client)
    overridden = await variant_of(client, w["family"]["id"], manufacturerOverrideId=w["zab"]["id"])
    order = await approved(client, [(overridden["id"], 2), (w["variant"]["id"], 1)])
    jobs = await jobs_of(client, order["id"])
    assert [(j["manufacturer"]["name"], j["routingSource"]) for j in jobs] == [
        ("Zab", "PRODUCT_OVERRIDE"),
        ("Hawk", "FAMILY_DEFAULT"),
    ]


# -- credit (BR-24) ---------------------------------------------------------------------------


async def test_a_credit_hold_routes_elsewhere_and_no_hold_warns(client, database):
    w = await world(client)
    result = await client.mutate(
        UPDATE_MFR,
        {
            "input": {
                "id": w["hawk"]["id"],
                "creditLimit": "100.00",
                "currentBalance": "50.00",
                "creditHoldEnabled": True,
            }
        },
    )
    assert result["errors"] == []
    assert result["manufacturer"]["availableCredit"] == {"amount": "50.00"}
    held = await approved(client, [(w["variant"]["id"], 5)])  # 5 x 12.00 = 60 > 50 left
    (job,) = await jobs_of(client, held["id"])
    assert job["manufacturer"]["name"] == "Riddle"
    assert "exceeds the credit limit" in job["routingReason"]
    await client.mutate(UPDATE_MFR, {"input": {"id": w["hawk"]["id"], "creditHoldEnabled": False}})
    warned = await approved(client, [(w["variant"]["id"], 5)])
    (job,) = await jobs_of(client, warned["id"])
    assert job["manufacturer"]["name"] == "Hawk"
    (decision,) = await history(client, orderId=warned["id"])
    assert any("exceeds the credit limit" in w for w in decision["warnings"])
    admin = [n.type for n in await notifications(database) if n.manufacturer_id is None]
    assert NotificationType.CREDIT_WARNING in admin


async def test_credit_fields_are_validated(client):
    w = await world(client)
    result = await client.mutate(
        UPDATE_MFR, {"input": {"id": w["hawk"]["id"], "creditLimit": "-1", "currentBalance": None}}
    )
    assert sorted(e["field"][-1] for e in result["errors"]) == ["creditLimit", "currentBalance"]


# -- declines (BR-8) --------------------------------------------------------------------------


async def test_a_declined_job_is_replaced_by_a_job_for_the_backup(client, database):
    w = await world(client)
    order = await approved(client, [(w["variant"]["id"], 5)])
    (job,) = await jobs_of(client, order["id"])
    hawk_pk = decode_id(w["hawk"]["id"])[1]
    hawk = client.as_role(Role.MANUFACTURER, manufacturer_id=hawk_pk)
    declined = await hawk.mutate(
        TRANSITION, {"input": {"id": job["id"], "status": "DECLINED", "declineReason": "CAPACITY"}}
    )
    assert declined["errors"] == []
    first, second = await jobs_of(client, order["id"])
    assert first["status"] == "DECLINED"
    assert second["jobNumber"] == first["jobNumber"][:-1] + "B"
    assert second["manufacturer"]["name"] == "Riddle" and second["status"] == "NEW"
    assert second["routedBy"] == "FALLBACK"
    assert second["originalManufacturer"]["name"] == "Hawk"
    assert second["replacesJob"]["jobNumber"] == first["jobNumber"]
    assert second["items"] == [{"quantity": 5}]
    admin = [n for n in await notifications(database) if n.manufacturer_id is None]
    (notice,) = [n for n in admin if n.type is NotificationType.JOB_DECLINED]
    assert "marked DECLINED" in notice.message
    decisions = await history(client, orderId=order["id"])
    assert decisions[0]["previousManufacturer"]["name"] == "Hawk"


# -- routeOrder: idempotency, status checks ---------------------------------------------------


async def test_routing_twice_creates_nothing(client, database):
    w = await world(client)
    order = await approved(client, [(w["variant"]["id"], 5)])
    counts = await row_counts(database)
    payload = await client.mutate(ROUTE, {"input": {"orderId": order["id"]}})
    assert payload["errors"] == []
    assert [j["manufacturer"]["name"] for j in payload["jobs"]] == ["Hawk"]
    assert len(payload["decisions"]) == 1
    after = await row_counts(database)
    assert after == counts


async def test_route_order_routes_a_seeded_approved_order_once(client, database):
    w = await world(client)
    variant_pk = decode_id(w["variant"]["id"])[1]
    order = await seeding.order(database, status=OrderStatus.APPROVED, items=[(variant_pk, 2)])
    payload = await client.mutate(ROUTE, {"input": {"orderId": seeding.gid(order)}})
    assert payload["errors"] == [] and payload["order"]["routedAt"] is not None
    assert [j["jobNumber"] for j in payload["jobs"]] == [f"MFG-{order.reference[4:]}A"]
    async with database.transaction() as session:
        assert len((await session.scalars(select(ManufacturingJob))).all()) == 1


async def test_route_order_refuses_other_statuses_and_holds(client, database):
    w = await world(client)
    variant_pk = decode_id(w["variant"]["id"])[1]
    draft = await seeding.order(database, items=[(variant_pk, 2)])
    held = await seeding.order(
        database, status=OrderStatus.APPROVED, priority=OrderPriority.HOLD, items=[(variant_pk, 2)]
    )
    state = await snapshot(database)
    for order, code in [(draft, "INVALID_TRANSITION"), (held, "VALIDATION")]:
        payload = await client.mutate(ROUTE, {"input": {"orderId": seeding.gid(order)}})
        assert [e["code"] for e in payload["errors"]] == [code]
    assert await snapshot(database) == state


async def test_an_order_on_hold_is_not_routed_on_approval(client):
    w = await world(client)
    customer = await order_factories.customer(client)
    order = await order_factories.submitted(
        client, customer["id"], [(w["variant"]["id"], 1)], priority="HOLD"
    )
    approved_order = await client.mutate(order_factories.APPROVE, {"input": {"id": order["id"]}})
    assert approved_order["errors"] == []
    assert approved_order["order"]["routedAt"] is None
    assert await jobs_of(client, order["id"]) == []
