"""SPEC §6 "Finance reports" (3) costs and (4) margin: BR-32 per job (quoted vs actual,
variance, cost per unit) and per order (SPEC §8: 2,500 - 1,050 - 45 - 85 = 1,320, 52.8%),
one statement each whatever the number of orders."""

from __future__ import annotations

from typing import Any

from auth.permissions import Role
from tests.support import finance
from tests.support.finance import CREATE_INVOICE
from tests.support.graphql import GraphQLClient
from tests.support.routing_world import approved, jobs_of, manufacturer, routed_family, variant_of
from tests.support.sql_counting import count_sql

MARGINS = """query($ids: [ID!]) { marginReport(orderIds: $ids) {
  order { reference } revenue { amount } manufacturing { amount } freight { amount }
  otherCharges { amount } costOfGoods { amount } margin { amount currency } marginPercent
  lowMargin currencyMismatch } }"""
COSTS = """query($order: ID) { costReport(orderId: $order) { quantity job { jobNumber }
  quotedCost { amount } actualCost { amount } variance { amount } costPerUnit { amount } } }"""


async def _order(client: GraphQLClient, code: str, cost: str, units: int) -> tuple[Any, Any, Any]:
    """An approved order of `units` at 10.00 routed to a manufacturer at `cost` per unit."""
    maker = await manufacturer(client, f"Maker {code}", creditLimit="100000.00")
    backup = await manufacturer(client, f"Backup {code}")
    family = await routed_family(client, code, maker, backup, cost)
    variant = await variant_of(client, family["id"])
    order = await approved(client, [(variant["id"], units)])
    (job,) = await jobs_of(client, order["id"])
    return maker, order, job


async def _bill(
    client: GraphQLClient, maker: dict[str, Any], job: dict[str, Any], *lines: tuple[str, str]
) -> None:
    fin = finance.finance_client(client)
    await fin.mutate_ok(
        CREATE_INVOICE,
        {
            "manufacturerId": maker["id"],
            "submit": True,
            "lines": [
                {"description": c, "quantity": 1, "unitCost": a, "category": c, "jobId": job["id"]}
                for c, a in lines
            ],
        },
        "invoice",
    )


async def test_the_order_margin_fixture(client: GraphQLClient) -> None:
    maker, order, job = await _order(client, "MARGIN", "4.20", 250)
    await _bill(client, maker, job, ("SHIPPING", "45.00"), ("OTHER", "85.00"))
    fin = finance.finance_client(client)

    (row,) = (await fin(MARGINS, {"ids": [order["id"]]}))["marginReport"]

    assert {k: v["amount"] for k, v in row.items() if isinstance(v, dict) and "amount" in v} == {
        "revenue": "2500.00",
        "manufacturing": "1050.00",
        "freight": "45.00",
        "otherCharges": "85.00",
        "costOfGoods": "1180.00",
        "margin": "1320.00",
    }
    assert (row["marginPercent"], row["lowMargin"], row["currencyMismatch"]) == (
        "52.80",
        False,
        False,
    )


async def test_job_costs_quoted_against_actual(client: GraphQLClient) -> None:
    maker, order, job = await _order(client, "COSTS", "4.20", 250)
    fin = finance.finance_client(client)
    (before,) = (await fin(COSTS, {"order": order["id"]}))["costReport"]
    assert (before["quotedCost"]["amount"], before["actualCost"], before["variance"]) == (
        "1050.00",
        None,
        None,
    )
    assert before["costPerUnit"]["amount"] == "4.20"
    await _bill(client, maker, job, ("MANUFACTURING", "1100.00"))
    (after,) = (await fin(COSTS, {"order": order["id"]}))["costReport"]
    assert (after["actualCost"]["amount"], after["variance"]["amount"]) == ("1100.00", "50.00")
    assert after["costPerUnit"]["amount"] == "4.40"
    # Invoiced above the quote, the margin follows the actual cost.
    (row,) = (await fin(MARGINS, {"ids": [order["id"]]}))["marginReport"]
    assert (row["margin"]["amount"], row["marginPercent"]) == ("1400.00", "56.00")


async def test_a_low_margin_is_flagged_and_costs_stay_hidden_from_sales(
    client: GraphQLClient,
) -> None:
    _, order, _ = await _order(client, "THIN", "8.00", 100)  # 1,000 - 800 = 20%
    fin = finance.finance_client(client)
    (row,) = (await fin(MARGINS, {"ids": [order["id"]]}))["marginReport"]
    assert (row["marginPercent"], row["lowMargin"]) == ("20.00", True)

    body = await client.as_role(Role.SALES).raw(MARGINS, {"ids": [order["id"]]})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_reports_are_a_fixed_number_of_statements(client: GraphQLClient) -> None:
    fin = finance.finance_client(client)
    counts = []
    for n in (1, 4):
        for i in range(n):
            await _order(client, f"FIXED{n}{i}", "4.00", 10)
        async with count_sql() as margins:
            await fin(MARGINS)
        async with count_sql() as job_costs:
            await fin(COSTS)
        counts.append((margins.count, job_costs.count))
    assert counts[0] == counts[1], counts
