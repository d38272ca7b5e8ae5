"""Inbound and QC mutations. Each runs in one transaction (a photo: a check, its upload
stored outside any, then its row) and reports business-rule failures in `errors`; the rules
live in resolvers.fulfillment.inbound and .inspections and the workflows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from auth.permissions import Permission
from db.storage import storage_for
from domain.fulfillment import (
    InboundIssueResolution,
    InboundStatus,
    PackageCondition,
    QcBulk,
    QcPhotoKind,
    QcResult,
)
from domain.jobs import ShippingCarrier
from resolvers.fulfillment import inbound, inspections
from schema.context import request_context
from schema.errors import UserError
from schema.fulfillment.inbound_types import (
    InboundIssue,
    InboundShipment,
    QcInspection,
    QcPhoto,
)
from schema.fulfillment.qc_items import QcItemInput, qc_items
from schema.inputs import EXPECTED_VERSION, INPUT, optional, provided, reload
from schema.node import load_node
from schema.payloads import node_mutation, user_errors
from schema.permissions import requires

_SHIPMENT = "The shipment as committed; null when `errors` is not empty."
_INSPECTION = "The inspection as committed; null when `errors` is not empty."


@strawberry.type(description="The result of a mutation on an inbound shipment.")
class InboundShipmentPayload:
    shipment: InboundShipment | None = strawberry.field(description=_SHIPMENT)
    errors: list[UserError] = user_errors()


@strawberry.input(description="One line of a shipment created by hand.")
class InboundItemInput:
    variant_id: strawberry.ID = strawberry.field(description="The variant.")
    expected_quantity: int = strawberry.field(description="Units expected (1 to 1,000,000).")


@strawberry.input(description="Expect a shipment by hand (usually made when a job ships).")
class CreateInboundShipmentInput:
    job_id: strawberry.ID = strawberry.field(description="The job the goods come from.")
    fulfillment_center_id: strawberry.ID | None = optional(
        "Where it goes; the default center when left out."
    )
    carrier: ShippingCarrier | None = optional("Who carries it.")
    tracking_number: str | None = optional("The tracking number (at most 100 characters).")
    expected_arrival: date | None = optional("When it is expected (BR-23 counts from it).")
    notes: str | None = optional("Notes (at most 2000 characters).")
    items: list[InboundItemInput] | None = optional(
        "What it holds (1 to 100 lines); the job's items when left out."
    )


@strawberry.input(description="Move a shipment on its way (IN_TRANSIT, DELIVERED).")
class TransitionInboundShipmentInput:
    id: strawberry.ID = strawberry.field(description="The shipment.")
    status: InboundStatus = strawberry.field(
        description="IN_TRANSIT or DELIVERED (receiving and QC have their own mutations)."
    )
    expected_version: int | None = optional(EXPECTED_VERSION)
    carrier: ShippingCarrier | None = optional("Correct the carrier (→ IN_TRANSIT).")
    tracking_number: str | None = optional("Correct the tracking number (→ IN_TRANSIT).")
    expected_arrival: date | None = optional("Correct the expected date (→ IN_TRANSIT).")
    reason: str | None = optional("Why, kept in the status history.")


@strawberry.input(description="Units counted on one line.")
class ReceivedItemInput:
    item_id: strawberry.ID = strawberry.field(description="The shipment's item.")
    received_quantity: int = strawberry.field(description="Units counted (0 or more).")


@strawberry.input(description="Receive a shipment at its center (BR-41).")
class ReceiveInboundShipmentInput:
    id: strawberry.ID = strawberry.field(description="The shipment.")
    package_condition: PackageCondition = strawberry.field(description="Its condition.")
    temperature_on_arrival: Decimal | None = optional("°C on arrival, -100 to 100.")
    items: list[ReceivedItemInput] | None = optional(
        "Units counted per line; lines left out arrived as expected."
    )
    expected_version: int | None = optional(EXPECTED_VERSION)
    reason: str | None = optional("A note for the status history.")


@strawberry.input(description="One entry of a checklist.")
class ChecklistEntryInput:
    item: str = strawberry.field(description="What was checked (at most 200 characters).")
    passed: bool = strawberry.field(description="Whether it was fine.")
    note: str | None = optional("What the inspector noted.")


def _checklist(entries: list[ChecklistEntryInput] | None) -> list[dict[str, Any]] | None:
    if entries is None:
        return None
    return [{"item": e.item, "passed": e.passed, "note": e.note} for e in entries]


@strawberry.type(description="The result of a mutation on a QC inspection.")
class QcInspectionPayload:
    inspection: QcInspection | None = strawberry.field(description=_INSPECTION)
    errors: list[UserError] = user_errors()


@strawberry.input(description="Open a QC inspection of a received shipment (PENDING).")
class CreateQcInspectionInput:
    shipment_id: strawberry.ID = strawberry.field(description="The received shipment.")
    checklist: list[ChecklistEntryInput] | None = optional("What is to be checked.")
    notes: str | None = optional("Notes.")


@strawberry.input(description="Start an inspection (→ IN_PROGRESS; its shipment INSPECTING).")
class StartQcInspectionInput:
    id: strawberry.ID = strawberry.field(description="The inspection.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="One line's result.")
class QcLineInput:
    item_id: strawberry.ID = strawberry.field(description="The shipment's item.")
    passed_quantity: int = strawberry.field(description="Units that passed.")
    failed_quantity: int = strawberry.field(
        description="Units that failed; passed + failed = received."
    )
    notes: str | None = optional("Notes on the line.")


@strawberry.input(
    description="Complete an inspection: a result, and every line's passed and failed units "
    "(`lines`) or all at once (`bulk`)."
)
class CompleteQcInspectionInput:
    id: strawberry.ID = strawberry.field(description="The inspection (IN_PROGRESS).")
    result: QcResult = strawberry.field(
        description="PASS and PASS_WITH_NOTES fail no unit; FAIL_* fail at least one."
    )
    lines: list[QcLineInput] | None = optional("Each line once (or `bulk`).")
    bulk: QcBulk | None = optional("Pass or fail every line at once (or `lines`).")
    checklist: list[ChecklistEntryInput] | None = optional("The checklist as completed.")
    notes: str | None = optional("The inspector's notes.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    items: list[QcItemInput] | None = optional(
        "A lot's inspection: its test items, replacing those recorded (instead of lines)."
    )


@strawberry.input(description="A photo of an inspection, uploaded with the request.")
class AddQcPhotoInput:
    inspection_id: strawberry.ID = strawberry.field(description="The open inspection.")
    file: Upload = strawberry.field(
        description="JPEG, PNG or WebP up to 10 MB, a file part of a multipart request; its "
        "EXIF metadata (GPS) is removed."
    )
    kind: QcPhotoKind = strawberry.field(description="What it shows (DEFECT for failures).")
    caption: str | None = optional("What it shows.")


@strawberry.type(description="The result of adding a photo.")
class AddQcPhotoPayload:
    photo: QcPhoto | None = strawberry.field(description="The photo; null on errors.")
    inspection: QcInspection | None = strawberry.field(description=_INSPECTION)
    errors: list[UserError] = user_errors()


@strawberry.input(description="Record what happens to failed goods.")
class ResolveInboundIssueInput:
    issue_id: strawberry.ID = strawberry.field(description="The open issue.")
    resolution: InboundIssueResolution = strawberry.field(description="What was decided.")
    notes: str | None = optional("More about it.")


@strawberry.type(description="The result of resolving an issue.")
class InboundIssuePayload:
    issue: InboundIssue | None = strawberry.field(description="The issue; null on errors.")
    errors: list[UserError] = user_errors()


def _create(input: CreateInboundShipmentInput) -> dict[str, Any]:
    values = provided(input, exclude=())
    if input.items is not None:
        values["items"] = [
            {"variant_id": i.variant_id, "expected_quantity": i.expected_quantity}
            for i in input.items
        ]
    return values


def _receipt(input: ReceiveInboundShipmentInput) -> inbound.Receipt:
    return inbound.Receipt(
        package_condition=input.package_condition,
        temperature_on_arrival=input.temperature_on_arrival,
        counted=[(str(i.item_id), i.received_quantity) for i in input.items or ()],
        expected_version=input.expected_version,
        reason=input.reason,
    )


def _completion(input: CompleteQcInspectionInput) -> inspections.Completion:
    return inspections.Completion(
        result=input.result,
        lines=[
            inspections.LineResult(
                str(line.item_id), line.passed_quantity, line.failed_quantity, line.notes
            )
            for line in input.lines or ()
        ],
        bulk=input.bulk,
        notes=input.notes,
        checklist=_checklist(input.checklist),
        expected_version=input.expected_version,
        items=qc_items(input.items),
    )


@strawberry.type
class InboundMutation:
    create_inbound_shipment = node_mutation(
        InboundShipmentPayload,
        CreateInboundShipmentInput,
        Permission.MANAGE_INBOUND,
        "Expect a shipment by hand (EXPECTED): `incoming` rises for each line. A job's own is "
        "made when it ships.",
        lambda s, actor, input: inbound.create_manual(s, actor, _create(input)),
    )

    transition_inbound_shipment = node_mutation(
        InboundShipmentPayload,
        TransitionInboundShipmentInput,
        Permission.MANAGE_INBOUND,
        "Move a shipment along SPEC §2.8: IN_TRANSIT (carrier and tracking may be corrected; "
        "the tracking URL follows, BR-40) or DELIVERED. RECEIVED is receiveInboundShipment's; "
        "INSPECTING, STOCKED and ISSUE come from QC (INVALID_TRANSITION here).",
        lambda s, actor, input: inbound.move_shipment(
            s,
            actor,
            input.id,
            input.status,
            expected_version=input.expected_version,
            inputs=provided(input, exclude=("id", "status", "expected_version", "reason")),
            reason=input.reason,
        ),
    )

    receive_inbound_shipment = node_mutation(
        InboundShipmentPayload,
        ReceiveInboundShipmentInput,
        Permission.MANAGE_INBOUND,
        "Receive a shipment (from EXPECTED or DELIVERED → RECEIVED): condition, temperature, "
        "who and when, units counted per line (`incoming` follows the count; nothing is "
        "stocked before QC).",
        lambda s, actor, input: inbound.receive(s, actor, input.id, _receipt(input)),
    )

    create_qc_inspection = node_mutation(
        QcInspectionPayload,
        CreateQcInspectionInput,
        Permission.PERFORM_QC,
        "Open a QC inspection (QC-YYYY-NNNN, PENDING) of a received shipment; one open "
        "inspection per shipment (CONFLICT otherwise).",
        lambda s, actor, input: inspections.create_inspection(
            s, actor, input.shipment_id, _checklist(input.checklist), input.notes
        ),
    )

    start_qc_inspection = node_mutation(
        QcInspectionPayload,
        StartQcInspectionInput,
        Permission.PERFORM_QC,
        "Start an inspection (PENDING → IN_PROGRESS); its shipment moves to INSPECTING.",
        lambda s, actor, input: inspections.start_inspection(
            s, actor, input.id, input.expected_version
        ),
    )

    complete_qc_inspection = node_mutation(
        QcInspectionPayload,
        CompleteQcInspectionInput,
        Permission.PERFORM_QC,
        "Complete an inspection (→ COMPLETED) with its result and each line's passed and "
        "failed units, or `bulk`. Passed units are stocked (STOCK_IN) and every inspected unit "
        "leaves `incoming`; the shipment becomes STOCKED when all passed, ISSUE otherwise "
        "(failed or held units raise an issue; the manufacturer is notified of failures). "
        "Failed units need a DEFECT photo first (VALIDATION).",
        lambda s, actor, input: inspections.complete_inspection(
            s, actor, input.id, _completion(input)
        ),
    )

    @strawberry.mutation(
        description="Add a photo to an open inspection (overview, defect, comparison), "
        "uploaded with the request. The file is checked by its content (FILE_* codes) after "
        "the inspection: a refused photo stores nothing.",
        extensions=requires(Permission.PERFORM_QC),
    )
    async def add_qc_photo(
        self, info: Info[Any, Any], input: Annotated[AddQcPhotoInput, INPUT]
    ) -> AddQcPhotoPayload:
        ctx = request_context(info)
        files = ctx.settings.files
        outcome = await inspections.add_photo(
            ctx,
            input.inspection_id,
            file=input.file,
            kind=input.kind,
            caption=input.caption,
            storage=storage_for(files),
            max_upload_bytes=files.max_upload_bytes,
        )
        photo = await reload(info, QcPhoto, outcome.value)
        inspection = (
            await load_node(info, QcInspection, photo.inspection_id) if photo is not None else None
        )
        return AddQcPhotoPayload(
            photo=photo, inspection=inspection, errors=UserError.from_problems(outcome.problems)
        )

    resolve_inbound_issue = node_mutation(
        InboundIssuePayload,
        ResolveInboundIssueInput,
        Permission.PERFORM_QC,
        "Record what happens to failed goods (rework, credit, replace, partial accept); the "
        "shipment's last open issue resolved moves it ISSUE → STOCKED.",
        lambda s, actor, input: inspections.resolve_issue(
            s, actor, input.issue_id, input.resolution, input.notes
        ),
    )
