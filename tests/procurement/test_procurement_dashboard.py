"""The procurement dashboard: its figures count what they say, and it runs the same number of
SQL statements for a few records as for many."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from db.models import InventoryLevel
from domain.procurement import LotStatus, PurchaseOrderStatus
from settings import QueryLimits
from tests.support import fulfillment
from tests.support import procurement_seeding as seed

P = PurchaseOrderStatus
DASHBOARD = """{ procurementDashboard {
  purchaseOrders { open overdue inTransit inTransitOverdue }
  lotsAwaitingQc lowStockLevels
} }"""


async def _add(database: Any, center: Any, times: int) -> None:
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    variant = await seed.variant_of(database, product.id)
    past = datetime.now(UTC) - timedelta(days=3)
    future = datetime.now(UTC) + timedelta(days=3)
    for _ in range(times):
        for status, expected in (
            (P.SUBMITTED, future),
            (P.CONFIRMED, past),
            (P.SHIPPED, past),
            (P.PARTIALLY_SHIPPED, future),
            (P.DRAFT, past),  # not open
            (P.RECEIVED, past),  # not open
        ):
            order = await seed.purchase_order(
                database, supplier.id, product.id, status, expected_at=expected
            )
        for lot_status in LotStatus:
            await seed.lot(database, order, lot_status)
    async with database.transaction() as session:
        session.add(
            InventoryLevel(
                fulfillment_center_id=center, variant_id=variant.id, on_hand=3, reorder_point=5
            )
        )


async def _read(make_client: Any) -> tuple[int, dict[str, Any]]:
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        body = await client.raw(DASHBOARD)
    assert "errors" not in body, body.get("errors")
    return body["extensions"]["debug"]["sqlStatements"], body["data"]["procurementDashboard"]


async def test_the_dashboard_counts_in_a_fixed_number_of_statements(database, make_client):
    center = await fulfillment.center(database, default=True)
    await _add(database, center, 1)
    few, board = await _read(make_client)
    assert board == {
        "purchaseOrders": {"open": 4, "overdue": 2, "inTransit": 2, "inTransitOverdue": 1},
        "lotsAwaitingQc": 2,
        "lowStockLevels": 1,
    }
    await _add(database, center, 5)
    many, board = await _read(make_client)
    assert board["purchaseOrders"] == {
        "open": 24,
        "overdue": 12,
        "inTransit": 12,
        "inTransitOverdue": 6,
    }
    assert board["lotsAwaitingQc"] == 12 and board["lowStockLevels"] == 2
    assert few == many
