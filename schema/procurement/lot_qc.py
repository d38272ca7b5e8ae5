"""A lot's QC as procurement's readers see it (issue 27 item 7: "read — procurement
viewers"): the 3PL's inspections of the lot (subject LOT), read through the batched children
loader so a list of lots costs one statement more, whoever reads it. Finance reads procurement
but not the 3PL's inbound, so this is a plain view of the rows, not the QcInspection node;
`inspectionId` is that node's ID for the QC mutations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import FromClause, Table, select
from strawberry.types import Info

from db.models import QcInspection
from domain.fulfillment import QcResult, QcStatus, QcSubjectType
from resolvers.ids import encode_id
from resolvers.pagination import SortKey
from schema.context import request_context
from schema.fulfillment.inbound_types import QcInspectionItem, qc_items_of

_TABLE: Table = QcInspection.__table__  # type: ignore[assignment]
LOT_INSPECTIONS: FromClause = (
    select(_TABLE).where(_TABLE.c.subject_type == QcSubjectType.LOT.value).subquery("lot_qc_read")
)
_OLDEST_FIRST = (SortKey("created_at"), SortKey("inspection_number"))


@strawberry.type(description="A QC inspection of a lot (QC-YYYY-NNNN) with its test items.")
class LotQcInspection:
    inspection_id: strawberry.ID = strawberry.field(
        description="The QcInspection's ID, for startQcInspection, completeQcInspection and "
        "updateQcInspectionItems."
    )
    inspection_number: str = strawberry.field(description='E.g. "QC-2026-0007" (BR-42).')
    status: QcStatus = strawberry.field(description="PENDING, IN_PROGRESS or COMPLETED.")
    result: QcResult | None = strawberry.field(description="The verdict once COMPLETED.")
    inspector: str | None = strawberry.field(description="Who inspects (token subject).")
    notes: str | None = strawberry.field(description="The inspector's notes.")
    started_at: datetime | None = strawberry.field(description="When QC started.")
    completed_at: datetime | None = strawberry.field(description="When it was completed.")
    items: list[QcInspectionItem] = strawberry.field(description="Its tests, in order.")


def _view(row: Any) -> LotQcInspection:
    return LotQcInspection(
        inspection_id=strawberry.ID(encode_id("QcInspection", row.id)),
        inspection_number=row.inspection_number,
        status=QcStatus(row.status),
        result=QcResult(row.result) if row.result is not None else None,
        inspector=row.inspector,
        notes=row.notes,
        started_at=row.started_at,
        completed_at=row.completed_at,
        items=qc_items_of(row.items),
    )


async def lot_inspections(info: Info[Any, Any], lot_id: uuid.UUID) -> list[LotQcInspection]:
    (rows,) = await request_context(info).loaders.children_of(
        LOT_INSPECTIONS, "subject_id", _OLDEST_FIRST, None, [lot_id]
    )
    return [_view(row) for row in rows]
