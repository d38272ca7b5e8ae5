"""BR-19 through purchase orders: submitting raises `incoming` at the default fulfillment
center (through the 3PL's ledger, reacting to PurchaseOrderSubmitted), cancelling lowers it by
what the submit raised, and the ledger always balances."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import Notification
from resolvers.ids import decode_id
from tests.support import factories, fulfillment
from tests.support import procurement_factories as pf
from tests.support.db_state import snapshot


def _variant(product: dict[str, Any]) -> Any:
    return decode_id(product["variant"]["id"])[1]


async def test_submit_raises_incoming_and_cancel_lowers_it(client, database):
    center = await fulfillment.center(database, default=True)
    supplier, product = await pf.world(client)
    other = await pf.product(client)
    await pf.price_list(client, supplier["id"], other["id"])
    draft = await pf.draft_po(
        client, supplier["id"], [(product["id"], 30), (other["id"], 5)], unit_cost=None
    )
    assert (await fulfillment.ledger(database, center, _variant(product))).incoming == 0

    await client.mutate_ok(pf.SUBMIT_PO, {"id": draft["id"]}, "purchaseOrder")
    level = await fulfillment.ledger(database, center, _variant(product))
    assert (level.incoming, level.on_hand, level.transactions) == (30, 0, 1)
    assert level.balances
    assert (await fulfillment.ledger(database, center, _variant(other))).incoming == 5

    # A second order of the same variant adds to it; cancelling the first takes back its 30.
    second = await pf.submitted_po(client, supplier["id"], [(product["id"], 12)], unit_cost=None)
    assert (await fulfillment.ledger(database, center, _variant(product))).incoming == 42
    await client.mutate_ok(
        pf.CANCEL_PO, {"id": draft["id"], "reason": "duplicate"}, "purchaseOrder"
    )
    level = await fulfillment.ledger(database, center, _variant(product))
    assert (level.incoming, level.transactions) == (12, 3) and level.balances
    assert (await fulfillment.ledger(database, center, _variant(other))).incoming == 0
    del second


async def test_cancelling_a_draft_touches_no_inventory(client, database):
    await fulfillment.center(database, default=True)
    supplier, product = await pf.world(client)
    draft = await pf.draft_po(client, supplier["id"], [(product["id"], 3)])
    before = await snapshot(database)
    await client.mutate_ok(pf.CANCEL_PO, {"id": draft["id"], "reason": "no"}, "purchaseOrder")
    after = await snapshot(database)
    assert after.get("inventory_transactions") == before.get("inventory_transactions")
    assert after.get("inventory_levels") == before.get("inventory_levels")


async def test_without_a_default_center_the_po_is_submitted_and_admins_are_told(client, database):
    supplier, product = await pf.world(client)
    po = await pf.submitted_po(client, supplier["id"], [(product["id"], 3)])
    async with database.transaction() as session:
        titles = (await session.scalars(select(Notification.title))).all()
    assert f"{po['poNumber']} submitted: no default fulfillment center" in titles
    # Nothing was raised, so cancelling lowers nothing and succeeds.
    await fulfillment.center(database, default=True)
    cancelled = await client.mutate_ok(
        pf.CANCEL_PO, {"id": po["id"], "reason": "supplier out of stock"}, "purchaseOrder"
    )
    assert cancelled["status"] == "CANCELLED"


async def test_a_line_without_a_variant_cannot_be_submitted(client, database):
    supplier = await pf.supplier(client)
    product = await pf.product(client)
    await factories.variant(client, product["id"])  # now it has two: none is picked
    draft = await pf.draft_po(client, supplier["id"], [(product["id"], 3)])
    payload = await client.mutate(pf.SUBMIT_PO, {"input": {"id": draft["id"]}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "lines"])
    ]
