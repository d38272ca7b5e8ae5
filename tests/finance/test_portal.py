"""Issue 28 item 7, SPEC §5 `my-invoices`, `my-payments`: a manufacturer sees its own
invoices, payments, balance and standing, enters the actual cost of its own jobs (§9 #14)
without seeing other cost fields, and is notified PAYMENT_RECEIVED."""

from __future__ import annotations

from decimal import Decimal

from db.engine import Database
from domain.jobs import JobStatus
from tests.support import finance, seeding
from tests.support.finance import invoice, pay
from tests.support.graphql import GraphQLClient
from tests.support.job_support import catalog

ENTER = (
    "mutation($input: EnterJobActualCostInput!) { enterJobActualCost(input: $input) { "
    "job { actualCost { amount } } errors { code field } } }"
)
MINE = """{
  invoices { totalCount edges { node { invoiceNumber status amountOutstanding { amount } } } }
  payments { totalCount edges { node { amount { amount } allocations { invoice { invoiceNumber } } } } }
  notifications { edges { node { type title } } }
}"""


async def test_a_manufacturer_sees_its_own_finance_and_enters_its_actual_costs(
    client: GraphQLClient, database: Database
) -> None:
    world = await catalog(client, database)
    fin = finance.finance_client(client)
    mine = world.manufacturer()
    owed = await invoice(fin, world.own["id"], "700.00")
    await invoice(fin, world.other["id"], "900.00")
    await pay(fin, world.own["id"], "300.00", referenceNumber="W-77")
    await pay(fin, world.other["id"], "900.00")

    seen = await mine(MINE)
    assert seen["invoices"]["totalCount"] == 1
    assert seen["invoices"]["edges"][0]["node"]["invoiceNumber"] == owed["invoiceNumber"]
    assert seen["invoices"]["edges"][0]["node"]["amountOutstanding"]["amount"] == "400.00"
    assert seen["payments"]["totalCount"] == 1
    received = [
        e["node"]["title"]
        for e in seen["notifications"]["edges"]
        if e["node"]["type"] == "PAYMENT_RECEIVED"
    ]
    assert received == ["Payment of 300.00 USD sent"]
    account = await finance.account(mine, world.own["id"])
    assert (account["currentBalance"]["amount"], account["paymentStanding"]) == ("400.00", "GOOD")

    job = await world.job(JobStatus.IN_PRODUCTION, quoted_cost=Decimal("600.00"))
    entered = await mine.mutate(ENTER, {"input": {"id": seeding.gid(job), "actualCost": "640.00"}})
    assert entered["errors"] == []
    assert entered["job"]["actualCost"] == {"amount": "640.00"}
    hidden = await mine.raw(
        "query($id: ID!) { node(id: $id) { ... on ManufacturingJob { quotedCost { amount } } } }",
        {"id": seeding.gid(job)},
    )
    assert hidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    theirs = await world.job(JobStatus.IN_PRODUCTION, manufacturer_id=world.other_id)
    refused = await mine.mutate(ENTER, {"input": {"id": seeding.gid(theirs), "actualCost": "1.00"}})
    assert [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]
    costs = await fin("{ costReport { actualCost { amount } variance { amount } } }")
    assert {"actualCost": {"amount": "640.00"}, "variance": {"amount": "40.00"}} in costs[
        "costReport"
    ]
