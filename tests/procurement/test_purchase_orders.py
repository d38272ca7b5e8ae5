"""Purchase orders through the API: drafts priced from the effective price, totals, guards
of submit and close, PO numbers unique under concurrency, lines and deletes per BR-46,
filters and the overdue flag."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.models import ReferenceSequence
from domain.procurement import PaymentStatus, PurchaseOrderStatus, SupplierStatus, payment_status
from resolvers.procurement.rules import totals
from tests.support import procurement_factories as pf
from tests.support import procurement_seeding as seed
from tests.support import seeding
from tests.support.db_state import snapshot

pytestmark = pytest.mark.both_executions

YEAR = datetime.now(UTC).year
P = PurchaseOrderStatus


async def test_a_line_takes_its_unit_cost_and_sku_from_the_effective_price(client):
    supplier = await pf.supplier(client)
    product = await pf.product(client)
    await pf.price_list(client, supplier["id"], product["id"], unitCost="11.00", supplierSku="OLD")
    await pf.price_list(
        client,
        supplier["id"],
        product["id"],
        unitCost="12.25",
        supplierSku="NEW",
        effectiveDate=(datetime.now(UTC) - timedelta(hours=1)).isoformat(),
    )
    # A later one not yet in effect, and an inactive one, are not used.
    await pf.price_list(
        client,
        supplier["id"],
        product["id"],
        unitCost="1.00",
        effectiveDate=(datetime.now(UTC) + timedelta(days=3)).isoformat(),
    )
    await pf.price_list(client, supplier["id"], product["id"], unitCost="2.00", isActive=False)
    po = await pf.draft_po(
        client,
        supplier["id"],
        [(product["id"], 4)],
        unit_cost=None,
        shippingCost="5.00",
        taxAmount="1.20",
    )
    (line,) = po["lines"]
    assert line["unitCost"] == {"amount": "12.25", "currency": "USD"}
    assert line["supplierSku"] == "NEW"
    assert line["lineTotal"] == {"amount": "49.00"}
    assert po["subtotal"] == {"amount": "49.00", "currency": "USD"}
    assert po["total"] == {"amount": "55.20", "currency": "USD"}
    assert (po["status"], po["poNumber"], po["paymentStatus"]) == ("DRAFT", None, "UNPAID")


async def test_a_line_without_a_price_or_under_the_minimum_is_refused_at_its_path(client, database):
    supplier = await pf.supplier(client)
    priced = await pf.product(client)
    unpriced = await pf.product(client)
    await pf.price_list(client, supplier["id"], priced["id"], minimumOrderQuantity=10)
    before = await snapshot(database)
    payload = await client.mutate(
        pf.CREATE_PO,
        {
            "input": {
                "supplierId": supplier["id"],
                "lines": [
                    {"productId": priced["id"], "quantity": 5},
                    {"productId": unpriced["id"], "quantity": 5},
                    {"productId": priced["id"], "quantity": 0},
                ],
            }
        },
    )
    assert payload["purchaseOrder"] is None
    assert sorted((e["code"], tuple(e["field"])) for e in payload["errors"]) == [
        ("VALIDATION", ("input", "lines", "0", "quantity")),
        ("VALIDATION", ("input", "lines", "1", "unitCost")),
        ("VALIDATION", ("input", "lines", "2", "quantity")),
    ]
    assert await snapshot(database) == before


async def test_only_an_active_supplier_is_ordered_from(client, database):
    product = await seed.product(database)
    for status in (SupplierStatus.INACTIVE, SupplierStatus.SUSPENDED, SupplierStatus.BLOCKED):
        supplier = await seed.supplier(database, status)
        payload = await client.mutate(
            pf.CREATE_PO,
            {
                "input": {
                    "supplierId": seeding.gid(supplier),
                    "lines": pf.lines([(seeding.gid(product), 1)]),
                }
            },
        )
        assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"], status
        assert payload["errors"][0]["field"] == ["input", "supplierId"]


async def test_submit_assigns_the_next_po_number_of_the_year(client, database):
    async with database.transaction() as session:
        session.add(ReferenceSequence(name="PO", year=YEAR, value=41))
    supplier, product = await pf.world(client)
    po = await pf.submitted_po(client, supplier["id"], [(product["id"], 3)])
    assert po["poNumber"] == f"PO-{YEAR}-0042"
    assert po["status"] == "SUBMITTED" and po["orderedAt"] is not None
    draft = await pf.draft_po(client, supplier["id"], [(product["id"], 3)])
    assert draft["poNumber"] is None  # a number only at submit


async def test_submit_needs_lines(client, database):
    supplier, _ = await pf.world(client)
    empty = await pf.draft_po(client, supplier["id"], [])
    payload = await client.mutate(pf.SUBMIT_PO, {"input": {"id": empty["id"]}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "lines"])
    ]


async def test_submit_to_an_inactive_supplier_is_refused(client, database):
    supplier = await seed.supplier(database, SupplierStatus.INACTIVE)
    product = await seed.product(database)
    draft = await seed.purchase_order(database, supplier.id, product.id)
    before = await snapshot(database)
    payload = await client.mutate(pf.SUBMIT_PO, {"input": {"id": seeding.gid(draft)}})
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
    assert "only an active supplier" in payload["errors"][0]["message"]
    assert await snapshot(database) == before


async def test_concurrent_submits_get_distinct_consecutive_po_numbers(client, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs concurrent writers: SQLite serialises the whole database")
    supplier, product = await pf.world(client)
    drafts = [await pf.draft_po(client, supplier["id"], [(product["id"], 1)]) for _ in range(20)]
    payloads = await asyncio.gather(
        *(client.mutate(pf.SUBMIT_PO, {"input": {"id": d["id"]}}) for d in drafts)
    )
    assert all(p["errors"] == [] for p in payloads), [p["errors"] for p in payloads]
    numbers = sorted(p["purchaseOrder"]["poNumber"] for p in payloads)
    assert numbers == [f"PO-{YEAR}-{n:04d}" for n in range(1, 21)]


async def test_close_needs_paid(client, database):
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(database, supplier.id, product.id, P.RECEIVED, received=10)
    refused = await client.mutate(
        pf.TRANSITION_PO, {"input": {"id": seeding.gid(order), "status": "CLOSED"}}
    )
    assert [e["code"] for e in refused["errors"]] == ["INVALID_TRANSITION"]
    assert "unpaid" in refused["errors"][0]["message"]
    payment = await client.mutate_ok(
        pf.RECORD_PAYMENT,
        {
            "purchaseOrderId": seeding.gid(order),
            "idempotencyKey": "rest",
            "amountUsd": "100.00",
            "paymentMethod": "WIRE",
            "paidAt": datetime.now(UTC).isoformat(),
            "fiat": {"reference": "W-1", "bank": "First Bank"},
        },
        "payment",
    )
    await client.mutate_ok(pf.CONFIRM_PAYMENT, {"id": payment["id"]}, "payment")
    closed = await client.mutate_ok(
        pf.TRANSITION_PO, {"id": seeding.gid(order), "status": "CLOSED"}, "purchaseOrder"
    )
    assert (closed["status"], closed["paymentStatus"]) == ("CLOSED", "PAID")


async def test_receiving_statuses_follow_the_quantities(client, database):
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    none_in = await seed.purchase_order(database, supplier.id, product.id, P.SHIPPED)
    part = await client.mutate(
        pf.TRANSITION_PO, {"input": {"id": seeding.gid(none_in), "status": "PARTIALLY_RECEIVED"}}
    )
    assert [e["code"] for e in part["errors"]] == ["INVALID_TRANSITION"]
    short = await seed.purchase_order(database, supplier.id, product.id, P.SHIPPED, received=6)
    refused = await client.mutate(
        pf.TRANSITION_PO, {"input": {"id": seeding.gid(short), "status": "RECEIVED"}}
    )
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("INVALID_TRANSITION", ["input", "reason"])
    ]
    accepted = await client.mutate_ok(
        pf.TRANSITION_PO,
        {"id": seeding.gid(short), "status": "RECEIVED", "reason": "rest back-ordered for good"},
        "purchaseOrder",
    )
    assert accepted["status"] == "RECEIVED"


async def test_lines_change_only_on_a_draft_and_the_totals_follow(client):
    supplier, product = await pf.world(client)
    po = await pf.draft_po(client, supplier["id"], [(product["id"], 2)])
    added = await client.mutate_ok(
        pf.ADD_LINE,
        {
            "purchaseOrderId": po["id"],
            "productId": product["id"],
            "quantity": 3,
            "unitCost": "7.00",
        },
        "purchaseOrder",
    )
    assert [line["position"] for line in added["lines"]] == [0, 1]
    assert added["total"]["amount"] == "41.00"
    removed = await client.mutate_ok(
        pf.REMOVE_LINE, {"id": added["lines"][0]["id"]}, "purchaseOrder"
    )
    assert removed["total"]["amount"] == "21.00"
    submitted = await client.mutate_ok(pf.SUBMIT_PO, {"id": po["id"]}, "purchaseOrder")
    for document, values in (
        (pf.ADD_LINE, {"purchaseOrderId": po["id"], "productId": product["id"], "quantity": 1}),
        (pf.REMOVE_LINE, {"id": submitted["lines"][0]["id"]}),
        (pf.UPDATE_PO, {"id": po["id"], "shippingCost": "3.00"}),
    ):
        payload = await client.mutate(document, {"input": values})
        assert [e["code"] for e in payload["errors"]] == ["IMMUTABLE"]
    noted = await client.mutate_ok(
        pf.UPDATE_PO, {"id": po["id"], "notes": "call first"}, "purchaseOrder"
    )
    assert noted["status"] == "SUBMITTED"


async def test_delete_only_an_empty_draft(client, database):
    supplier, product = await pf.world(client)
    with_line = await pf.draft_po(client, supplier["id"], [(product["id"], 1)])
    refused = await client.mutate(pf.DELETE_PO, {"input": {"id": with_line["id"]}})
    assert [e["code"] for e in refused["errors"]] == ["NOT_DELETABLE"]
    submitted = await pf.submitted_po(client, supplier["id"], [(product["id"], 1)])
    refused = await client.mutate(pf.DELETE_PO, {"input": {"id": submitted["id"]}})
    assert [e["code"] for e in refused["errors"]] == ["NOT_DELETABLE"]
    empty = await pf.draft_po(client, supplier["id"], [])
    deleted = await client.mutate_ok(pf.DELETE_PO, {"id": empty["id"]}, "deletedId")
    assert deleted == empty["id"]
    assert (await client(pf.PURCHASE_ORDER, {"id": empty["id"]}))["purchaseOrder"] is None


async def test_filters_and_the_overdue_flag(client, database):
    supplier = await seed.supplier(database)
    other = await seed.supplier(database)
    product = await seed.product(database)
    past = datetime.now(UTC) - timedelta(days=2)
    future = datetime.now(UTC) + timedelta(days=2)
    late = await seed.purchase_order(
        database, supplier.id, product.id, P.CONFIRMED, expected_at=past
    )
    on_time = await seed.purchase_order(
        database, supplier.id, product.id, P.SUBMITTED, expected_at=future
    )
    done = await seed.purchase_order(
        database,
        supplier.id,
        product.id,
        P.RECEIVED,
        expected_at=past,
        payment_status=PaymentStatus.PAID,
    )
    elsewhere = await seed.purchase_order(database, other.id, product.id, P.DRAFT)
    query = """query($f: PurchaseOrderFilter) { purchaseOrders(filter: $f) {
        edges { node { id isOverdue } } } }"""

    async def ids(**f: Any) -> set[str]:
        edges = (await client(query, {"f": f}))["purchaseOrders"]["edges"]
        return {e["node"]["id"] for e in edges}

    gid = seeding.gid
    assert await ids(overdue=True) == {gid(late)}
    assert await ids(overdue=False) == {gid(on_time), gid(done), gid(elsewhere)}
    assert await ids(supplierId=gid(other)) == {gid(elsewhere)}
    assert await ids(statuses=["SUBMITTED", "CONFIRMED"]) == {gid(late), gid(on_time)}
    assert await ids(paymentStatuses=["PAID"]) == {gid(done)}
    assert await ids(expectedBefore=datetime.now(UTC).isoformat()) == {gid(late), gid(done)}
    edges = (await client(query, {"f": {"supplierId": gid(supplier)}}))["purchaseOrders"]["edges"]
    flags = {e["node"]["id"]: e["node"]["isOverdue"] for e in edges}
    assert flags == {gid(late): True, gid(on_time): False, gid(done): False}


# -- the arithmetic, as properties -------------------------------------------------------------

cents = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)


@settings(max_examples=200, deadline=None)
@given(subtotal=cents, shipping=cents, tax=cents)
def test_total_is_the_sum_of_its_parts(subtotal, shipping, tax):
    figures = totals(subtotal, shipping, tax)
    assert figures["total"] == subtotal + shipping + tax
    assert figures["total"] - figures["subtotal"] - figures["shipping_cost"] == tax


@settings(max_examples=300, deadline=None)
@given(total=cents, confirmed=st.lists(cents.filter(lambda c: c > 0), max_size=6))
def test_payment_status_follows_the_confirmed_sum(total, confirmed):
    status = payment_status(total, confirmed)
    paid = sum(confirmed, Decimal(0))
    if not confirmed:
        assert status is PaymentStatus.UNPAID
    elif paid >= total:
        assert status is PaymentStatus.PAID
    else:
        assert status is PaymentStatus.PARTIALLY_PAID
    # Adding a confirmed payment never makes an order less paid.
    order = list(PaymentStatus)
    more = payment_status(total, [*confirmed, Decimal("0.01")])
    assert order.index(more) >= order.index(status)
