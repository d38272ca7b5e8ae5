"""The ops queue (issue 29 item 5; seed 001 "Ops Dashboard"): all orders filtered by paid /
unpaid besides status, priority, dates and customer; internal notes for staff and messages
that join the customer's timeline; the queue's lists at a fixed number of SQL statements."""

from __future__ import annotations

from auth.permissions import Role
from tests.support.checkout_world import Shop, deliver, paid_event
from tests.support.graphql import mutation_document
from tests.support.sql_counting import count_sql

NOTE = mutation_document(
    "addOrderNote", "order { id events { message } } errors { code field message }"
)
QUEUE = """query($filter: OrderFilter) { orders(filter: $filter, first: 50) { totalCount edges { node {
  reference status displayStatus priority
  customer { name }
  lineItems { size quantity }
  events { status message }
  internalNotes { body authorRole }
  payments { status amount { amount } refunds { status } }
  checkoutSessions { attempt status }
} } } }"""
NOTES = """query($id: ID!) { node(id: $id) { ... on Order {
  internalNotes { body } events { message } } } }"""


async def test_paid_and_unpaid_filter_the_queue(shop: Shop) -> None:
    paid = await shop.place()
    unpaid = await shop.place()
    await deliver(shop.admin, paid_event(shop, paid))
    ops = shop.admin.as_role(Role.OPS)

    async def refs(**filter: object) -> list[str]:
        data = await ops(QUEUE, {"filter": filter})
        return [e["node"]["reference"] for e in data["orders"]["edges"]]

    assert await refs(paid=True) == [paid["order"]["reference"]]
    assert await refs(paid=False) == [unpaid["order"]["reference"]]
    assert await refs(paid=True, statuses=["DRAFT"]) == []
    assert len(await refs(priorities=["RUSH"], customerId=shop.customer_id)) == 2


async def test_internal_notes_stay_with_staff_and_messages_reach_the_customer(
    shop: Shop,
) -> None:
    placed = await shop.place()
    order_id = placed["order"]["id"]
    ops = shop.admin.as_role(Role.OPS)
    note = await ops.mutate(NOTE, {"input": {"orderId": order_id, "body": "Check the ink"}})
    assert note["errors"] == []
    message = await ops.mutate(
        NOTE,
        {"input": {"orderId": order_id, "body": "Your proof is ready", "toCustomer": True}},
    )
    assert message["order"]["events"][-1] == {"message": "Your proof is ready"}
    staff = (await ops(NOTES, {"id": order_id}))["node"]
    assert staff["internalNotes"] == [{"body": "Check the ink"}]
    body = await shop.customer.raw(NOTES, {"id": order_id})
    assert body["data"]["node"]["internalNotes"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert body["data"]["node"]["events"][-1] == {"message": "Your proof is ready"}
    refused = await shop.customer.raw(
        NOTE, {"input": {"orderId": order_id, "body": "hi", "toCustomer": True}}
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    blank = await ops.mutate(NOTE, {"input": {"orderId": order_id, "body": "  "}})
    assert [e["field"] for e in blank["errors"]] == [["input", "body"]]


async def test_the_queue_runs_a_fixed_number_of_statements_as_it_grows(shop: Shop) -> None:
    ops = shop.admin.as_role(Role.OPS)

    async def statements() -> int:
        async with count_sql() as stats:
            await ops(QUEUE)
        return stats.count

    async def add_paid_orders(n: int) -> None:
        for _ in range(n):
            placed = await shop.place()
            await deliver(shop.admin, paid_event(shop, placed))
            await ops.mutate(NOTE, {"input": {"orderId": placed["order"]["id"], "body": "n"}})

    await add_paid_orders(2)
    with_2 = await statements()
    await add_paid_orders(6)
    assert await statements() == with_2
