"""The supplier, purchase order and payment state machines: declared as SPEC §2.4 and §2.5
say (tests/support/workflow_spec.py), and driven through the API for every (from, to) pair:
an allowed move changes the status with its history and audit entry, any other is
INVALID_TRANSITION and changes nothing."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from domain.procurement import (
    PaymentStatus,
    PoPaymentStatus,
    PurchaseOrderStatus,
    SupplierStatus,
)
from resolvers.procurement.workflow import (
    PAYMENT_WORKFLOW,
    PURCHASE_ORDER_WORKFLOW,
    SUPPLIER_WORKFLOW,
)
from tests.support import procurement_factories as pf
from tests.support import procurement_seeding as seed
from tests.support import seeding
from tests.support.db_state import snapshot
from tests.support.workflow_spec import PAYMENT_MOVES, PURCHASE_ORDER_MOVES, SUPPLIER_MOVES

P = PurchaseOrderStatus
HISTORY = "statusHistory { fromStatus toStatus reason actorType }"


@pytest.mark.parametrize(
    ("machine", "spec"),
    [
        (SUPPLIER_WORKFLOW, SUPPLIER_MOVES),
        (PURCHASE_ORDER_WORKFLOW, PURCHASE_ORDER_MOVES),
        (PAYMENT_WORKFLOW, PAYMENT_MOVES),
    ],
)
def test_every_pair_is_declared_exactly_when_the_spec_lists_it(machine, spec):
    for source, target in itertools.product(machine.statuses, repeat=2):
        assert (machine.move(source, target) is not None) == ((source, target) in spec)


def test_terminal_statuses():
    assert SUPPLIER_WORKFLOW.is_terminal(SupplierStatus.BLOCKED)
    assert PURCHASE_ORDER_WORKFLOW.is_terminal(P.CLOSED)
    assert PURCHASE_ORDER_WORKFLOW.is_terminal(P.CANCELLED)
    assert PAYMENT_WORKFLOW.is_terminal(PoPaymentStatus.CONFIRMED)
    assert PAYMENT_WORKFLOW.is_terminal(PoPaymentStatus.FAILED)


def _refused(payload: dict[str, Any], key: str) -> None:
    assert payload[key] is None
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"], payload["errors"]
    assert payload["errors"][0]["field"] == ["input", "status"]


SUPPLIER_PAIRS = list(itertools.product(SupplierStatus, SupplierStatus))


@pytest.mark.parametrize(
    ("source", "target"), SUPPLIER_PAIRS, ids=[f"{s.value}-{t.value}" for s, t in SUPPLIER_PAIRS]
)
async def test_every_supplier_pair(client, database, source, target):
    supplier = await seed.supplier(database, source)
    before = await snapshot(database)
    payload = await client.mutate(
        pf.CHANGE_SUPPLIER_STATUS,
        {
            "input": {
                "id": seeding.gid(supplier),
                "status": target.name,
                "reason": "why",
                "blockKind": "BUSINESS",
            }
        },
    )
    if (source, target) in SUPPLIER_MOVES:
        assert payload["errors"] == []
        seen = (
            await client(
                f"query($id: ID) {{ supplier(id: $id) {{ status statusReason "
                f"statusChangedAt statusChangedBy {HISTORY} }} }}",
                {"id": seeding.gid(supplier)},
            )
        )["supplier"]
        assert seen["status"] == target.name and seen["statusReason"] == "why"
        assert seen["statusChangedAt"] is not None and seen["statusChangedBy"] == "test-admin"
        assert seen["statusHistory"] == [
            {
                "fromStatus": source.value,
                "toStatus": target.value,
                "reason": "why",
                "actorType": "user",
            }
        ]
    else:
        _refused(payload, "supplier")
        assert await snapshot(database) == before


def _po_state(target: P) -> dict[str, Any]:
    """What a PO needs so that the guards of the move to `target` pass."""
    if target is P.PARTIALLY_RECEIVED:
        return {"received": 4}
    if target is P.RECEIVED:
        return {"received": 10}
    if target is P.CLOSED:
        return {"received": 10, "payment_status": PaymentStatus.PAID}
    return {}


PO_PAIRS = list(itertools.product(P, P))


@pytest.mark.parametrize(
    ("source", "target"), PO_PAIRS, ids=[f"{s.value}-{t.value}" for s, t in PO_PAIRS]
)
async def test_every_purchase_order_pair(client, database, source, target):
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(
        database, supplier.id, product.id, source, **_po_state(target)
    )
    before = await snapshot(database)
    payload = await client.mutate(
        pf.TRANSITION_PO,
        {"input": {"id": seeding.gid(order), "status": target.name, "reason": "why"}},
    )
    if (source, target) in PURCHASE_ORDER_MOVES:
        assert payload["errors"] == []
        seen = payload["purchaseOrder"]
        assert seen["status"] == target.name
        history = (
            await client(
                f"query($id: ID) {{ purchaseOrder(id: $id) {{ {HISTORY} }} }}",
                {"id": seeding.gid(order)},
            )
        )["purchaseOrder"]["statusHistory"]
        assert history == [
            {
                "fromStatus": source.value,
                "toStatus": target.value,
                "reason": "why",
                "actorType": "user",
            }
        ]
        if target is P.CANCELLED:
            assert seen["cancelReason"] == "why"
        if target is P.SUBMITTED:
            assert seen["poNumber"].startswith("PO-")
    else:
        _refused(payload, "purchaseOrder")
        assert await snapshot(database) == before


PAYMENT_PAIRS = list(itertools.product(PoPaymentStatus, PoPaymentStatus))
_PAYMENT_MUTATIONS = {
    PoPaymentStatus.CONFIRMED: pf.CONFIRM_PAYMENT,
    PoPaymentStatus.FAILED: pf.FAIL_PAYMENT,
}


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s, t in PAYMENT_PAIRS if t is not PoPaymentStatus.PENDING],
    ids=[f"{s.value}-{t.value}" for s, t in PAYMENT_PAIRS if t is not PoPaymentStatus.PENDING],
)
async def test_every_payment_pair(client, database, source, target):
    # No mutation moves a payment back to PENDING: those pairs cannot even be asked for.
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(database, supplier.id, product.id, P.SUBMITTED)
    payment = await seed.payment(database, order.id, source)
    before = await snapshot(database)
    payload = await client.mutate(
        _PAYMENT_MUTATIONS[target],
        {"input": {"id": seeding.gid(payment), "reason": "why"}}
        if target is PoPaymentStatus.FAILED
        else {"input": {"id": seeding.gid(payment)}},
    )
    if (source, target) in PAYMENT_MOVES:
        assert payload["errors"] == []
        assert payload["payment"]["status"] == target.name
    else:
        assert payload["payment"] is None
        assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
        assert await snapshot(database) == before
