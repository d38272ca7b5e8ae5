"""Finance rows of the permission matrix (SPEC §4 "Record payments = A F", "View payment
terms = A O F" with a manufacturer's own, financial read for readonly; a manufacturer sees
and submits its own invoices, sees its own payments and credit refunds; refunding credit is
recording a payment)."""

from __future__ import annotations

from typing import Any

from tests.support.files import pdf_bytes
from tests.support.finance import CREATE_INVOICE, RECORD_PAYMENT, REFUND_CREDIT, days_ago
from tests.support.graphql import UploadPart
from tests.support.permission_cases.catalog import MANUFACTURERS_Q
from tests.support.permission_matrix import Case, World, mutation_case, n


def _line() -> dict[str, Any]:
    return {"description": f"Line {n()}", "quantity": 2, "unitCost": "10.00"}


async def _invoice(world: World, *, submit: bool = True, approve: bool = False) -> str:
    made = await world.admin.mutate_ok(
        CREATE_INVOICE,
        {"manufacturerId": world.own_manufacturer["id"], "lines": [_line()], "submit": submit},
        "invoice",
    )
    if approve:
        move = (
            "mutation($input: TransitionInvoiceInput!) { transitionInvoice(input: $input) "
            "{ errors { code } } }"
        )
        await world.admin.mutate(move, {"input": {"id": made["id"], "status": "APPROVED"}})
    invoice_id: str = made["id"]
    return invoice_id


async def _payment(world: World) -> str:
    await _invoice(world, approve=True)
    payload = await world.admin.mutate(
        RECORD_PAYMENT,
        {
            "input": {
                "manufacturerId": world.own_manufacturer["id"],
                "amount": "5.00",
                "paymentMethod": "WIRE",
                "paymentDate": days_ago(1),
            }
        },
    )
    payment_id: str = payload["payment"]["id"]
    return payment_id


async def _credit(world: World, amount: str = "5.00") -> None:
    """A payment with nothing to pay: all of it is the manufacturer's credit."""
    await world.admin.mutate(
        RECORD_PAYMENT,
        {
            "input": {
                "manufacturerId": world.own_manufacturer["id"],
                "amount": amount,
                "paymentMethod": "WIRE",
                "allocations": [],
            }
        },
    )


async def _refund(world: World) -> str:
    await _credit(world)
    payload = await world.admin.mutate(
        REFUND_CREDIT,
        {
            "input": {
                "manufacturerId": world.own_manufacturer["id"],
                "amount": "1.00",
                "reason": "Overpaid",
                "reference": f"BACK-{n()}",
                "idempotencyKey": f"matrix-refund-{n()}",
            }
        },
    )
    assert payload["errors"] == [], payload["errors"]
    refund_id: str = payload["creditRefund"]["id"]
    return refund_id


async def _refund_lookup(world: World) -> dict[str, Any]:
    return {"id": await _refund(world)}


async def _refund_input(world: World) -> dict[str, Any]:
    await _credit(world)
    return {
        "manufacturerId": world.own_manufacturer["id"],
        "amount": "1.00",
        "reason": "Overpaid",
        "reference": f"BACK-{n()}",
        "idempotencyKey": f"matrix-refund-{n()}",
    }


async def _void_refund(world: World) -> dict[str, Any]:
    return {"id": await _refund(world), "voidReason": "Came back"}


async def _invoice_lookup(world: World) -> dict[str, Any]:
    return {"id": await _invoice(world)}


async def _payment_lookup(world: World) -> dict[str, Any]:
    return {"id": await _payment(world)}


async def _create(world: World) -> dict[str, Any]:
    return {"manufacturerId": world.own_manufacturer["id"], "lines": [_line()]}


async def _submit(world: World) -> dict[str, Any]:
    return {"id": await _invoice(world, submit=False), "status": "SUBMITTED"}


async def _attach(world: World) -> dict[str, Any]:
    return {
        "invoiceId": await _invoice(world, submit=False),
        "file": UploadPart("invoice.pdf", pdf_bytes(), "application/pdf"),
    }


async def _record(world: World) -> dict[str, Any]:
    return {
        "manufacturerId": world.own_manufacturer["id"],
        "amount": "1.00",
        "paymentMethod": "ACH",
    }


async def _void(world: World) -> dict[str, Any]:
    return {"id": await _payment(world), "voidReason": "Returned by the bank"}


async def _given(value: dict[str, Any]) -> dict[str, Any]:
    return value


CASES: list[Case] = [
    Case("Query.invoices", "{ invoices { totalCount } }", "UAFRM"),
    Case(
        "Query.invoice",
        "query($id: ID) { invoice(id: $id) { invoiceNumber } }",
        "UAFRM",
        _invoice_lookup,
    ),
    Case("Query.payments", "{ payments { totalCount } }", "UAFRM"),
    Case(
        "Query.payment",
        "query($id: ID) { payment(id: $id) { paymentDate } }",
        "UAFRM",
        _payment_lookup,
    ),
    Case("Query.creditRefunds", "{ creditRefunds { totalCount } }", "UAFRM"),
    Case(
        "Query.creditRefund",
        "query($id: ID) { creditRefund(id: $id) { refundDate } }",
        "UAFRM",
        _refund_lookup,
    ),
    # -- reports: aging and payment due for financial readers; costs and margins are cost
    #    data ("View cost data = A O F").
    Case("Query.agingReport", "{ agingReport { asOf } }", "UAFR"),
    Case(
        "Query.agingDetail",
        "query($id: ID!) { agingDetail(manufacturerId: $id) { asOf } }",
        "UAFR",
        lambda w: _given({"id": w.own_manufacturer["id"]}),
    ),
    Case("Query.paymentDue", "{ paymentDue { until } }", "UAFR"),
    Case("Query.costReport", "{ costReport { quantity } }", "UAOF"),
    Case("Query.marginReport", "{ marginReport { lowMargin } }", "UAOF"),
    # -- payables fields of the manufacturer: "View payment terms = A O F", its own for M.
    Case("Manufacturer.creditBalance", MANUFACTURERS_Q % "creditBalance { amount }", "UAOFRM"),
    Case("Manufacturer.earlyPaymentDiscount", MANUFACTURERS_Q % "earlyPaymentDiscount", "UAOFRM"),
    # -- mutations: finance writes invoices and records payments; a manufacturer creates
    #    and submits its own invoices.
    mutation_case("createInvoice", "UAFM", _create),
    mutation_case("transitionInvoice", "UAFM", _submit),
    mutation_case("attachInvoiceFile", "UAFM", _attach),
    mutation_case("recordPayment", "UAF", _record),
    mutation_case("exportAgingReport", "UAFR", lambda w: {}),
    mutation_case("exportPaymentDue", "UAFR", lambda w: {"withinDays": 30}),
    mutation_case("exportCostReport", "UAOF", lambda w: {}),
    mutation_case("exportMarginReport", "UAOF", lambda w: {}),
    mutation_case("voidPayment", "UAF", _void),
    mutation_case("refundCredit", "UAF", _refund_input),
    mutation_case("voidCreditRefund", "UAF", _void_refund),
]
