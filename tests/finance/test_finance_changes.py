"""Issue 28 item 8: invoices, payments and credit refunds are published to the change log; a
manufacturer's dashboard follows its own (another's is FORBIDDEN) and hears its payment and
its refund."""

from __future__ import annotations

from typing import Any

from auth.permissions import Role
from resolvers.ids import decode_id
from tests.support import finance
from tests.support.live import subscribe
from tests.support.realtime import live, token

FINANCE_CHANGED = """
subscription($manufacturerId: ID, $after: String) {
  financeChanged(manufacturerId: $manufacturerId, after: $after) {
    cursor eventType table changedFields
    invoice { invoiceNumber status amountPaid { amount } }
    payment { status amount { amount } }
    creditRefund { status amount { amount } reference }
  }
}"""


async def test_a_manufacturer_follows_its_own_invoices_and_payments(live_settings: Any) -> None:
    async with live(live_settings) as (server, admin):
        fin = finance.finance_client(admin)
        own = await finance.manufacturer(admin)
        other = await finance.manufacturer(admin)
        own_pk, other_pk = decode_id(own["id"])[1], decode_id(other["id"])[1]
        own_token = token(live_settings, Role.MANUFACTURER, manufacturer_id=own_pk)

        async with subscribe(
            server.url, own_token, FINANCE_CHANGED, {"manufacturerId": other["id"]}
        ) as refused:
            (error,) = (await refused.next())["errors"]
            assert error["extensions"]["code"] == "FORBIDDEN"

        async with subscribe(server.url, own_token, FINANCE_CHANGED, {}) as stream:
            await server.subscribed(f"manufacturer:{own_pk}:finance")
            await finance.invoice(fin, other["id"], "50.00")  # not its own: never arrives
            made = await finance.invoice(fin, own["id"], "400.00", approve=False)
            created = (await stream.data())["financeChanged"]
            assert (created["eventType"], created["table"]) == ("INSERT", "invoices")
            # Created and submitted in one transaction: one event, as committed.
            assert created["invoice"]["invoiceNumber"] == made["invoiceNumber"]
            assert created["invoice"]["status"] == "SUBMITTED"
            await finance.move(fin, made["id"], "APPROVED")
            approved = (await stream.data())["financeChanged"]
            assert approved["invoice"]["status"] == "APPROVED"
            await finance.pay(fin, own["id"], "400.00")
            # The payment and the invoice it paid, each once, as committed.
            events = [(await stream.data())["financeChanged"] for _ in range(2)]
            kinds = {(e["table"], e["eventType"]) for e in events}
            assert ("manufacturer_payments", "INSERT") in kinds
            paid = [e["invoice"] for e in events if e["invoice"]]
            assert paid[-1]["status"] == "PAID"
            await finance.pay(fin, own["id"], "100.00")  # nothing owed: credit
            credited = (await stream.data())["financeChanged"]
            assert (credited["table"], credited["payment"]["amount"]) == (
                "manufacturer_payments",
                {"amount": "100.00"},
            )
            await finance.refund(fin, own["id"], "60.00", reference="BACK-60")
            refunded = (await stream.data())["financeChanged"]
            assert (refunded["table"], refunded["eventType"]) == ("credit_refunds", "INSERT")
            assert refunded["creditRefund"] == {
                "status": "RECORDED",
                "amount": {"amount": "60.00"},
                "reference": "BACK-60",
            }
            assert refunded["payment"] is None
        assert other_pk != own_pk
