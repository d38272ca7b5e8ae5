"""Purchase order payments: SPEC §8's BTC payment reads back byte for byte, an idempotency
key records a payment once, fiat and crypto details are checked, and the PO's payment status
follows its confirmed payments only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import PurchaseOrderPayment
from tests.support import procurement_factories as pf
from tests.support.db_state import snapshot

pytestmark = pytest.mark.both_executions


async def _po(client: Any, quantity: int = 380) -> Any:
    """A submitted PO for $3,800.00 (380 units at 10.00)."""
    supplier, product = await pf.world(client)
    return await pf.submitted_po(client, supplier["id"], [(product["id"], quantity)])


async def _count(database: Any) -> int:
    async with database.transaction() as session:
        return int(
            (
                await session.execute(select(func.count()).select_from(PurchaseOrderPayment))
            ).scalar_one()
        )


async def test_the_btc_payment_of_po_2026_0042_reads_back_exactly(client):
    po = await _po(client)
    recorded = await client.mutate_ok(pf.RECORD_PAYMENT, pf.btc_payment(po["id"]), "payment")
    again = (
        await client(
            f"query($id: ID!) {{ node(id: $id) {{ ... on PurchaseOrderPayment {{ "
            f"{pf.PAYMENT_FIELDS} }} }} }}",
            {"id": recorded["id"]},
        )
    )["node"]
    for payment in (recorded, again):
        assert payment["status"] == "PENDING"
        assert payment["amountUsd"] == {"amount": "3800.00", "currency": "USD"}
        crypto = payment["crypto"]
        assert (crypto["amount"], crypto["rateUsd"], crypto["fee"]) == (
            "0.04217391",
            "90100.00",
            "0.00001200",
        )
        assert crypto["feeUsd"] == {"amount": "1.08", "currency": "USD"}
        assert (crypto["rateSource"], crypto["network"], crypto["confirmations"]) == (
            "KRAKEN",
            "BITCOIN",
            3,
        )
        assert payment["fiat"] is None


async def test_the_usdt_variant_keeps_its_rate_and_fee(client):
    po = await _po(client)
    values = pf.btc_payment(po["id"], key="usdt")
    values["crypto"] = {
        **values["crypto"],
        "currency": "usdt",
        "amount": "3799.24",
        "rateUsd": "1.0002",
        "network": "TRON",
        "fee": "1",
        "feeUsd": "1.00",
    }
    payment = await client.mutate_ok(pf.RECORD_PAYMENT, values, "payment")
    assert payment["crypto"]["currency"] == "USDT"
    assert (payment["crypto"]["rateUsd"], payment["crypto"]["fee"]) == ("1.0002", "1")


async def test_an_idempotency_key_records_one_payment(client, database):
    po = await _po(client)
    first = await client.mutate_ok(pf.RECORD_PAYMENT, pf.btc_payment(po["id"]), "payment")
    again = await client.mutate_ok(pf.RECORD_PAYMENT, pf.btc_payment(po["id"]), "payment")
    assert again["id"] == first["id"] and await _count(database) == 1
    before = await snapshot(database)
    changed = await client.mutate(
        pf.RECORD_PAYMENT, {"input": pf.btc_payment(po["id"], amountUsd="3900.00")}
    )
    assert [(e["code"], e["field"]) for e in changed["errors"]] == [
        ("CONFLICT", ["input", "idempotencyKey"])
    ]
    assert await snapshot(database) == before


async def test_concurrent_retries_record_one_payment(client, database, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs concurrent writers: SQLite serialises the whole database")
    po = await _po(client)
    payloads = await asyncio.gather(
        *(client.mutate(pf.RECORD_PAYMENT, {"input": pf.btc_payment(po["id"])}) for _ in range(8))
    )
    assert all(p["errors"] == [] for p in payloads)
    assert len({p["payment"]["id"] for p in payloads}) == 1
    assert await _count(database) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0.0421e3"}, ["input", "crypto", "amount"]),
        ({"amount": "-1"}, ["input", "crypto", "amount"]),
        ({"amount": "0"}, ["input", "crypto", "amount"]),
        ({"rateUsd": "90,100.00"}, ["input", "crypto", "rateUsd"]),
        ({"rateUsd": "NaN"}, ["input", "crypto", "rateUsd"]),
        ({"fee": "1.5.0"}, ["input", "crypto", "fee"]),
        ({"confirmations": -1}, ["input", "crypto", "confirmations"]),
    ],
)
async def test_crypto_figures_must_be_exact_decimal_strings(client, database, change, field):
    po = await _po(client)
    values = pf.btc_payment(po["id"])
    values["crypto"] = {**values["crypto"], **change}
    before = await snapshot(database)
    payload = await client.mutate(pf.RECORD_PAYMENT, {"input": values})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("VALIDATION", field)]
    assert await snapshot(database) == before


async def test_crypto_details_belong_to_crypto_only(client):
    po = await _po(client)
    no_details = pf.btc_payment(po["id"])
    del no_details["crypto"]
    payload = await client.mutate(pf.RECORD_PAYMENT, {"input": no_details})
    assert [e["field"] for e in payload["errors"]] == [["input", "crypto"]]
    wire_with_crypto = pf.btc_payment(po["id"], paymentMethod="WIRE")
    payload = await client.mutate(pf.RECORD_PAYMENT, {"input": wire_with_crypto})
    assert [e["field"] for e in payload["errors"]] == [["input", "crypto"]]


async def test_a_draft_or_cancelled_order_takes_no_payment(client):
    supplier, product = await pf.world(client)
    draft = await pf.draft_po(client, supplier["id"], [(product["id"], 1)])
    payload = await client.mutate(pf.RECORD_PAYMENT, {"input": pf.btc_payment(draft["id"])})
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]


def _wire(po_id: str, key: str, amount: str) -> dict[str, Any]:
    return {
        "purchaseOrderId": po_id,
        "idempotencyKey": key,
        "amountUsd": amount,
        "paymentMethod": "WIRE",
        "paidAt": datetime.now(UTC).isoformat(),
        "fiat": {"reference": f"W-{key}", "bank": "First Bank"},
    }


async def test_payment_status_counts_confirmed_payments_only(client):
    po = await _po(client)

    async def status() -> str:
        found = await client(pf.PURCHASE_ORDER, {"id": po["id"]})
        return str(found["purchaseOrder"]["paymentStatus"])

    first = await client.mutate_ok(pf.RECORD_PAYMENT, _wire(po["id"], "a", "1000.00"), "payment")
    assert first["fiat"] == {"reference": "W-a", "bank": "First Bank"}
    assert await status() == "UNPAID"  # pending counts for nothing
    await client.mutate_ok(pf.CONFIRM_PAYMENT, {"id": first["id"]}, "payment")
    assert await status() == "PARTIALLY_PAID"
    failed = await client.mutate_ok(pf.RECORD_PAYMENT, _wire(po["id"], "b", "2800.00"), "payment")
    gone = await client.mutate_ok(
        pf.FAIL_PAYMENT, {"id": failed["id"], "reason": "returned by the bank"}, "payment"
    )
    assert (gone["status"], gone["failureReason"]) == ("FAILED", "returned by the bank")
    assert await status() == "PARTIALLY_PAID"
    rest = await client.mutate_ok(pf.RECORD_PAYMENT, _wire(po["id"], "c", "2800.00"), "payment")
    confirmed = await client.mutate_ok(pf.CONFIRM_PAYMENT, {"id": rest["id"]}, "payment")
    assert confirmed["confirmedAt"] is not None
    assert await status() == "PAID"


async def test_failing_needs_a_reason(client, database):
    po = await _po(client)
    payment = await client.mutate_ok(pf.RECORD_PAYMENT, _wire(po["id"], "x", "10.00"), "payment")
    before = await snapshot(database)
    payload = await client.mutate(pf.FAIL_PAYMENT, {"input": {"id": payment["id"], "reason": ""}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "reason"])
    ]
    assert await snapshot(database) == before
