"""SPEC §6 "Finance reports" downloads: payment due, the cost report and the margin report
as CSV through the files route (signed link), each the same figures as its report in the
graph and a fixed number of SQL statements whatever its size (the aging export is in
test_reports)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any

from tests.support import finance
from tests.support.finance import invoice
from tests.support.graphql import GraphQLClient
from tests.support.sql_counting import count_sql

from .test_costs import COSTS, MARGINS, _bill, _order


def _export(name: str) -> str:
    kind = name[0].upper() + name[1:]
    return (
        f"mutation($input: {kind}Input!) {{ {name}(input: $input) {{ "
        "url fileName errors { code } } }"
    )


async def _download(
    client: GraphQLClient, name: str, variables: dict[str, Any]
) -> tuple[str, list[dict[str, str]]]:
    """Exports a report and downloads it through its signed link: (file name, rows)."""
    payload = await finance.finance_client(client).mutate(_export(name), {"input": variables})
    assert payload["errors"] == []
    downloaded = await client.http.get("/files/" + payload["url"].split("/files/", 1)[1])
    assert downloaded.status_code == 200
    assert downloaded.headers["content-type"].startswith("text/csv")
    return payload["fileName"], list(csv.DictReader(downloaded.text.splitlines()))


async def test_payment_due_downloads_as_csv_with_the_reports_figures(
    client: GraphQLClient,
) -> None:
    fin = finance.finance_client(client)
    net30 = await finance.manufacturer(client, paymentTerms="NET30")
    net60 = await finance.manufacturer(client, paymentTerms="NET60")
    soon = (date.today() + timedelta(days=12)).isoformat()
    far = (date.today() + timedelta(days=45)).isoformat()
    for maker, total, due in (
        (net30, "12000.00", soon),
        (net60, "6150.00", soon),
        (net60, "9999.00", far),
    ):
        await invoice(fin, maker["id"], total, dated=10, dueDate=due)

    name, rows = await _download(client, "exportPaymentDue", {"withinDays": 30})

    until = (date.today() + timedelta(days=30)).isoformat()
    assert name == f"payment-due-{until}.csv"
    assert rows == [
        {"currency": "USD", "terms": "NET30", "amount": "12000.00"},
        {"currency": "USD", "terms": "NET60", "amount": "6150.00"},
        {"currency": "USD", "terms": "TOTAL", "amount": "18150.00"},
    ]
    (due,) = (
        await fin(
            "query($d: Int!) { paymentDue(withinDays: $d) { total { amount } "
            "byTerms { terms amount { amount } } } }",
            {"d": 30},
        )
    )["paymentDue"]
    assert [(t["terms"], t["amount"]["amount"]) for t in due["byTerms"]] + [
        ("TOTAL", due["total"]["amount"])
    ] == [(r["terms"], r["amount"]) for r in rows]


async def test_the_margin_fixture_downloads_as_csv(client: GraphQLClient) -> None:
    maker, order, job = await _order(client, "MARGINCSV", "4.20", 250)
    await _bill(client, maker, job, ("SHIPPING", "45.00"), ("OTHER", "85.00"))
    (graph,) = (await finance.finance_client(client)(MARGINS, {"ids": [order["id"]]}))[
        "marginReport"
    ]

    name, rows = await _download(client, "exportMarginReport", {"orderIds": [order["id"]]})

    assert name == f"margins-{date.today().isoformat()}.csv"
    assert rows == [
        {
            "order_reference": graph["order"]["reference"],
            "currency": "USD",
            "revenue": "2500.00",
            "manufacturing": "1050.00",
            "freight": "45.00",
            "other_charges": "85.00",
            "cost_of_goods": "1180.00",
            "margin": "1320.00",
            "margin_percent": "52.80",
            "low_margin": "false",
        }
    ]
    assert graph["margin"]["amount"] == rows[0]["margin"]
    assert graph["marginPercent"] == rows[0]["margin_percent"]


async def test_job_costs_download_as_csv(client: GraphQLClient) -> None:
    maker, order, job = await _order(client, "COSTCSV", "4.20", 250)
    await _bill(client, maker, job, ("MANUFACTURING", "1100.00"))
    (graph,) = (await finance.finance_client(client)(COSTS, {"order": order["id"]}))["costReport"]

    name, rows = await _download(client, "exportCostReport", {"orderId": order["id"]})

    assert name == f"costs-{date.today().isoformat()}.csv"
    assert rows == [
        {
            "job_number": graph["job"]["jobNumber"],
            "currency": "USD",
            "quantity": "250",
            "quoted_cost": "1050.00",
            "actual_cost": "1100.00",
            "variance": "50.00",
            "cost_per_unit": "4.40",
        }
    ]


async def test_a_bad_limit_is_refused_and_exports_nothing(client: GraphQLClient) -> None:
    body = await finance.finance_client(client).raw(
        _export("exportCostReport"), {"input": {"limit": 0}}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_the_exports_are_a_fixed_number_of_statements(client: GraphQLClient) -> None:
    fin = finance.finance_client(client)
    counts, made = [], 0
    for n in (1, 4):
        made += n
        for i in range(n):
            maker, _, job = await _order(client, f"EXPORT{n}{i}", "4.00", 10)
            await _bill(client, maker, job, ("MANUFACTURING", "41.00"))
        measured = []
        for name, variables in (
            ("exportPaymentDue", {"withinDays": 60}),
            ("exportCostReport", {}),
            ("exportMarginReport", {}),
        ):
            async with count_sql() as statements:
                payload = await fin.mutate(_export(name), {"input": variables})
            assert payload["errors"] == []
            measured.append(statements.count)
        _, rows = await _download(client, "exportCostReport", {})
        assert len(rows) == made  # every job so far
        counts.append(measured)
    assert counts[0] == counts[1], counts
