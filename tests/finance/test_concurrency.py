"""Payments racing for one manufacturer's invoices never over-allocate (BR-29, issue 28
"Done when": 20 concurrent payments on PostgreSQL reconcile exactly); refunds racing each
other or an approval that spends the credit never take more than the credit (item 3)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest

from db.engine import Database
from resolvers.ids import decode_id
from tests.support import finance
from tests.support.finance import (
    account,
    invoice,
    ledger_problems,
    move,
    pay,
    read_invoice,
    refund,
)
from tests.support.graphql import GraphQLClient


@pytest.fixture(autouse=True)
def _postgresql_only(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite serialises writers; row locks (FOR UPDATE) are PostgreSQL's")


async def test_twenty_concurrent_payments_reconcile_exactly(
    client: GraphQLClient, database: Database
) -> None:
    fin = finance.finance_client(client)
    maker = await finance.manufacturer(client, creditLimit="100000.00")
    invoices = [await invoice(fin, maker["id"], "100.00", dated=40 - i) for i in range(10)]

    payloads = await asyncio.gather(*(pay(fin, maker["id"], "75.00") for _ in range(20)))

    assert [p["errors"] for p in payloads] == [[]] * 20
    applied = sum(
        Decimal(a["amountApplied"]["amount"]) for p in payloads for a in p["payment"]["allocations"]
    )
    assert applied == Decimal("1000.00")
    for each in invoices:
        paid = await read_invoice(fin, each["id"])
        assert (paid["status"], paid["amountPaid"]["amount"]) == ("PAID", "100.00")
    after = await account(fin, maker["id"])
    assert after["currentBalance"]["amount"] == "0.00"
    assert after["creditBalance"]["amount"] == "500.00"
    assert await ledger_problems(database, decode_id(maker["id"])[1]) == []


async def test_manual_allocations_racing_for_one_invoice_never_exceed_it(
    client: GraphQLClient, database: Database
) -> None:
    fin = finance.finance_client(client)
    maker = await finance.manufacturer(client)
    target = await invoice(fin, maker["id"], "500.00")
    share = [{"invoiceId": target["id"], "amount": "60.00"}]

    payloads: list[Any] = await asyncio.gather(
        *(pay(fin, maker["id"], "60.00", allocations=share) for _ in range(20))
    )

    winners = [p for p in payloads if not p["errors"]]
    assert len(winners) == 8  # 8 x 60 = 480; a ninth would take it to 540
    assert {e["code"] for p in payloads for e in p["errors"]} == {"VALIDATION"}
    paid = await read_invoice(fin, target["id"])
    assert (paid["status"], paid["amountPaid"]["amount"]) == ("PARTIALLY_PAID", "480.00")
    assert await ledger_problems(database, decode_id(maker["id"])[1]) == []


async def test_concurrent_refunds_never_exceed_the_credit(
    client: GraphQLClient, database: Database
) -> None:
    fin = finance.finance_client(client)
    maker = await finance.manufacturer(client)
    await pay(fin, maker["id"], "450.00")  # nothing owed: all credit

    payloads = await asyncio.gather(*(refund(fin, maker["id"], "100.00") for _ in range(10)))

    accepted = [p for p in payloads if not p["errors"]]
    assert len(accepted) == 4  # 4 x 100 of 450; a fifth would overdraw
    assert {e["code"] for p in payloads for e in p["errors"]} == {"INSUFFICIENT_CREDIT"}
    assert (await account(fin, maker["id"]))["creditBalance"]["amount"] == "50.00"
    assert await ledger_problems(database, decode_id(maker["id"])[1]) == []


async def test_a_refund_racing_an_approval_never_overspends_the_credit(
    client: GraphQLClient, database: Database
) -> None:
    """Credit 500: an approval of 400 (paid from credit first) and a refund of 300 race;
    whichever locks the account second sees what the first took."""
    fin = finance.finance_client(client)
    for _ in range(5):
        maker = await finance.manufacturer(client)
        await pay(fin, maker["id"], "500.00")
        owed = await invoice(fin, maker["id"], "400.00", approve=False)

        approved, refunded = await asyncio.gather(
            move(fin, owed["id"], "APPROVED"), refund(fin, maker["id"], "300.00")
        )

        paid = Decimal(approved["amountPaid"]["amount"])
        after = await account(fin, maker["id"])
        if refunded["errors"]:  # approval first: 400 paid, 100 left < 300
            assert [e["code"] for e in refunded["errors"]] == ["INSUFFICIENT_CREDIT"]
            assert (paid, after["creditBalance"]["amount"]) == (Decimal("400.00"), "100.00")
        else:  # refund first: 200 left pays part of the invoice
            assert (paid, after["creditBalance"]["amount"]) == (Decimal("200.00"), "0.00")
        assert await ledger_problems(database, decode_id(maker["id"])[1]) == []
