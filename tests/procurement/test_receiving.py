"""Receiving purchase orders into lots (BR-41) with BR-39 numbers: one per line given, PENDING,
numbered per product, supplier and reception day, consecutive under concurrency and numeric
past 99; the PO's quantities and status follow; a supplier that may not receive is refused."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import pytest

from db.models import ReferenceSequence
from domain.procurement import PurchaseOrderStatus, SupplierStatus, lot_number, lot_prefix
from tests.support import procurement_factories as pf
from tests.support import procurement_seeding as seed
from tests.support import seeding
from tests.support.db_state import snapshot

P = PurchaseOrderStatus
DAY = datetime(2026, 3, 15, 14, 0, tzinfo=UTC)


def test_lot_numbers_follow_br_39():
    prefix = lot_prefix("BPC157", "PP", date(2026, 3, 15))
    assert prefix == "BPC157-PP260315"
    assert [lot_number(prefix, n) for n in (1, 2, 99, 100, 101)] == [
        "BPC157-PP260315-01",
        "BPC157-PP260315-02",
        "BPC157-PP260315-99",
        "BPC157-PP260315-100",
        "BPC157-PP260315-101",
    ]


async def _world(client: Any) -> tuple[Any, Any, Any]:
    supplier = await pf.supplier(client, code="PP")
    product = await pf.product(client, code="BPC157")
    await pf.price_list(client, supplier["id"], product["id"])
    return supplier, product, await pf.confirmed_po(client, supplier["id"], [(product["id"], 10)])


async def test_receiving_makes_pending_lots_and_the_po_follows(client):
    _, _, po = await _world(client)
    first = await client.mutate(
        pf.RECEIVE,
        {
            "input": pf.received(
                po,
                6,
                receivedAt=DAY.isoformat(),
                packageCondition="GOOD",
                temperatureOnArrival="4.5",
            )
            | {
                "lines": [
                    {
                        "lineId": po["lines"][0]["id"],
                        "quantity": 6,
                        "supplierLotNumber": "PP-2603-A",
                        "manufactureDate": "2026-02-01",
                        "expirationDate": "2028-02-01",
                    }
                ]
            }
        },
    )
    assert first["errors"] == []
    (lot,) = first["lots"]
    assert lot["lotNumber"] == "BPC157-PP260315-01" and lot["status"] == "PENDING"
    assert (lot["supplierLotNumber"], lot["receivedQuantity"]) == ("PP-2603-A", 6)
    assert (lot["manufactureDate"], lot["expirationDate"]) == ("2026-02-01", "2028-02-01")
    assert (lot["packageCondition"], lot["temperatureOnArrival"]) == ("GOOD", "4.50")
    assert first["purchaseOrder"]["status"] == "PARTIALLY_RECEIVED"
    assert first["purchaseOrder"]["lines"][0]["quantityReceived"] == 6
    rest = await client.mutate_ok(
        pf.RECEIVE, pf.received(po, 4, receivedAt=DAY.isoformat()), "lots"
    )
    assert [lot["lotNumber"] for lot in rest] == ["BPC157-PP260315-02"]
    found = await client(pf.PURCHASE_ORDER, {"id": po["id"]})
    assert found["purchaseOrder"]["status"] == "RECEIVED"


async def test_more_than_is_due_and_bad_dates_are_refused_at_their_paths(client, database):
    _, _, po = await _world(client)
    before = await snapshot(database)
    payload = await client.mutate(
        pf.RECEIVE,
        {
            "input": {
                "purchaseOrderId": po["id"],
                "lines": [
                    {
                        "lineId": po["lines"][0]["id"],
                        "quantity": 11,
                        "manufactureDate": "2026-02-01",
                        "expirationDate": "2026-01-01",
                    }
                ],
            }
        },
    )
    assert sorted(tuple(e["field"]) for e in payload["errors"]) == [
        ("input", "lines", "0", "expirationDate"),
        ("input", "lines", "0", "quantity"),
    ]
    assert await snapshot(database) == before


@pytest.mark.parametrize("status", [SupplierStatus.SUSPENDED, SupplierStatus.BLOCKED])
async def test_a_supplier_that_may_not_receive_is_refused(client, database, status):
    supplier = await seed.supplier(database, status)
    product = await seed.product(database)
    order = await seed.purchase_order(database, supplier.id, product.id, P.SHIPPED)
    found = await client(pf.PURCHASE_ORDER, {"id": seeding.gid(order)})
    before = await snapshot(database)
    payload = await client.mutate(pf.RECEIVE, {"input": pf.received(found["purchaseOrder"], 1)})
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
    assert await snapshot(database) == before


async def test_an_inactive_supplier_still_delivers_on_existing_orders(client, database):
    supplier = await seed.supplier(database, SupplierStatus.INACTIVE)
    product = await seed.product(database)
    order = await seed.purchase_order(database, supplier.id, product.id, P.CONFIRMED)
    found = await client(pf.PURCHASE_ORDER, {"id": seeding.gid(order)})
    lots = await client.mutate_ok(pf.RECEIVE, pf.received(found["purchaseOrder"], 2), "lots")
    assert lots[0]["status"] == "PENDING"


async def test_minus_100_follows_minus_99(client, database):
    _, _, po = await _world(client)
    async with database.transaction() as session:
        session.add(ReferenceSequence(name="LOT:BPC157-PP260315", year=2026, value=98))
    numbers = []
    for _ in range(3):
        lots = await client.mutate_ok(
            pf.RECEIVE, pf.received(po, 1, receivedAt=DAY.isoformat()), "lots"
        )
        numbers.append(lots[0]["lotNumber"])
    assert numbers == ["BPC157-PP260315-99", "BPC157-PP260315-100", "BPC157-PP260315-101"]


async def test_30_concurrent_receptions_get_30_consecutive_numbers(client, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs concurrent writers: SQLite serialises the whole database")
    supplier, product, _ = await _world(client)
    orders = [
        await pf.confirmed_po(client, supplier["id"], [(product["id"], 1)]) for _ in range(30)
    ]
    payloads = await asyncio.gather(
        *(
            client.mutate(pf.RECEIVE, {"input": pf.received(po, 1, receivedAt=DAY.isoformat())})
            for po in orders
        )
    )
    assert all(p["errors"] == [] for p in payloads), [p["errors"] for p in payloads]
    numbers = sorted(p["lots"][0]["lotNumber"] for p in payloads)
    assert numbers == sorted(f"BPC157-PP260315-{n:02d}" for n in range(1, 31))
