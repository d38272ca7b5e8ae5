"""Routing reasons leak nothing a viewer may not read (issue 23, defect 2).

Riddle Apparel is on a credit hold (limit 100.00, balance 95.00) and a Crewneck order would
cost it 105.00, so BASICS_TOPS goes to its backup, Hawk Manufacturing. The reason names
Riddle and quotes its credit terms and the job cost: each viewer's text keeps only what the
permission table lets it read (names: manufacturers:read; balance and limit: terms:read;
the job cost: costs:read), in queries and in `jobChanged.old` alike.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import pytest

from auth.permissions import Role
from db.models import ManufacturingJob
from domain.jobs import RoutedBy
from domain.routing_reasons import Reason, ReasonCode, reasons_as_json
from resolvers.ids import decode_id
from tests.support.graphql import GraphQLClient
from tests.support.live import subscribe
from tests.support.realtime import channel_of, live, token
from tests.support.routing_world import (
    UPDATE_MFR,
    approved,
    manufacturer,
    routed_family,
    variant_of,
)

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions

FULL = (
    "Routed to backup Hawk Manufacturing: Riddle Apparel balance 95.00 + job cost 105.00 = "
    "200.00 exceeds the credit limit 100.00 (credit hold)"
)
# Readonly reads every manufacturer and its terms, not costs.
READONLY = (
    "Routed to backup Hawk Manufacturing: Riddle Apparel balance 95.00 + this job's cost "
    "exceeds the credit limit 100.00 (credit hold)"
)
# Hawk reads its own profile and terms only; no costs.
HAWK = (
    "Routed to backup Hawk Manufacturing: for the first choice, this job's cost exceeds the "
    "available credit (credit hold)"
)
# Sales reads no manufacturer, no terms, no costs.
SALES = (
    "Routed to the backup manufacturer: for the first choice, this job's cost exceeds the "
    "available credit (credit hold)"
)
FIGURES = ("95.00", "105.00", "200.00", "100.00")

JOB = "query($id: ID!) { node(id: $id) { ... on ManufacturingJob { routingReason } } }"
HISTORY = """
query($f: RoutingDecisionFilter) { routingHistory(filter: $f) { edges { node {
  reason candidates { source reasons }
} } } }"""
DETAILS = """
query($f: RoutingDecisionFilter) { routingHistory(filter: $f, first: 5) { edges { node {
  reasonDetails { code manufacturer { name } otherManufacturer { name } passedOver {
    source obstacles {
      code currentBalance { amount currency } creditLimit { amount } jobCost { amount }
    }
  } }
} } } }"""
JOB_CHANGED = """
subscription($id: ID) {
  jobChanged(id: $id) { changedFields old accessEnded }
}"""
REASSIGN = (
    "mutation($input: ReassignJobInput!) { reassignJob(input: $input) { errors { code message } } }"
)


async def credit_hold_world(client: GraphQLClient, *, hold: bool = True) -> dict[str, Any]:
    """The reproduction: a Crewneck order of BASICS_TOPS routed to Hawk over Riddle's credit
    hold. Zab is a third manufacturer to reassign to."""
    riddle = await manufacturer(client, "Riddle Apparel", currency="EUR")
    hawk = await manufacturer(client, "Hawk Manufacturing")
    zab = await manufacturer(client, "Zab")
    family = await routed_family(client, "BASICS_TOPS", riddle, hawk, "15.00")
    held = await client.mutate(
        UPDATE_MFR,
        {
            "input": {
                "id": riddle["id"],
                "creditLimit": "100.00",
                "currentBalance": "95.00",
                "creditHoldEnabled": hold,
            }
        },
    )
    assert held["errors"] == []
    crewneck = await variant_of(client, family["id"], name="Crewneck")
    order = await approved(client, [(crewneck["id"], 7)])  # 7 x 15.00 = 105.00
    jobs = await client(
        "query($id: ID!) { node(id: $id) { ... on Order { jobs { id routingReason } } } }",
        {"id": order["id"]},
    )
    (job,) = jobs["node"]["jobs"]
    return {"riddle": riddle, "hawk": hawk, "zab": zab, "order": order, "job": job}


def viewer(client: GraphQLClient, w: dict[str, Any], who: str) -> GraphQLClient:
    if who == "hawk":
        return client.as_role(Role.MANUFACTURER, manufacturer_id=decode_id(w["hawk"]["id"])[1])
    return client.as_role(Role(who))


@pytest.mark.parametrize(
    ("who", "expected"),
    [("hawk", HAWK), ("sales", SALES), ("readonly", READONLY), ("admin", FULL), ("ops", FULL)],
)
async def test_a_jobs_routing_reason_holds_only_what_the_viewer_may_read(
    client: GraphQLClient, who: str, expected: str
) -> None:
    w = await credit_hold_world(client)
    assert w["job"]["routingReason"] == FULL  # the text routing wrote, unchanged
    data = await viewer(client, w, who)(JOB, {"id": w["job"]["id"]})
    assert data["node"]["routingReason"] == expected


@pytest.mark.parametrize(("who", "expected"), [("readonly", READONLY), ("finance", FULL)])
async def test_routing_history_reasons_hold_only_what_the_viewer_may_read(
    client: GraphQLClient, who: str, expected: str
) -> None:
    w = await credit_hold_world(client)
    data = await viewer(client, w, who)(HISTORY, {"f": {"orderId": w["order"]["id"]}})
    (edge,) = data["routingHistory"]["edges"]
    assert edge["node"]["reason"] == expected
    riddle, hawk = edge["node"]["candidates"]
    assert (riddle["source"], hawk["source"]) == ("FAMILY_DEFAULT", "FAMILY_BACKUP")
    assert riddle["reasons"] == [expected.split("Riddle Apparel ")[1]]
    assert hawk["reasons"] == []
    if who == "readonly":
        assert not any(figure in str(data) for figure in ("105.00", "200.00"))


async def test_the_structured_reason_guards_each_figure_by_its_permission(
    client: GraphQLClient,
) -> None:
    w = await credit_hold_world(client)
    variables = {"f": {"orderId": w["order"]["id"]}}
    readonly = viewer(client, w, "readonly")
    result = await readonly.raw(DETAILS, variables)
    assert result["data"] is not None, result
    (edge,) = result["data"]["routingHistory"]["edges"]
    (detail,) = edge["node"]["reasonDetails"]
    assert detail["code"] == "BACKUP"
    assert detail["manufacturer"] == {"name": "Hawk Manufacturing"}
    assert detail["otherManufacturer"] == {"name": "Riddle Apparel"}
    (passed,) = detail["passedOver"]
    (obstacle,) = passed["obstacles"]
    assert obstacle == {
        "code": "CREDIT_LIMIT_EXCEEDED",
        "currentBalance": {"amount": "95.00", "currency": "EUR"},
        "creditLimit": {"amount": "100.00"},
        "jobCost": None,
    }
    assert [(e["extensions"]["code"], e["path"][-1]) for e in result["errors"]] == [
        ("FORBIDDEN", "jobCost")
    ]
    finance = await viewer(client, w, "finance")(DETAILS, variables)
    (edge,) = finance["routingHistory"]["edges"]
    (obstacle,) = edge["node"]["reasonDetails"][0]["passedOver"][0]["obstacles"]
    assert obstacle["jobCost"] == {"amount": "105.00"}


async def _replace_reason_keeping_the_manufacturer(database: Any, job_id: str) -> None:
    """What a manual reassignment writes, without moving the job: the old reason is the
    one routing wrote."""
    async with database.transaction() as session:
        row = await session.get_one(ManufacturingJob, decode_id(job_id)[1])
        why = [Reason(ReasonCode.ASSIGNED_MANUALLY, manufacturer_id=row.manufacturer_id)]
        row.routed_by = RoutedBy.MANUAL
        row.routing_reason = "Assigned manually"
        row.routing_reason_detail = reasons_as_json(why)


async def test_job_changed_old_values_hold_only_what_the_viewer_may_read(
    live_settings: Any,
    database: Any,
) -> None:
    async with live(live_settings) as (server, admin):
        w = await credit_hold_world(admin)
        job_id = w["job"]["id"]
        hawk_pk, zab_pk = (decode_id(w[name]["id"])[1] for name in ("hawk", "zab"))
        tokens = {
            "hawk": token(live_settings, Role.MANUFACTURER, manufacturer_id=hawk_pk),
            "sales": token(live_settings, Role.SALES),
            "readonly": token(live_settings, Role.READONLY),
            "ops": token(live_settings, Role.OPS),
        }
        async with AsyncExitStack() as stack:
            streams = {
                # Hawk follows its own jobs: it gets the job back after it was moved away.
                who: await stack.enter_async_context(
                    subscribe(
                        server.url,
                        value,
                        JOB_CHANGED,
                        {} if who == "hawk" else {"id": job_id},
                    )
                )
                for who, value in tokens.items()
            }
            await server.subscribed(channel_of(job_id, "job"), count=3)
            await server.subscribed(f"manufacturer:{hawk_pk}:jobs")

            await _replace_reason_keeping_the_manufacturer(database, job_id)
            expected = {"hawk": HAWK, "sales": SALES, "readonly": READONLY, "ops": FULL}
            for who, stream in streams.items():
                old = (await stream.data())["jobChanged"]["old"]
                assert old["routingReason"] == expected[who], who

            moved = await admin.mutate(
                REASSIGN,
                {"input": {"jobId": job_id, "manufacturerId": w["zab"]["id"], "reason": "Late"}},
            )
            assert moved["errors"] == []
            assert (await streams["hawk"].data())["jobChanged"]["accessEnded"] is True
            staff = ("sales", "readonly", "ops")
            old = {who: (await streams[who].data())["jobChanged"]["old"] for who in staff}
            assert "manufacturerId" not in old["sales"]
            assert decode_id(old["readonly"]["manufacturerId"])[1] == hawk_pk
            assert decode_id(old["ops"]["manufacturerId"])[1] == hawk_pk

            back = await admin.mutate(
                REASSIGN,
                {"input": {"jobId": job_id, "manufacturerId": w["hawk"]["id"], "reason": "Ok"}},
            )
            assert back["errors"] == []
            gained = (await streams["hawk"].data())["jobChanged"]
            # Zab is another manufacturer: neither its id nor its name reaches Hawk.
            assert "manufacturerId" not in gained["old"]
            assert gained["old"]["routingReason"] == "Reassigned from Hawk Manufacturing: Late"
            assert str(zab_pk) not in str(gained) and "Zab" not in str(gained)


WARNINGS = """
query($f: RoutingDecisionFilter) { routingHistory(filter: $f) { edges { node { warnings } } } }"""
WARNED = (
    "Riddle Apparel: balance 95.00 + job cost 105.00 = 200.00 exceeds the credit limit 100.00 "
    "(no credit hold: allowed with a warning)"
)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "readonly",
            "Riddle Apparel: balance 95.00 + this job's cost exceeds the credit limit "
            "100.00 (no credit hold: allowed with a warning)",
        ),
        ("finance", WARNED),
    ],
)
async def test_routing_history_warnings_hold_only_what_the_viewer_may_read(
    client: GraphQLClient, who: str, expected: str
) -> None:
    """Without a credit hold Riddle takes the job with a warning quoting the same figures."""
    w = await credit_hold_world(client, hold=False)
    data = await viewer(client, w, who)(WARNINGS, {"f": {"orderId": w["order"]["id"]}})
    (edge,) = data["routingHistory"]["edges"]
    assert edge["node"]["warnings"] == [expected]


async def test_a_reason_stored_as_text_only_reads_in_full_to_who_may_see_everything(
    client: GraphQLClient, database: Any
) -> None:
    """Jobs routed before reasons had codes keep their text for viewers who may read every
    name, term and cost; others get how the job was routed, not the figures."""
    w = await credit_hold_world(client)
    async with database.transaction() as session:
        row = await session.get_one(ManufacturingJob, decode_id(w["job"]["id"])[1])
        row.routing_reason_detail = None
    query = "query($id: ID!) { node(id: $id) { ... on ManufacturingJob { routingReason"
    query += " routingReasonDetails { code } } } }"
    admin = await client(query, {"id": w["job"]["id"]})
    assert admin["node"] == {"routingReason": FULL, "routingReasonDetails": None}
    readonly = await viewer(client, w, "readonly")(query, {"id": w["job"]["id"]})
    assert readonly["node"]["routingReason"] == "Routed to a fallback manufacturer"
