"""Lot QC mutations (issue 27 item 7): open an inspection of a lot and record its test items.
Starting and completing it are startQcInspection and completeQcInspection (with `items`),
shared with shipments' inspections. "QC and COA verification — admin, ops" (PERFORM_QC)."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from resolvers.fulfillment import inspections, lot_inspections
from schema.fulfillment.inbound_mutations import QcInspectionPayload
from schema.fulfillment.qc_items import QcItemInput, qc_items
from schema.inputs import EXPECTED_VERSION, optional
from schema.payloads import node_mutation


@strawberry.input(description="Open a QC inspection of a lot (PENDING, QC-YYYY-NNNN).")
class CreateLotQcInspectionInput:
    lot_id: strawberry.ID = strawberry.field(description="The lot (PENDING or QUARANTINED).")
    items: list[QcItemInput] | None = optional("Its tests, planned or measured (at most 50).")
    notes: str | None = optional("Notes.")


@strawberry.input(description="Replace an open lot inspection's test items.")
class UpdateQcInspectionItemsInput:
    id: strawberry.ID = strawberry.field(description="The lot's inspection (not COMPLETED).")
    items: list[QcItemInput] = strawberry.field(description="Every test, in order (≤ 50).")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type
class LotQcMutation:
    create_lot_qc_inspection = node_mutation(
        QcInspectionPayload,
        CreateLotQcInspectionInput,
        Permission.PERFORM_QC,
        "Open a QC inspection of a lot (QC-YYYY-NNNN, PENDING); one open inspection per lot "
        "(CONFLICT). startQcInspection quarantines the lot; completeQcInspection with a PASS "
        "result makes it ACTIVE (stocked, incoming down), a FAIL_* result REJECTED (incoming "
        "down).",
        lambda s, actor, input: lot_inspections.create_lot_inspection(
            s, actor, input.lot_id, qc_items(input.items), input.notes
        ),
    )

    update_qc_inspection_items = node_mutation(
        QcInspectionPayload,
        UpdateQcInspectionItemsInput,
        Permission.PERFORM_QC,
        "Record a lot inspection's test items (parameter, method, expected, observed, unit, "
        "passes) while it is open; a COMPLETED inspection refuses changes (IMMUTABLE).",
        lambda s, actor, input: inspections.update_items(
            s, actor, input.id, qc_items(input.items) or [], input.expected_version
        ),
    )
