"""What the inbound and QC lists read from, and how their filters become SQL.

Rows hanging off a shipment or an inspection are read joined with it, so each row carries
the manufacturer that owns it: a manufacturer sees its own jobs' shipments and what hangs
off them, applied where the rows are loaded.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, FromClause, Table, case, select

from db.models import (
    InboundIssue,
    InboundShipment,
    InboundShipmentItem,
    QcInspection,
    QcInspectionLine,
    QcPhoto,
)
from domain.fulfillment import InboundSourceType, InboundStatus, QcSubjectType
from resolvers.filters import containing, equal, one_of

_SHIPMENTS: Table = InboundShipment.__table__  # type: ignore[assignment]
_INSPECTIONS: Table = QcInspection.__table__  # type: ignore[assignment]


def _shipments() -> FromClause:
    """Shipments with their source as typed references (a job or a purchase order)."""
    t = _SHIPMENTS.c
    source_job = case(
        (t.source_type == InboundSourceType.MANUFACTURING_JOB.value, t.source_id), else_=None
    )
    source_po = case(
        (t.source_type == InboundSourceType.PURCHASE_ORDER.value, t.source_id), else_=None
    )
    return select(
        _SHIPMENTS, source_job.label("source_job_id"), source_po.label("source_purchase_order_id")
    ).subquery("inbound_shipments_read")


def _with(table: Table, parent: Table, key: str, name: str) -> FromClause:
    """`table`'s rows with their parent's manufacturer (the owner of the row)."""
    return (
        select(table, parent.c.manufacturer_id)
        .select_from(table.join(parent, parent.c.id == table.c[key]))
        .subquery(name)
    )


def _inspections() -> FromClause:
    t = _INSPECTIONS.c
    shipment = case(
        (t.subject_type == QcSubjectType.INBOUND_SHIPMENT.value, t.subject_id), else_=None
    )
    lot = case((t.subject_type == QcSubjectType.LOT.value, t.subject_id), else_=None)
    typed = (shipment.label("inbound_shipment_id"), lot.label("lot_id"))
    return select(_INSPECTIONS, *typed).subquery("qc_inspections_read")


INBOUND_SHIPMENTS: FromClause = _shipments()
INBOUND_ITEMS: FromClause = _with(
    InboundShipmentItem.__table__,  # type: ignore[arg-type]
    _SHIPMENTS,
    "shipment_id",
    "inbound_items_with_owner",
)
INBOUND_ISSUES: FromClause = InboundIssue.__table__
QC_INSPECTIONS: FromClause = _inspections()
QC_LINES: FromClause = _with(
    QcInspectionLine.__table__,  # type: ignore[arg-type]
    _INSPECTIONS,
    "inspection_id",
    "qc_lines_with_owner",
)
QC_PHOTOS: FromClause = _with(
    QcPhoto.__table__,  # type: ignore[arg-type]
    _INSPECTIONS,
    "inspection_id",
    "qc_photos_with_owner",
)


def shipment_conditions(
    *,
    statuses: Sequence[InboundStatus] | None = None,
    fulfillment_center_id: uuid.UUID | None = None,
    manufacturer_id: uuid.UUID | None = None,
    source_job_id: uuid.UUID | None = None,
    source_purchase_order_id: uuid.UUID | None = None,
    expected_before: date | None = None,
    expected_after: date | None = None,
    lost: bool | None = None,
    search: str | None = None,
) -> list[ColumnElement[bool]]:
    t = INBOUND_SHIPMENTS.c
    conditions = [
        *one_of(t.status, statuses),
        *equal(
            (t.fulfillment_center_id, fulfillment_center_id),
            (t.manufacturer_id, manufacturer_id),
            (t.source_job_id, source_job_id),
            (t.source_purchase_order_id, source_purchase_order_id),
        ),
        *containing([t.shipment_number, t.tracking_number], search),
    ]
    if expected_before is not None:
        conditions.append(t.expected_arrival <= expected_before)
    if expected_after is not None:
        conditions.append(t.expected_arrival >= expected_after)
    if lost is not None:
        flagged = t.lost_flagged_at.is_not(None)
        conditions.append(flagged if lost else ~flagged)
    return conditions


def inspection_conditions(
    *,
    statuses: Sequence[str] | None = None,
    results: Sequence[str] | None = None,
    inbound_shipment_id: uuid.UUID | None = None,
    lot_id: uuid.UUID | None = None,
) -> list[ColumnElement[bool]]:
    t = QC_INSPECTIONS.c
    return [
        *one_of(t.status, statuses),
        *one_of(t.result, results),
        *equal((t.inbound_shipment_id, inbound_shipment_id), (t.lot_id, lot_id)),
    ]
