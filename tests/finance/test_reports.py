"""SPEC §6 "Finance reports": (1) buckets, (2) aging detail, (5) filters; SPEC §8's aging
(69,330) and payment due (24,350 = NET30 18,200 + NET60 6,150) fixtures to the cent through
the API; each report a fixed number of SQL statements whatever the number of manufacturers;
the dashboard's paymentDue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from auth.permissions import Role
from resolvers.ids import decode_id
from tests.support import finance
from tests.support.finance import aging_fixture, invoice, pay
from tests.support.graphql import GraphQLClient
from tests.support.sql_counting import count_sql

AMOUNTS = (
    "current { amount } days1To30 { amount } days31To60 { amount } "
    "days61To90 { amount } days90Plus { amount } total { amount currency }"
)
AGING = (
    "query($asOf: Date, $ids: [ID!]) { agingReport(asOf: $asOf, manufacturerIds: $ids) { asOf "
    f"rows {{ manufacturer {{ name }} {AMOUNTS} }} totals {{ {AMOUNTS} }} }} }}"
)
DETAIL = (
    "query($id: ID!, $asOf: Date) { agingDetail(manufacturerId: $id, asOf: $asOf) { "
    f"rows {{ bucket daysPastDue dueDate invoice {{ invoiceNumber }} {AMOUNTS} }} "
    f"totals {{ {AMOUNTS} }} }} }}"
)
DUE = (
    "query($days: Int!) { paymentDue(withinDays: $days) { until total { amount currency } "
    "byTerms { terms amount { amount } } } }"
)


def _figures(amounts: dict[str, Any]) -> list[str]:
    return [
        amounts[k]["amount"]
        for k in ("current", "days1To30", "days31To60", "days61To90", "days90Plus", "total")
    ]


async def test_the_aging_fixture_to_the_cent(client: GraphQLClient) -> None:
    await aging_fixture(client)
    fin = finance.finance_client(client)

    report = (await fin(AGING))["agingReport"]

    assert report["asOf"] == date.today().isoformat()
    rows = {r["manufacturer"]["name"]: _figures(r) for r in report["rows"]}
    assert rows == {
        "China Basics": ["8450.00", "3100.00", "2000.00", "0.00", "0.00", "13550.00"],
        "Hawk Manufacturing": ["32100.00", "8200.00", "5400.00", "1200.00", "0.00", "46900.00"],
        "Turkey Premium": ["4680.00", "1100.00", "1250.00", "900.00", "950.00", "8880.00"],
    }
    assert [r["manufacturer"]["name"] for r in report["rows"]] == sorted(rows)
    (totals,) = report["totals"]
    assert _figures(totals) == ["45230.00", "12400.00", "8650.00", "2100.00", "950.00", "69330.00"]
    assert totals["total"]["currency"] == "USD"


async def test_aging_as_of_another_date_and_filtered(client: GraphQLClient) -> None:
    ids = await aging_fixture(client)
    fin = finance.finance_client(client)
    # 20 days on, each invoice is a bucket later: Current (due in 10 days) is 10 days late,
    # 1-30 (15 days late) is 35, 31-60 (45 days late) is 65.
    later = (date.today() + timedelta(days=20)).isoformat()
    report = (await fin(AGING, {"asOf": later, "ids": [ids["China Basics"]]}))["agingReport"]
    (row,) = report["rows"]
    assert _figures(row) == ["0.00", "8450.00", "3100.00", "2000.00", "0.00", "13550.00"]


async def test_aging_detail_lists_each_owed_invoice(client: GraphQLClient) -> None:
    ids = await aging_fixture(client)
    fin = finance.finance_client(client)
    detail = (await fin(DETAIL, {"id": ids["Turkey Premium"]}))["agingDetail"]
    assert [(r["bucket"], r["daysPastDue"], r["total"]["amount"]) for r in detail["rows"]] == [
        ("DAYS_90_PLUS", 120, "950.00"),
        ("DAYS_61_90", 75, "900.00"),
        ("DAYS_31_60", 45, "1250.00"),
        ("DAYS_1_30", 15, "1100.00"),
        ("CURRENT", -10, "4680.00"),
    ]
    assert _figures(detail["totals"][0])[-1] == "8880.00"


async def test_each_report_is_a_fixed_number_of_statements(client: GraphQLClient) -> None:
    fin = finance.finance_client(client)
    counts = []
    for _ in range(2):  # 3 manufacturers, then 6
        ids = await aging_fixture(client)
        async with count_sql() as aging:
            await fin(AGING)
        async with count_sql() as detail:
            await fin(DETAIL, {"id": ids["Hawk Manufacturing"]})
        async with count_sql() as due:
            await fin(DUE, {"days": 30})
        counts.append((aging.count, detail.count, due.count))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 3, counts


async def test_the_payment_due_fixture_splits_by_terms(client: GraphQLClient) -> None:
    """24,350 = NET30 18,200 + NET60 6,150 due within 30 days (overdue included); what is
    due later, paid or not approved is not due."""
    fin = finance.finance_client(client)
    net30 = [await finance.manufacturer(client, paymentTerms="NET30") for _ in range(2)]
    net60 = await finance.manufacturer(client, paymentTerms="NET60")
    soon = (date.today() + timedelta(days=12)).isoformat()
    late = (date.today() - timedelta(days=3)).isoformat()
    far = (date.today() + timedelta(days=45)).isoformat()
    for maker, total, due in (
        (net30[0], "12000.00", soon),
        (net30[1], "6200.00", late),
        (net60, "6150.00", soon),
        (net60, "9999.00", far),
    ):
        await invoice(fin, maker["id"], total, dated=10, dueDate=due)
    await invoice(fin, net30[1]["id"], "500.00", dated=10, dueDate=soon, approve=False)
    paid = await invoice(fin, net30[0]["id"], "700.00", dated=40, dueDate=late)
    await pay(
        fin, net30[0]["id"], "700.00", allocations=[{"invoiceId": paid["id"], "amount": "700.00"}]
    )

    (due,) = (await fin(DUE, {"days": 30}))["paymentDue"]

    assert due["total"] == {"amount": "24350.00", "currency": "USD"}
    assert {t["terms"]: t["amount"]["amount"] for t in due["byTerms"]} == {
        "NET30": "18200.00",
        "NET60": "6150.00",
    }
    # The dashboard shows the same (BR-10), a manufacturer only what we owe it.
    board = await client("{ dashboard { paymentDue { total { amount } } } }")
    assert board["dashboard"]["paymentDue"][0]["total"]["amount"] == "24350.00"
    mine = client.as_role(Role.MANUFACTURER, manufacturer_id=decode_id(net60["id"])[1])
    own = await mine("{ dashboard { paymentDue { total { amount } byTerms { terms } } } }")
    assert own["dashboard"]["paymentDue"] == [
        {"total": {"amount": "6150.00"}, "byTerms": [{"terms": "NET60"}]}
    ]


async def test_the_aging_report_downloads_as_csv(client: GraphQLClient) -> None:
    await aging_fixture(client)
    fin = finance.finance_client(client)
    payload = await fin.mutate(
        "mutation($input: ExportAgingReportInput!) { exportAgingReport(input: $input) { "
        "url fileName errors { code } } }",
        {"input": {}},
    )
    assert payload["errors"] == []
    assert payload["fileName"] == f"aging-{date.today().isoformat()}.csv"
    downloaded = await client.http.get("/files/" + payload["url"].split("/files/", 1)[1])
    assert downloaded.status_code == 200
    assert downloaded.headers["content-type"].startswith("text/csv")
    lines = downloaded.text.splitlines()
    assert lines[0] == (
        "manufacturer,currency,current,days_1_30,days_31_60,days_61_90,days_90_plus,total"
    )
    assert lines[1:] == [
        "China Basics,USD,8450.00,3100.00,2000.00,0.00,0.00,13550.00",
        "Hawk Manufacturing,USD,32100.00,8200.00,5400.00,1200.00,0.00,46900.00",
        "Turkey Premium,USD,4680.00,1100.00,1250.00,900.00,950.00,8880.00",
        "TOTAL,USD,45230.00,12400.00,8650.00,2100.00,950.00,69330.00",
    ]
    # A signed link altered is refused.
    forged = await client.http.get("/files/" + payload["url"].split("/files/", 1)[1] + "0")
    assert forged.status_code == 403
