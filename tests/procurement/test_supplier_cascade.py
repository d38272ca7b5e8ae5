"""SPEC §2.4's cascade table, row by row: a supplier's move to inactive, suspended or blocked
changes its draft POs, open POs and price lists in the same transaction, each change audited;
a move refused changes none of them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from db.models import AuditLog, PurchaseOrder, Supplier, SupplierPriceList
from domain.procurement import PurchaseOrderStatus, SupplierHold, SupplierStatus
from tests.support import procurement_factories as pf
from tests.support import procurement_seeding as seed
from tests.support import seeding
from tests.support.db_state import snapshot

P = PurchaseOrderStatus
S = SupplierStatus
FLAGGED, BLOCKED = SupplierHold.FLAGGED, SupplierHold.BLOCKED


async def _world(database: Any, status: S) -> dict[str, Any]:
    """A supplier in `status` with a PO in every status and an active and an inactive price
    list, and another supplier's draft and price list (which nothing may touch)."""
    supplier = await seed.supplier(database, status)
    other = await seed.supplier(database)
    product = await seed.product(database)
    orders = {s: await seed.purchase_order(database, supplier.id, product.id, s) for s in P}
    active = await seed.price_list(database, supplier.id, product.id)
    inactive = await seed.price_list(database, supplier.id, product.id, is_active=False)
    bystander = await seed.purchase_order(database, other.id, product.id)
    other_price = await seed.price_list(database, other.id, product.id)
    return {
        "supplier": supplier,
        "orders": orders,
        "active": active,
        "inactive": inactive,
        "bystanders": (bystander, other_price),
    }


async def _move(client: Any, supplier: Supplier, target: S, kind: str | None = None) -> Any:
    values = {"id": seeding.gid(supplier), "status": target.name, "reason": "audit finding"}
    if kind:
        values["blockKind"] = kind
    return await client.mutate(pf.CHANGE_SUPPLIER_STATUS, {"input": values})


async def _state(database: Any, world: dict[str, Any]) -> dict[str, Any]:
    async with database.transaction() as session:
        orders = {
            source: await session.get(PurchaseOrder, order.id)
            for source, order in world["orders"].items()
        }
        active = await session.get(SupplierPriceList, world["active"].id)
        inactive = await session.get(SupplierPriceList, world["inactive"].id)
        cascaded = (
            await session.scalars(
                select(AuditLog).where(AuditLog.context["cascade"].as_string() == "supplier_status")
            )
        ).all()
    return {
        "orders": {s: (P(o.status), o.supplier_hold) for s, o in orders.items() if o},
        "active": (active.is_active, active.supplier_hold) if active else None,
        "inactive": (inactive.is_active, inactive.supplier_hold) if inactive else None,
        "cascaded": sorted((e.entity_type, e.action.value) for e in cascaded),
    }


async def _cancelled_by_cascade(database: Any) -> int:
    async with database.transaction() as session:
        rows = await session.scalars(
            select(AuditLog).where(
                AuditLog.entity_type == "PurchaseOrder", AuditLog.new_value == "cancelled"
            )
        )
        return len(rows.all())


def _unchanged(status: P) -> tuple[P, None]:
    return (status, None)


async def test_inactive_cancels_drafts_flags_open_orders_and_deactivates_price_lists(
    client, database
):
    world = await _world(database, S.ACTIVE)
    payload = await _move(client, world["supplier"], S.INACTIVE)
    assert payload["errors"] == []
    state = await _state(database, world)
    assert state["orders"] == {
        P.DRAFT: (P.CANCELLED, None),
        P.SUBMITTED: (P.SUBMITTED, FLAGGED),
        P.CONFIRMED: (P.CONFIRMED, FLAGGED),
        P.PARTIALLY_SHIPPED: (P.PARTIALLY_SHIPPED, FLAGGED),
        P.SHIPPED: (P.SHIPPED, FLAGGED),
        P.PARTIALLY_RECEIVED: (P.PARTIALLY_RECEIVED, FLAGGED),
        P.RECEIVED: _unchanged(P.RECEIVED),
        P.CLOSED: _unchanged(P.CLOSED),
        P.CANCELLED: _unchanged(P.CANCELLED),
    }
    assert state["active"] == (False, None)
    assert state["inactive"] == (False, None)
    # Each flag and deactivation is audited as the cascade; the cancel through the PO machine.
    assert state["cascaded"] == [
        *[("PurchaseOrder", "updated")] * 5,
        ("SupplierPriceList", "deactivated"),
    ]
    assert await _cancelled_by_cascade(database) == 1


async def test_suspended_cancels_drafts_blocks_open_orders_and_flags_price_lists(client, database):
    world = await _world(database, S.ACTIVE)
    payload = await _move(client, world["supplier"], S.SUSPENDED)
    assert payload["errors"] == []
    state = await _state(database, world)
    assert state["orders"] == {
        P.DRAFT: (P.CANCELLED, None),
        P.SUBMITTED: (P.SUBMITTED, BLOCKED),
        P.CONFIRMED: (P.CONFIRMED, BLOCKED),
        P.PARTIALLY_SHIPPED: (P.PARTIALLY_SHIPPED, BLOCKED),
        P.SHIPPED: (P.SHIPPED, BLOCKED),
        P.PARTIALLY_RECEIVED: (P.PARTIALLY_RECEIVED, BLOCKED),
        P.RECEIVED: _unchanged(P.RECEIVED),
        P.CLOSED: _unchanged(P.CLOSED),
        P.CANCELLED: _unchanged(P.CANCELLED),
    }
    assert state["active"] == (True, FLAGGED)  # "keep, flag"
    assert state["inactive"] == (False, None)
    assert state["cascaded"] == [
        *[("PurchaseOrder", "updated")] * 5,
        ("SupplierPriceList", "updated"),
    ]
    # Blocked: the supplier's POs do not move forward while it is suspended.
    moved = await client.mutate(
        pf.TRANSITION_PO,
        {"input": {"id": seeding.gid(world["orders"][P.SUBMITTED]), "status": "CONFIRMED"}},
    )
    assert [e["code"] for e in moved["errors"]] == ["INVALID_TRANSITION"]
    assert "suspended" in moved["errors"][0]["message"]


@pytest.mark.parametrize("kind", ["QUALITY", "BUSINESS"])
async def test_blocked_cancels_every_open_order_it_can_and_deactivates_price_lists(
    client, database, kind
):
    world = await _world(database, S.SUSPENDED)
    payload = await _move(client, world["supplier"], S.BLOCKED, kind)
    assert payload["errors"] == []
    assert payload["supplier"]["blockKind"] == kind
    state = await _state(database, world)
    # "cancel all open": the PO machine cancels only from draft, submitted or confirmed;
    # the ones past confirmed are flagged (SPEC §9 #18).
    assert state["orders"] == {
        P.DRAFT: (P.CANCELLED, None),
        P.SUBMITTED: (P.CANCELLED, None),
        P.CONFIRMED: (P.CANCELLED, None),
        P.PARTIALLY_SHIPPED: (P.PARTIALLY_SHIPPED, FLAGGED),
        P.SHIPPED: (P.SHIPPED, FLAGGED),
        P.PARTIALLY_RECEIVED: (P.PARTIALLY_RECEIVED, FLAGGED),
        P.RECEIVED: _unchanged(P.RECEIVED),
        P.CLOSED: _unchanged(P.CLOSED),
        P.CANCELLED: _unchanged(P.CANCELLED),
    }
    assert state["active"] == (False, None)
    assert state["cascaded"] == [
        *[("PurchaseOrder", "updated")] * 3,
        ("SupplierPriceList", "deactivated"),
    ]
    assert await _cancelled_by_cascade(database) == 3


async def test_back_to_active_changes_nothing_else(client, database):
    world = await _world(database, S.SUSPENDED)
    before = await _state(database, world)
    payload = await _move(client, world["supplier"], S.ACTIVE)
    assert payload["errors"] == []
    assert await _state(database, world) == before


async def test_other_suppliers_records_are_untouched(client, database):
    world = await _world(database, S.SUSPENDED)
    bystander, price = world["bystanders"]
    await _move(client, world["supplier"], S.BLOCKED, "QUALITY")
    async with database.transaction() as session:
        order = await session.get(PurchaseOrder, bystander.id)
        kept = await session.get(SupplierPriceList, price.id)
    assert order is not None and P(order.status) is P.DRAFT and order.supplier_hold is None
    assert kept is not None and kept.is_active and kept.supplier_hold is None


async def test_a_refused_move_cascades_nothing(client, database):
    world = await _world(database, S.ACTIVE)
    before = await snapshot(database)
    # Blocking needs a block kind; a blank reason is no reason.
    missing_kind = await _move(client, world["supplier"], S.BLOCKED)
    assert [e["code"] for e in missing_kind["errors"]] == ["INVALID_TRANSITION"]
    blank = await client.mutate(
        pf.CHANGE_SUPPLIER_STATUS,
        {"input": {"id": seeding.gid(world["supplier"]), "status": "INACTIVE", "reason": " "}},
    )
    assert [e["code"] for e in blank["errors"]] == ["VALIDATION"]
    assert blank["errors"][0]["field"] == ["input", "reason"]
    assert await snapshot(database) == before


async def test_blocking_needs_a_block_kind(client, database):
    supplier = await seed.supplier(database, S.SUSPENDED)
    payload = await _move(client, supplier, S.BLOCKED)
    assert [e["code"] for e in payload["errors"]] == ["VALIDATION"]
    assert payload["errors"][0]["field"] == ["input", "blockKind"]
