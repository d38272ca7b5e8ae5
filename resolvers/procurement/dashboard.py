"""The procurement dashboard's figures (issue 27 item 10), each one statement whatever the
number of orders, lots and levels: open and in-transit purchase orders with how many are
overdue, lots waiting for QC, and inventory levels below their reorder point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, select

from db.models import InventoryLevel, Lot, PurchaseOrder
from db.reader import Reader
from domain.procurement import OPEN_PO_STATUSES, LotStatus, PurchaseOrderStatus

IN_TRANSIT = (PurchaseOrderStatus.PARTIALLY_SHIPPED, PurchaseOrderStatus.SHIPPED)
AWAITING_QC = (LotStatus.PENDING, LotStatus.QUARANTINED)


@dataclass(frozen=True)
class OrderFigures:
    open: int
    open_overdue: int
    in_transit: int
    in_transit_overdue: int


async def order_figures(reader: Reader, now: datetime) -> OrderFigures:
    t = PurchaseOrder.__table__.c
    late = and_(t.expected_at.is_not(None), t.expected_at < now)
    moving = t.status.in_([s.value for s in IN_TRANSIT])

    def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    statement = select(
        func.count(),
        count(late),
        count(moving),
        count(and_(moving, late)),
    ).where(t.status.in_([s.value for s in OPEN_PO_STATUSES]), t.deleted_at.is_(None))
    row = (await reader.fetch(statement))[0]
    return OrderFigures(*(int(value) for value in row))


async def lots_awaiting_qc(reader: Reader) -> int:
    t = Lot.__table__.c
    statement = select(func.count()).where(t.status.in_([s.value for s in AWAITING_QC]))
    return int((await reader.fetch(statement))[0][0])


async def low_stock_levels(reader: Reader) -> int:
    """Levels whose available units (on hand - reserved) are below their reorder point."""
    t = InventoryLevel.__table__.c
    statement = select(func.count()).where(
        t.reorder_point.is_not(None), t.on_hand - t.reserved < t.reorder_point
    )
    return int((await reader.fetch(statement))[0][0])
