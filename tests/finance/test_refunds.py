"""Issue 28 item 3: "overpayment becomes the manufacturer's credit balance, used by later
allocations or refunded". A refund takes from the credit (never more), later allocations
never use refunded credit, a key repeated with the same figures answers with the first
refund (other figures: CONFLICT), a void gives the credit back."""

from __future__ import annotations

from typing import Any

import pytest

from auth.permissions import Role
from db.engine import Database
from domain.enums import AuditAction
from resolvers.ids import decode_id
from tests.support import finance
from tests.support.db_state import snapshot
from tests.support.finance import (
    VOID_CREDIT_REFUND,
    VOID_PAYMENT,
    account,
    invoice,
    ledger_problems,
    pay,
    read_invoice,
    refund,
)
from tests.support.graphql import GraphQLClient
from tests.support.job_support import audits

REFUNDS = """query($filter: CreditRefundFilter) { creditRefunds(filter: $filter) {
  totalCount edges { node { reference status amount { amount currency } } } } }"""


@pytest.fixture
async def fin(client: GraphQLClient, database: Any) -> GraphQLClient:
    return finance.finance_client(client)


@pytest.fixture
async def maker(client: GraphQLClient) -> dict[str, Any]:
    return await finance.manufacturer(client, creditLimit="50000.00")


async def credit(fin: GraphQLClient, maker: dict[str, Any]) -> str:
    found: str = (await account(fin, maker["id"]))["creditBalance"]["amount"]
    return found


async def test_an_overpayment_is_credit_and_a_refund_takes_part_of_it(
    fin: GraphQLClient, maker: dict[str, Any], database: Database
) -> None:
    await invoice(fin, maker["id"], "400.00")
    await pay(fin, maker["id"], "1000.00")
    assert await credit(fin, maker) == "600.00"

    payload = await refund(fin, maker["id"], "250.00", reference="WIRE-BACK-250")

    assert payload["errors"] == []
    made = payload["creditRefund"]
    assert (made["status"], made["amount"], made["reference"]) == (
        "RECORDED",
        {"amount": "250.00", "currency": "USD"},
        "WIRE-BACK-250",
    )
    assert made["allowedTransitions"] == ["VOIDED"]
    assert await credit(fin, maker) == "350.00"
    assert (await account(fin, maker["id"]))["currentBalance"]["amount"] == "0.00"
    listed = (await fin(REFUNDS, {"filter": {"manufacturerId": maker["id"]}}))["creditRefunds"]
    assert listed["totalCount"] == 1
    assert listed["edges"][0]["node"]["reference"] == "WIRE-BACK-250"
    entries = await audits(database, decode_id(made["id"])[1])
    assert [e.action for e in entries] == [AuditAction.CREATED]
    assert await ledger_problems(database, decode_id(maker["id"])[1]) == []


async def test_a_refund_beyond_the_credit_is_refused_and_changes_nothing(
    fin: GraphQLClient, maker: dict[str, Any], database: Database
) -> None:
    await pay(fin, maker["id"], "100.00")
    before = await snapshot(database)

    too_much = await refund(fin, maker["id"], "100.01")
    assert [(e["code"], e["field"]) for e in too_much["errors"]] == [
        ("INSUFFICIENT_CREDIT", ["input", "amount"])
    ]
    assert too_much["creditRefund"] is None
    for bad, field in (("0.00", "amount"), ("-5.00", "amount"), ("1.001", "amount")):
        payload = await refund(fin, maker["id"], bad)
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [
            ("VALIDATION", ["input", field])
        ], bad
    other_currency = await refund(fin, maker["id"], "10.00", currency="EUR")
    assert [e["code"] for e in other_currency["errors"]] == ["CURRENCY_MISMATCH"]
    blank = await refund(fin, maker["id"], "10.00", reason=" ")
    assert [(e["code"], e["field"]) for e in blank["errors"]] == [
        ("VALIDATION", ["input", "reason"])
    ]

    assert await snapshot(database) == before
    assert await credit(fin, maker) == "100.00"
    # All of it may go back; then nothing more.
    assert (await refund(fin, maker["id"], "100.00"))["errors"] == []
    assert [e["code"] for e in (await refund(fin, maker["id"], "0.01"))["errors"]] == [
        "INSUFFICIENT_CREDIT"
    ]
    assert await credit(fin, maker) == "0.00"


async def test_a_later_allocation_cannot_use_refunded_credit(
    fin: GraphQLClient, maker: dict[str, Any], database: Database
) -> None:
    await pay(fin, maker["id"], "500.00")
    assert (await refund(fin, maker["id"], "300.00"))["errors"] == []

    # Approval pays an invoice from credit first (BR-29): only the 200 left.
    owed = await invoice(fin, maker["id"], "450.00")

    assert (owed["status"], owed["amountPaid"]["amount"]) == ("PARTIALLY_PAID", "200.00")
    after = await account(fin, maker["id"])
    assert (after["creditBalance"]["amount"], after["currentBalance"]["amount"]) == (
        "0.00",
        "250.00",
    )
    assert await ledger_problems(database, decode_id(maker["id"])[1]) == []


async def test_a_payment_void_never_reuses_refunded_credit(
    fin: GraphQLClient, maker: dict[str, Any], database: Database
) -> None:
    """Voiding a payment reopens its invoices, which credit pays again (BR-30): never the
    part that was refunded."""
    first = await invoice(fin, maker["id"], "300.00")
    paid = await pay(fin, maker["id"], "300.00")
    await pay(fin, maker["id"], "200.00")  # no invoice open: all credit
    assert (await refund(fin, maker["id"], "150.00"))["errors"] == []

    voided = await fin.mutate(
        VOID_PAYMENT, {"input": {"id": paid["payment"]["id"], "voidReason": "Bounced"}}
    )

    assert voided["errors"] == []
    reopened = await read_invoice(fin, first["id"])
    assert (reopened["status"], reopened["amountPaid"]["amount"]) == ("PARTIALLY_PAID", "50.00")
    after = await account(fin, maker["id"])
    assert (after["creditBalance"]["amount"], after["currentBalance"]["amount"]) == (
        "0.00",
        "250.00",
    )
    assert await ledger_problems(database, decode_id(maker["id"])[1]) == []


async def test_a_void_restores_the_credit_and_a_payment_refunded_voids_after_it(
    client: GraphQLClient, fin: GraphQLClient, maker: dict[str, Any], database: Database
) -> None:
    paid = await pay(fin, maker["id"], "100.00")
    made = (await refund(fin, maker["id"], "60.00"))["creditRefund"]
    before = await snapshot(database)

    # The payment's credit went back to the manufacturer: its void would overdraw.
    refused = await fin.mutate(
        VOID_PAYMENT, {"input": {"id": paid["payment"]["id"], "voidReason": "Bounced"}}
    )
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("INSUFFICIENT_CREDIT", ["input", "id"])
    ]
    assert await snapshot(database) == before

    voided = await fin.mutate(
        VOID_CREDIT_REFUND, {"input": {"id": made["id"], "voidReason": "Wire came back"}}
    )
    assert voided["errors"] == []
    assert (voided["creditRefund"]["status"], voided["creditRefund"]["voidReason"]) == (
        "VOIDED",
        "Wire came back",
    )
    assert await credit(fin, maker) == "100.00"
    again = await fin.mutate(
        VOID_CREDIT_REFUND, {"input": {"id": made["id"], "voidReason": "Twice"}}
    )
    assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]

    void_payment = await fin.mutate(
        VOID_PAYMENT, {"input": {"id": paid["payment"]["id"], "voidReason": "Bounced"}}
    )
    assert void_payment["errors"] == []
    assert await credit(fin, maker) == "0.00"
    entries = await audits(database, decode_id(made["id"])[1])
    assert AuditAction.STATUS_CHANGED in {e.action for e in entries}
    assert await ledger_problems(database, decode_id(maker["id"])[1]) == []


async def test_an_idempotency_key_names_one_refund(
    fin: GraphQLClient, maker: dict[str, Any], database: Database
) -> None:
    await pay(fin, maker["id"], "500.00")
    first = await refund(fin, maker["id"], "100.00", key="refund-77")
    again = await refund(fin, maker["id"], "100.00", key="refund-77")

    assert again["errors"] == []
    assert again["creditRefund"]["id"] == first["creditRefund"]["id"]
    assert await credit(fin, maker) == "400.00"

    before = await snapshot(database)
    other = await refund(fin, maker["id"], "120.00", key="refund-77")
    assert [(e["code"], e["field"]) for e in other["errors"]] == [
        ("CONFLICT", ["input", "idempotencyKey"])
    ]
    assert await snapshot(database) == before
    assert await credit(fin, maker) == "400.00"


async def test_the_list_filters_by_manufacturer_and_date(
    client: GraphQLClient, fin: GraphQLClient, maker: dict[str, Any]
) -> None:
    other = await finance.manufacturer(client)
    await pay(fin, maker["id"], "500.00")
    await pay(fin, other["id"], "500.00")
    await refund(fin, maker["id"], "10.00", refundDate=finance.days_ago(20), reference="OLD")
    await refund(fin, maker["id"], "20.00", reference="NEW")
    await refund(fin, other["id"], "30.00", reference="THEIRS")

    def refs(found: Any) -> list[str]:
        return [e["node"]["reference"] for e in found["creditRefunds"]["edges"]]

    mine = await fin(REFUNDS, {"filter": {"manufacturerId": maker["id"]}})
    assert refs(mine) == ["NEW", "OLD"]  # newest first
    recent = {"manufacturerId": maker["id"], "refundedFrom": finance.days_ago(5)}
    assert refs(await fin(REFUNDS, {"filter": recent})) == ["NEW"]
    early = {"refundedTo": finance.days_ago(10), "manufacturerId": maker["id"]}
    assert refs(await fin(REFUNDS, {"filter": early})) == ["OLD"]


async def test_a_manufacturer_sees_its_own_refunds_and_hears_of_them(
    client: GraphQLClient, fin: GraphQLClient, maker: dict[str, Any]
) -> None:
    other = await finance.manufacturer(client)
    await pay(fin, maker["id"], "300.00")
    await pay(fin, other["id"], "300.00")
    mine = (await refund(fin, maker["id"], "40.00", reference="MINE"))["creditRefund"]
    theirs = (await refund(fin, other["id"], "50.00", reference="THEIRS"))["creditRefund"]
    portal = client.as_role(Role.MANUFACTURER, manufacturer_id=decode_id(maker["id"])[1])

    seen = await portal(REFUNDS)
    assert [e["node"]["reference"] for e in seen["creditRefunds"]["edges"]] == ["MINE"]
    lookup = "query($id: ID!) { creditRefund(id: $id) { reference } }"
    assert (await portal(lookup, {"id": mine["id"]}))["creditRefund"] == {"reference": "MINE"}
    assert (await portal(lookup, {"id": theirs["id"]}))["creditRefund"] is None
    refused = await portal.raw(
        VOID_CREDIT_REFUND, {"input": {"id": mine["id"], "voidReason": "Mine"}}
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    notices = await portal("{ notifications { edges { node { type title } } } }")
    titles = {e["node"]["title"] for e in notices["notifications"]["edges"]}
    assert "Credit refund of 40.00 USD sent" in titles
    assert "Credit refund of 50.00 USD sent" not in titles
    assert (await account(portal, maker["id"]))["creditBalance"]["amount"] == "260.00"
