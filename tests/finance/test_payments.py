"""SPEC §6 "Finance payments": (1) all methods, (2) oldest first, (3) manual allocation,
(4) overpayment → credit, (5) void reverses, (6) history; BR-29's C.2 example; idempotency."""

from __future__ import annotations

from typing import Any

import pytest

from db.engine import Database
from resolvers.ids import decode_id
from tests.support import finance
from tests.support.finance import account, invoice, pay, read_invoice
from tests.support.graphql import GraphQLClient


@pytest.fixture
async def fin(client: GraphQLClient, database: Any) -> GraphQLClient:
    return finance.finance_client(client)


@pytest.fixture
async def maker(client: GraphQLClient) -> dict[str, Any]:
    return await finance.manufacturer(client, creditLimit="50000.00")


def amount(money: dict[str, str]) -> str:
    return money["amount"]


async def test_c2_example_oldest_first(fin: GraphQLClient, maker: dict[str, Any]) -> None:
    """BR-29 (C.2): $1,000, $2,500, $1,500 (30, 15, 5 days old); $3,000 → #1 PAID, #2 $2,000
    applied (PARTIALLY_PAID), #3 untouched; balance $2,000."""
    first = await invoice(fin, maker["id"], "1000.00", dated=30)
    second = await invoice(fin, maker["id"], "2500.00", dated=15)
    third = await invoice(fin, maker["id"], "1500.00", dated=5)
    assert amount((await account(fin, maker["id"]))["currentBalance"]) == "5000.00"

    payload = await pay(fin, maker["id"], "3000.00")

    assert payload["errors"] == []
    applied = {
        a["invoice"]["id"]: amount(a["amountApplied"]) for a in payload["payment"]["allocations"]
    }
    assert applied == {first["id"]: "1000.00", second["id"]: "2000.00"}
    one, two, three = [await read_invoice(fin, i["id"]) for i in (first, second, third)]
    assert (one["status"], amount(one["amountOutstanding"])) == ("PAID", "0.00")
    assert (two["status"], amount(two["amountPaid"])) == ("PARTIALLY_PAID", "2000.00")
    assert (three["status"], amount(three["amountPaid"])) == ("APPROVED", "0.00")
    assert one["paidAt"] is not None and two["partiallyPaidAt"] is not None
    after = await account(fin, maker["id"])
    assert amount(after["currentBalance"]) == "2000.00"
    assert amount(after["creditBalance"]) == "0.00"
    assert amount(after["availableCredit"]) == "48000.00"


@pytest.mark.parametrize("method", ["WIRE", "ACH", "CHECK", "PAYPAL", "CREDIT_ON_ACCOUNT"])
async def test_every_payment_method(fin: GraphQLClient, maker: dict[str, Any], method: str) -> None:
    await invoice(fin, maker["id"], "100.00")
    payload = await pay(fin, maker["id"], "100.00", paymentMethod=method, referenceNumber="R1")
    assert payload["errors"] == []
    assert payload["payment"]["paymentMethod"] == method


async def test_manual_allocation_pays_the_chosen_invoices(
    fin: GraphQLClient, maker: dict[str, Any]
) -> None:
    old = await invoice(fin, maker["id"], "1000.00", dated=30)
    new = await invoice(fin, maker["id"], "800.00", dated=2)
    payload = await pay(
        fin, maker["id"], "500.00", allocations=[{"invoiceId": new["id"], "amount": "500.00"}]
    )
    assert payload["errors"] == []
    assert (await read_invoice(fin, old["id"]))["status"] == "APPROVED"
    chosen = await read_invoice(fin, new["id"])
    assert (chosen["status"], amount(chosen["amountOutstanding"])) == ("PARTIALLY_PAID", "300.00")


async def test_manual_allocation_refuses_more_than_owed_and_changes_nothing(
    fin: GraphQLClient, maker: dict[str, Any]
) -> None:
    owed = await invoice(fin, maker["id"], "100.00")
    draft = await invoice(fin, maker["id"], "100.00", approve=False)
    payload = await pay(
        fin,
        maker["id"],
        "500.00",
        allocations=[
            {"invoiceId": owed["id"], "amount": "150.00"},
            {"invoiceId": draft["id"], "amount": "50.00"},
        ],
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "allocations", "0", "amount"]),
        ("INVALID_TRANSITION", ["input", "allocations", "1", "invoiceId"]),
    ]
    too_much = await pay(
        fin, maker["id"], "50.00", allocations=[{"invoiceId": owed["id"], "amount": "60.00"}]
    )
    assert [e["code"] for e in too_much["errors"]] == ["VALIDATION"]
    assert (await fin("{ payments { totalCount } }"))["payments"]["totalCount"] == 0
    assert amount((await account(fin, maker["id"]))["currentBalance"]) == "100.00"


async def test_overpayment_becomes_credit_that_pays_the_next_invoice(
    fin: GraphQLClient, maker: dict[str, Any]
) -> None:
    await invoice(fin, maker["id"], "1000.00")
    payload = await pay(fin, maker["id"], "1500.00")
    assert amount(payload["payment"]["unallocated"]) == "500.00"
    after = await account(fin, maker["id"])
    assert (amount(after["currentBalance"]), amount(after["creditBalance"])) == ("0.00", "500.00")

    later = await invoice(fin, maker["id"], "800.00")

    assert (later["status"], amount(later["amountPaid"])) == ("PARTIALLY_PAID", "500.00")
    after = await account(fin, maker["id"])
    assert (amount(after["currentBalance"]), amount(after["creditBalance"])) == ("300.00", "0.00")


async def test_void_reverses_allocations_and_reverts_invoices(
    client: GraphQLClient, fin: GraphQLClient, maker: dict[str, Any]
) -> None:
    first = await invoice(fin, maker["id"], "1000.00", dated=20)
    second = await invoice(fin, maker["id"], "1000.00", dated=10)
    payment = (await pay(fin, maker["id"], "1500.00"))["payment"]
    assert amount((await account(fin, maker["id"]))["currentBalance"]) == "500.00"

    voided = await fin.mutate_ok(
        finance.VOID_PAYMENT, {"id": payment["id"], "voidReason": "Bounced"}, "payment"
    )

    assert (voided["status"], voided["voidReason"]) == ("VOIDED", "Bounced")
    assert voided["voidedAt"] is not None
    assert all(a["reversedAt"] is not None for a in voided["allocations"])
    assert amount(voided["unallocated"]) == "0.00"
    for each in (first, second):
        reverted = await read_invoice(fin, each["id"])
        assert (reverted["status"], amount(reverted["amountPaid"])) == ("APPROVED", "0.00")
        assert reverted["paidAt"] is None
    after = await account(fin, maker["id"])
    assert amount(after["currentBalance"]) == "2000.00"
    notices = await client("{ notifications { edges { node { type title } } } }")
    assert "PAYMENT_VOIDED" in {e["node"]["type"] for e in notices["notifications"]["edges"]}
    again = await fin.mutate(
        finance.VOID_PAYMENT, {"input": {"id": payment["id"], "voidReason": "Twice"}}
    )
    assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]


async def test_payment_history_lists_payments_newest_first(
    fin: GraphQLClient, maker: dict[str, Any]
) -> None:
    await invoice(fin, maker["id"], "300.00")
    for day, value in ((9, "100.00"), (3, "50.00")):
        await pay(fin, maker["id"], value, paymentDate=finance.days_ago(day))
    listed = await fin(
        "query($m: ID!) { payments(filter: {manufacturerId: $m}) { totalCount "
        "edges { node { paymentDate amount { amount } } } } }",
        {"m": maker["id"]},
    )
    assert listed["payments"]["totalCount"] == 2
    assert [e["node"]["amount"]["amount"] for e in listed["payments"]["edges"]] == [
        "50.00",
        "100.00",
    ]


async def test_repeating_an_idempotency_key_records_one_payment(
    fin: GraphQLClient, maker: dict[str, Any]
) -> None:
    await invoice(fin, maker["id"], "400.00")
    first = await pay(fin, maker["id"], "100.00", idempotencyKey="wire-42")
    again = await pay(fin, maker["id"], "100.00", idempotencyKey="wire-42")
    assert first["payment"]["id"] == again["payment"]["id"]
    assert amount((await account(fin, maker["id"]))["currentBalance"]) == "300.00"


async def test_a_payment_in_another_currency_is_refused(
    fin: GraphQLClient, maker: dict[str, Any]
) -> None:
    await invoice(fin, maker["id"], "400.00")
    payload = await pay(fin, maker["id"], "100.00", currency="EUR")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("CURRENCY_MISMATCH", ["input", "currency"])
    ]
    assert amount((await account(fin, maker["id"]))["currentBalance"]) == "400.00"


async def test_early_payment_takes_the_discount(
    client: GraphQLClient, fin: GraphQLClient, database: Database
) -> None:
    """BR-27: paid within `earlyPaymentDays` of the invoice date, the total less
    `earlyPaymentDiscount` percent settles it; later, the total is due."""
    maker = await finance.manufacturer(
        client, earlyPaymentDays=10, earlyPaymentDiscount="2.50", creditLimit="50000.00"
    )
    early = await invoice(fin, maker["id"], "1000.01", dated=4)
    late = await invoice(fin, maker["id"], "1000.00", dated=20)

    await pay(
        fin, maker["id"], "975.01", allocations=[{"invoiceId": early["id"], "amount": "975.01"}]
    )
    await pay(
        fin, maker["id"], "975.00", allocations=[{"invoiceId": late["id"], "amount": "975.00"}]
    )

    settled = await read_invoice(fin, early["id"])
    # 1000.01 x 0.975 = 975.00975, half-up to cents: 975.01; the discount is the rest.
    assert (settled["status"], amount(settled["discountAmount"])) == ("PAID", "25.00")
    owing = await read_invoice(fin, late["id"])
    assert (owing["status"], amount(owing["amountOutstanding"])) == ("PARTIALLY_PAID", "25.00")
    assert amount((await account(fin, maker["id"]))["currentBalance"]) == "25.00"
    assert await finance.ledger_problems(database, decode_id(maker["id"])[1]) == []
