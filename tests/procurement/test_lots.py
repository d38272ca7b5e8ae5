"""Lots: every pair of SPEC §2.6 through the API, inventory following BR-19 through a whole
purchase order (submit, receive, QC pass and fail, recall) with the ledger balancing at every
step, the daily expiry, and the supplier cascade on lots."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from auth.actor import SYSTEM
from auth.permissions import Role
from db.models import InventoryLevel, InventoryTransaction, Lot
from domain.procurement import LotStatus, PurchaseOrderStatus, SupplierHold, SupplierStatus
from resolvers.ids import decode_id
from resolvers.procurement.lots import expire_lots
from resolvers.procurement.workflow import LOT_WORKFLOW
from tests.support import fulfillment, lot_qc, seeding
from tests.support import procurement_factories as pf
from tests.support import procurement_seeding as seed
from tests.support.db_state import snapshot
from tests.support.graphql import mutation_document
from tests.support.workflow_spec import LOT_MOVES

L = LotStatus
TRANSITION_LOT = mutation_document(
    "transitionLot", "lot { id lotNumber status statusReason } errors { code field message }"
)


def test_the_lot_machine_is_the_spec():
    for source, target in itertools.product(L, L):
        assert (LOT_WORKFLOW.move(source, target) is not None) == ((source, target) in LOT_MOVES)
    for terminal in (L.REJECTED, L.EXPIRED, L.RECALLED):
        assert LOT_WORKFLOW.is_terminal(terminal)


PAIRS = list(itertools.product(L, L))
# The moves only QC makes (BR-42, issue 27 item 6): starting the lot's inspection quarantines
# a pending lot, completing it passes or fails a quarantined one (the result given here).
QC_MOVES: dict[tuple[L, L], str | None] = {
    (L.PENDING, L.QUARANTINED): None,
    (L.QUARANTINED, L.ACTIVE): "PASS",
    (L.QUARANTINED, L.REJECTED): "FAIL_REJECT",
}


def test_only_qc_makes_the_qc_moves():
    assert {(m.source, m.target) for m in LOT_WORKFLOW.moves if not m.manual} == set(QC_MOVES)


async def _through_qc(client: Any, lot_id: str, result: str | None) -> Any:
    """The lot's inspection started (and completed with `result`): the lot it leaves."""
    items = [lot_qc.PURITY if result != "FAIL_REJECT" else lot_qc.LOW_PURITY, lot_qc.IDENTITY]
    made = await lot_qc.inspection(client, {"id": lot_id}, started=True, items=items)
    if result is None:
        return made
    return await client.mutate_ok(
        lot_qc.COMPLETE, {"id": made["id"], "result": result}, "inspection"
    )


@pytest.mark.parametrize(
    ("source", "target"), PAIRS, ids=[f"{s.value}-{t.value}" for s, t in PAIRS]
)
async def test_every_lot_pair(client, database, source, target):
    await fulfillment.center(database, default=True)
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(
        database, supplier.id, product.id, PurchaseOrderStatus.RECEIVED
    )
    lot = await seed.lot(database, order, source)
    before = await snapshot(database)
    payload = await client.mutate(
        TRANSITION_LOT, {"input": {"id": seeding.gid(lot), "status": target.name, "reason": "why"}}
    )
    if (source, target) in QC_MOVES:
        # By hand: refused, naming the QC mutations, and nothing changes ...
        (error,) = payload["errors"]
        assert (error["code"], error["field"]) == ("INVALID_TRANSITION", ["input", "status"])
        assert "QcInspection" in error["message"]
        assert await snapshot(database) == before
        # ... through the lot's inspection: made.
        made = await _through_qc(client, seeding.gid(lot), QC_MOVES[(source, target)])
        assert made["lot"]["status"] == target.name
        assert made["lot"]["statusReason"].startswith(
            f"QC {made['inspectionNumber']}"
            if target is L.QUARANTINED
            else made["inspectionNumber"]
        )
    elif (source, target) in LOT_MOVES:
        assert payload["errors"] == [], payload["errors"]
        assert (payload["lot"]["status"], payload["lot"]["statusReason"]) == (target.name, "why")
    else:
        assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
        assert await snapshot(database) == before


LOT_ALLOWED = """query($id: ID) { lot(id: $id) { status allowedTransitions } }"""


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OPS], ids=lambda r: r.value)
async def test_allowed_transitions_offer_no_qc_move(client, database, role):
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(
        database, supplier.id, product.id, PurchaseOrderStatus.RECEIVED
    )
    viewer = client.as_role(role)
    offered = {}
    for status in (L.PENDING, L.QUARANTINED, L.ACTIVE):
        lot = await seed.lot(database, order, status)
        found = (await viewer(LOT_ALLOWED, {"id": seeding.gid(lot)}))["lot"]
        offered[status] = found["allowedTransitions"]
    by_hand = ["RECALLED", "EXPIRED"] + (["QUARANTINED"] if role is Role.ADMIN else [])
    assert offered == {L.PENDING: [], L.QUARANTINED: [], L.ACTIVE: by_hand}


async def _move(client: Any, lot: dict[str, Any], status: str, reason: str | None = None) -> Any:
    values = {"id": lot["id"], "status": status}
    if reason:
        values["reason"] = reason
    return await client.mutate_ok(TRANSITION_LOT, values, "lot")


async def test_inventory_follows_br_19_through_a_whole_purchase_order(client, database):
    center = await fulfillment.center(database, default=True)
    supplier, product = await pf.world(client)
    variant = decode_id(product["variant"]["id"])[1]
    po = await pf.confirmed_po(client, supplier["id"], [(product["id"], 30)])

    async def levels() -> dict[Any, tuple[int, int, int]]:
        async with database.transaction() as session:
            rows = await session.scalars(
                select(InventoryLevel).where(
                    InventoryLevel.fulfillment_center_id == center,
                    InventoryLevel.variant_id == variant,
                )
            )
            return {r.lot_id: (r.on_hand, r.reserved, r.incoming) for r in rows}

    async def balanced() -> None:
        # Every level equals the sum of its transactions (BR-17), lot by lot.
        t = InventoryTransaction
        async with database.transaction() as session:
            rows = await session.execute(
                select(
                    t.lot_id,
                    func.sum(t.on_hand_change),
                    func.sum(t.reserved_change),
                    func.sum(t.incoming_change),
                )
                .where(t.fulfillment_center_id == center, t.variant_id == variant)
                .group_by(t.lot_id)
            )
            sums = {lot: (int(a), int(b), int(c)) for lot, a, b, c in rows}
        assert sums == await levels()

    assert await levels() == {None: (0, 0, 30)}  # submit: incoming +30
    await balanced()
    lots = await client.mutate_ok(
        pf.RECEIVE,
        {
            "purchaseOrderId": po["id"],
            "packageCondition": "GOOD",  # the PO's inbound shipment is received with it
            "lines": [{"lineId": po["lines"][0]["id"], "quantity": 18}],
        },
        "lots",
    )
    more = await client.mutate_ok(pf.RECEIVE, pf.received(po, 12), "lots")
    good, bad = lots[0], more[0]
    assert await levels() == {None: (0, 0, 30)}  # received: no change
    inspections = [
        await lot_qc.inspection(client, lot, started=True, items=items)
        for lot, items in (
            (good, [lot_qc.PURITY, lot_qc.IDENTITY]),
            (bad, [lot_qc.LOW_PURITY, lot_qc.IDENTITY]),
        )
    ]
    assert [made["lot"]["status"] for made in inspections] == ["QUARANTINED"] * 2
    assert await levels() == {None: (0, 0, 30)}  # QC started: no change

    good_pk = decode_id(good["id"])[1]
    complete = lot_qc.COMPLETE
    await client.mutate_ok(complete, {"id": inspections[0]["id"], "result": "PASS"}, "inspection")
    assert await levels() == {None: (0, 0, 12), good_pk: (18, 0, 0)}  # pass: stocked +, incoming -
    failed = {"id": inspections[1]["id"], "result": "FAIL_REJECT"}
    await client.mutate_ok(complete, failed, "inspection")  # fail: incoming -
    assert await levels() == {None: (0, 0, 0), good_pk: (18, 0, 0)}
    await balanced()
    recalled = await _move(client, good, "RECALLED", "supplier recall notice 2026-07")
    assert recalled["status"] == "RECALLED"  # recall: stocked - min(received, on hand)
    assert await levels() == {None: (0, 0, 0), good_pk: (0, 0, 0)}
    await balanced()


async def test_qc_is_ops_and_admins_and_re_quarantine_is_admins_only(client, database):
    await fulfillment.center(database, default=True)
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(
        database, supplier.id, product.id, PurchaseOrderStatus.RECEIVED
    )
    lot = await seed.lot(database, order, L.ACTIVE)
    ops = client.as_role(Role.OPS)
    refused = await ops.mutate(
        TRANSITION_LOT,
        {"input": {"id": seeding.gid(lot), "status": "QUARANTINED", "reason": "complaint"}},
    )
    assert [e["code"] for e in refused["errors"]] == ["INVALID_TRANSITION"]
    assert "procurement:quarantine" in refused["errors"][0]["message"]
    moved = await client.mutate_ok(
        TRANSITION_LOT,
        {"id": seeding.gid(lot), "status": "QUARANTINED", "reason": "complaint"},
        "lot",
    )
    assert moved["status"] == "QUARANTINED"
    readonly = await client.as_role(Role.READONLY).raw(
        TRANSITION_LOT, {"input": {"id": seeding.gid(lot), "status": "ACTIVE"}}
    )
    assert {e["extensions"]["code"] for e in readonly["errors"]} == {"FORBIDDEN"}


async def test_expire_lots_moves_active_lots_past_their_date(client, database):
    await fulfillment.center(database, default=True)
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(
        database, supplier.id, product.id, PurchaseOrderStatus.RECEIVED
    )
    today = date(2027, 6, 1)
    old = await seed.lot(database, order, L.ACTIVE, expiration_date=today - timedelta(days=1))
    fresh = await seed.lot(database, order, L.ACTIVE, expiration_date=today)
    pending = await seed.lot(database, order, L.PENDING, expiration_date=today - timedelta(days=9))
    async with database.transaction() as session:
        import resolvers.subscribers  # noqa: F401

        expired = await expire_lots(session, SYSTEM, today)
    assert expired == [old.lot_number]
    async with database.transaction() as session:
        statuses = {
            lot.id: LotStatus(lot.status)
            for lot in await session.scalars(select(Lot).where(Lot.purchase_order_id == order.id))
        }
    assert statuses == {old.id: L.EXPIRED, fresh.id: L.ACTIVE, pending.id: L.PENDING}


async def _lots_world(database: Any, status: SupplierStatus) -> tuple[Any, dict[L, Any]]:
    supplier = await seed.supplier(database, status)
    product = await seed.product(database)
    order = await seed.purchase_order(
        database, supplier.id, product.id, PurchaseOrderStatus.RECEIVED
    )
    return supplier, {s: await seed.lot(database, order, s) for s in L}


async def _lot_states(database: Any, lots: dict[L, Any]) -> dict[L, tuple[L, Any]]:
    async with database.transaction() as session:
        found = {s: await session.get(Lot, lot.id) for s, lot in lots.items()}
    return {s: (L(lot.status), lot.supplier_hold) for s, lot in found.items() if lot}


async def test_the_cascade_on_lots_row_by_row(client, database):
    change = pf.CHANGE_SUPPLIER_STATUS
    # inactive: lots untouched.
    supplier, lots = await _lots_world(database, SupplierStatus.ACTIVE)
    await client.mutate_ok(
        change, {"id": seeding.gid(supplier), "status": "INACTIVE", "reason": "paused"}, "supplier"
    )
    assert await _lot_states(database, lots) == {s: (s, None) for s in L}
    # suspended: open lots flagged.
    supplier, lots = await _lots_world(database, SupplierStatus.ACTIVE)
    await client.mutate_ok(
        change, {"id": seeding.gid(supplier), "status": "SUSPENDED", "reason": "audit"}, "supplier"
    )
    flagged = {L.PENDING, L.QUARANTINED, L.ACTIVE}
    assert await _lot_states(database, lots) == {
        s: (s, SupplierHold.FLAGGED if s in flagged else None) for s in L
    }
    # blocked for quality: pending and active lots quarantined; for business: unchanged.
    supplier, lots = await _lots_world(database, SupplierStatus.SUSPENDED)
    await client.mutate_ok(
        change,
        {
            "id": seeding.gid(supplier),
            "status": "BLOCKED",
            "reason": "contamination",
            "blockKind": "QUALITY",
        },
        "supplier",
    )
    states = await _lot_states(database, lots)
    assert {s: st for s, (st, _) in states.items()} == {
        L.PENDING: L.QUARANTINED,
        L.QUARANTINED: L.QUARANTINED,
        L.ACTIVE: L.QUARANTINED,
        L.REJECTED: L.REJECTED,
        L.EXPIRED: L.EXPIRED,
        L.RECALLED: L.RECALLED,
    }
    supplier, lots = await _lots_world(database, SupplierStatus.SUSPENDED)
    await client.mutate_ok(
        change,
        {
            "id": seeding.gid(supplier),
            "status": "BLOCKED",
            "reason": "contract ended",
            "blockKind": "BUSINESS",
        },
        "supplier",
    )
    assert await _lot_states(database, lots) == {s: (s, None) for s in L}


async def test_a_lot_quarantined_by_a_quality_block_is_released_by_a_new_passed_inspection(
    client, database
):
    await fulfillment.center(database, default=True)
    supplier, lots = await _lots_world(database, SupplierStatus.SUSPENDED)
    blocked = {
        "id": seeding.gid(supplier),
        "status": "BLOCKED",
        "reason": "contamination",
        "blockKind": "QUALITY",
    }
    await client.mutate_ok(pf.CHANGE_SUPPLIER_STATUS, blocked, "supplier")
    quarantined = (L.PENDING, L.ACTIVE)  # the cascade quarantined both (SPEC §9 #18)
    states = await _lot_states(database, lots)
    assert [states[s][0] for s in quarantined] == [L.QUARANTINED, L.QUARANTINED]
    # Not released by hand, even the one a passed inspection once made ACTIVE ...
    before = await snapshot(database)
    for status in quarantined:
        refused = await client.mutate(
            TRANSITION_LOT,
            {"input": {"id": seeding.gid(lots[status]), "status": "ACTIVE", "reason": "ok"}},
        )
        assert [e["code"] for e in refused["errors"]] == ["INVALID_TRANSITION"]
        assert "completeQcInspection" in refused["errors"][0]["message"]
    assert await snapshot(database) == before
    # ... but by a new inspection, passed (or, failed, rejected).
    released = await _through_qc(client, seeding.gid(lots[L.PENDING]), "PASS")
    rejected = await _through_qc(client, seeding.gid(lots[L.ACTIVE]), "FAIL_REJECT")
    assert (released["lot"]["status"], rejected["lot"]["status"]) == ("ACTIVE", "REJECTED")
