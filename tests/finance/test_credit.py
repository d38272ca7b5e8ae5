"""SPEC §6 "Finance credit": (1) the limit blocks routing when the hold is on, (2) the
approach warning, (3) balance updates, (4) hold at 60+ days past due, (5) recalculated on
payment; standing with grace days (§9 #7). Routing's BR-24 check reads the balances finance
keeps."""

from __future__ import annotations

from typing import Any

from db.engine import Database
from resolvers.ids import decode_id
from tests.support import finance
from tests.support.finance import account, invoice, ledger_problems, pay
from tests.support.graphql import GraphQLClient
from tests.support.routing_world import approved, jobs_of, manufacturer, routed_family, variant_of


async def _routed_to(client: GraphQLClient, variant: dict[str, Any]) -> tuple[str | None, Any]:
    order = await approved(client, [(variant["id"], 3)])
    (job,) = await jobs_of(client, order["id"])
    maker = job.get("manufacturer")
    return (maker["name"] if maker else None), job


async def test_routing_reads_the_balance_finance_keeps(
    client: GraphQLClient, database: Database
) -> None:
    """Held (limit 1,000, hold on) makes the family's jobs at 12.00/unit. Owing it 990 after
    an approval, a 36.00 job would exceed the limit: routing goes to the backup. Paid, it
    routes to Held again."""
    fin = finance.finance_client(client)
    held = await manufacturer(client, "Held", creditLimit="1000.00", creditHoldEnabled=True)
    backup = await manufacturer(client, "Backup")
    family = await routed_family(client, "CREDIT", held, backup, "12.00")
    variant = await variant_of(client, family["id"])
    assert (await _routed_to(client, variant))[0] == "Held"

    await invoice(fin, held["id"], "990.00")
    after = await account(fin, held["id"])
    assert (after["currentBalance"]["amount"], after["availableCredit"]["amount"]) == (
        "990.00",
        "10.00",
    )
    assert (await _routed_to(client, variant))[0] == "Backup"

    await pay(fin, held["id"], "990.00")
    assert (await account(fin, held["id"]))["currentBalance"]["amount"] == "0.00"
    assert (await _routed_to(client, variant))[0] == "Held"
    assert await ledger_problems(database, decode_id(held["id"])[1]) == []


async def test_approaching_the_limit_warns(client: GraphQLClient, database: Database) -> None:
    """BR-24 Rec: a job taking the balance to 80% of the limit or more warns (hold off)."""
    fin = finance.finance_client(client)
    near = await manufacturer(client, "Near", creditLimit="1000.00")
    backup = await manufacturer(client, "Spare")
    family = await routed_family(client, "NEAR", near, backup, "12.00")
    variant = await variant_of(client, family["id"])
    await invoice(fin, near["id"], "780.00")
    name, _ = await _routed_to(client, variant)
    assert name == "Near"
    notices = await client("{ notifications { edges { node { type title } } } }")
    assert "CREDIT_WARNING" in {e["node"]["type"] for e in notices["notifications"]["edges"]}


async def test_standing_and_hold_follow_days_past_due(
    client: GraphQLClient, database: Database
) -> None:
    """§9 #7: dpd = today - (due + grace); WARNING 1-30, DELINQUENT from 31, hold at 60+;
    recalculated on approval and on payment."""
    fin = finance.finance_client(client)
    maker = await finance.manufacturer(client, paymentGraceDays=5)
    # NET30: dated 40 days ago, due 10 days ago, 5 of grace: 5 days late.
    await invoice(fin, maker["id"], "100.00", dated=40)
    assert (await account(fin, maker["id"]))["paymentStanding"] == "WARNING"
    await invoice(fin, maker["id"], "100.00", dated=70)  # 35 days late
    assert (await account(fin, maker["id"]))["paymentStanding"] == "DELINQUENT"
    assert (await account(fin, maker["id"]))["creditHoldEnabled"] is False
    await invoice(fin, maker["id"], "100.00", dated=96)  # 61 days late
    held = await account(fin, maker["id"])
    assert (held["paymentStanding"], held["creditHoldEnabled"]) == ("DELINQUENT", True)
    notices = await client("{ notifications { edges { node { type } } } }")
    assert "CREDIT_HOLD" in {e["node"]["type"] for e in notices["notifications"]["edges"]}

    # Oldest first: 200 pays the two oldest; 5 days late remains.
    await pay(fin, maker["id"], "200.00")
    after = await account(fin, maker["id"])
    assert (after["paymentStanding"], after["currentBalance"]["amount"]) == ("WARNING", "100.00")
    # A hold is lifted by a person, never by a payment.
    assert after["creditHoldEnabled"] is True
    await pay(fin, maker["id"], "100.00")
    assert (await account(fin, maker["id"]))["paymentStanding"] == "GOOD"


async def test_within_grace_is_good(client: GraphQLClient) -> None:
    fin = finance.finance_client(client)
    maker = await finance.manufacturer(client, paymentGraceDays=10)
    await invoice(fin, maker["id"], "100.00", dated=35)  # due 5 days ago, within grace
    assert (await account(fin, maker["id"]))["paymentStanding"] == "GOOD"
