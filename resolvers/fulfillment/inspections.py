"""QC inspections of inbound shipments (SPEC §1.7 merged, §2.11, BR-21, BR-42).

An inspection is made PENDING for a received shipment, started (the shipment moves to
INSPECTING) and completed with a result and each line's passed and failed units, or in bulk
(pass-all, fail-all). Completing it stocks the passed units (STOCK_IN), lowers `incoming` by
every unit inspected, and moves the shipment to STOCKED (all passed) or ISSUE (some or all
failed, or a hold); failed units raise an issue the manufacturer is notified of. Orders the
stocked units complete get their outbound shipment proposed (consolidation, BR-22).

Its subject is a kind and an id, so procurement's lots are inspected with the same types:
a lot's inspection (subject LOT) starts and completes through the same mutations, with test
items instead of lines (resolvers/fulfillment/lot_inspections.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import (
    InboundIssue,
    InboundShipment,
    InboundShipmentItem,
    ManufacturingJob,
    QcInspection,
    QcInspectionLine,
    QcPhoto,
)
from db.storage import Storage
from domain.errors import ErrorCode, Problem, UserErrors
from domain.files import FilePurpose
from domain.fulfillment import (
    FAILING_RESULTS,
    InboundIssueResolution,
    InboundSourceType,
    InboundStatus,
    LedgerKind,
    LedgerReference,
    LineVerdict,
    QcBulk,
    QcPhotoKind,
    QcResult,
    QcStatus,
    QcSubjectType,
    bulk_verdict,
    inbound_outcome,
    inspection_number,
    result_problem,
    stocked_quantity,
    verdict_problem,
)
from domain.lot_qc import QcItem
from domain.notifications import NotificationPriority, NotificationType
from domain.validation import Checks
from resolvers import uploads, writes
from resolvers.context import RequestContext
from resolvers.fulfillment import ledger, lot_inspections, outbound
from resolvers.fulfillment.inbound import items_of, locked_shipment
from resolvers.fulfillment.inbound_workflow import INBOUND_WORKFLOW, QC_WORKFLOW
from resolvers.ids import decode_input_id
from resolvers.lookup import get_for_update, not_found
from resolvers.mutations import Outcome
from resolvers.notify import Link, about, notify_admins, notify_manufacturer
from resolvers.sequences import next_value
from resolvers.transitions import apply, permits, system_actor

INSPECTION = "QcInspection"
MAX_TEXT = 5000
MAX_CHECKLIST = 50


async def _inspection(
    session: AsyncSession, actor: Actor, global_id: str, field: str = "id"
) -> QcInspection:
    inspection = await get_for_update(session, QcInspection, global_id, field)
    if not permits(actor, QC_WORKFLOW.read, QC_WORKFLOW, inspection.manufacturer_id):
        raise not_found(INSPECTION, global_id, field)
    return inspection


async def _subject(session: AsyncSession, inspection: QcInspection) -> InboundShipment:
    shipment = await session.get(InboundShipment, inspection.subject_id, with_for_update=True)
    assert shipment is not None, "an inspection's shipment is never deleted"
    return shipment


def _check_checklist(checks: Checks, checklist: Sequence[Mapping[str, Any]] | None) -> None:
    if checklist is None:
        return
    checks.require(
        len(checklist) <= MAX_CHECKLIST, "checklist", f"At most {MAX_CHECKLIST} checklist items"
    )
    for entry in checklist:
        checks.text("checklist", str(entry.get("item") or ""), max_length=200, required=True)
        checks.text("checklist", entry.get("note"), max_length=MAX_TEXT, required=False)


async def create_inspection(
    session: AsyncSession,
    actor: Actor,
    shipment_id: str,
    checklist: Sequence[Mapping[str, Any]] | None = None,
    notes: str | None = None,
) -> QcInspection:
    """A PENDING inspection of a received shipment (one open inspection at a time)."""
    checks = Checks()
    _check_checklist(checks, checklist)
    checks.text("notes", notes, max_length=MAX_TEXT, required=False)
    checks.raise_if_any()
    shipment = await locked_shipment(session, actor, shipment_id, "shipment_id")
    if shipment.source_type is InboundSourceType.PURCHASE_ORDER:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Shipment {shipment.shipment_number} is a purchase order's: its lots are "
            "inspected one by one (createLotQcInspection)",
            ("input", "shipmentId"),
        )
    if shipment.status not in (InboundStatus.RECEIVED, InboundStatus.INSPECTING):
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Shipment {shipment.shipment_number} is {shipment.status.value}: only a received "
            "shipment is inspected",
            ("input", "shipmentId"),
        )
    open_inspection = await session.scalars(
        select(QcInspection.inspection_number).where(
            QcInspection.subject_type == QcSubjectType.INBOUND_SHIPMENT,
            QcInspection.subject_id == shipment.id,
            QcInspection.status != QcStatus.COMPLETED,
        )
    )
    existing = open_inspection.first()
    if existing is not None:
        raise UserErrors.one(
            ErrorCode.CONFLICT,
            f"Inspection {existing} of this shipment is still open",
            ("input", "shipmentId"),
        )
    now = datetime.now(UTC)
    sequence = await next_value(session, "qc_inspection", now.year)
    return await writes.create(
        session,
        actor,
        QcInspection(
            inspection_number=inspection_number(now.year, sequence),
            subject_type=QcSubjectType.INBOUND_SHIPMENT,
            subject_id=shipment.id,
            manufacturer_id=shipment.manufacturer_id,
            status=QC_WORKFLOW.initial,
            checklist=[dict(entry) for entry in checklist] if checklist is not None else None,
            notes=notes,
        ),
    )


async def start_inspection(
    session: AsyncSession, actor: Actor, global_id: str, expected_version: int | None = None
) -> QcInspection:
    """PENDING → IN_PROGRESS; the shipment moves RECEIVED → INSPECTING (a lot: quarantined)."""
    inspection = await _inspection(session, actor, global_id)
    if inspection.subject_type is QcSubjectType.LOT:
        return await lot_inspections.start(session, actor, inspection, expected_version)
    shipment = await _subject(session, inspection)
    await apply(
        session,
        actor,
        QC_WORKFLOW,
        inspection,
        QcStatus.IN_PROGRESS,
        expected_version=expected_version,
    )
    await writes.update(session, actor, inspection, {"inspector": actor.id})
    if shipment.status is InboundStatus.RECEIVED:
        await apply(session, actor, INBOUND_WORKFLOW, shipment, InboundStatus.INSPECTING)
    return inspection


# -- photos --------------------------------------------------------------------------------


async def check_photo(
    session: AsyncSession, actor: Actor, inspection_id: str, caption: str | None
) -> QcInspection:
    """What a photo is refused for before its bytes are read: the inspection (open, and the
    caller's to work on) and the caption."""
    inspection = await _inspection(session, actor, inspection_id, "inspection_id")
    checks = Checks()
    checks.text("caption", caption, max_length=MAX_TEXT, required=False)
    if inspection.status is QcStatus.COMPLETED:
        checks.fail(
            "inspection_id",
            f"Inspection {inspection.inspection_number} is completed",
            ErrorCode.IMMUTABLE,
        )
    checks.raise_if_any()
    return inspection


async def attach_photo(
    session: AsyncSession,
    actor: Actor,
    inspection_id: str,
    stored: uploads.Stored,
    *,
    kind: QcPhotoKind,
    caption: str | None,
) -> QcPhoto:
    inspection = await check_photo(session, actor, inspection_id, caption)
    file = await uploads.record(session, actor, stored, attached=True)
    return await writes.create(
        session,
        actor,
        QcPhoto(
            inspection_id=inspection.id,
            file_id=file.id,
            kind=kind,
            caption=caption,
            created_by=actor.id,
        ),
    )


async def add_photo(
    ctx: RequestContext,
    inspection_id: str,
    *,
    file: object,
    kind: QcPhotoKind,
    storage: Storage,
    max_upload_bytes: int,
    caption: str | None = None,
) -> Outcome[QcPhoto]:
    """A photo of an open inspection (overview, defect, comparison), through the files
    mechanism: checked first, stored outside any transaction, then recorded."""
    return await uploads.attach_upload(
        ctx,
        file,
        FilePurpose.QC_PHOTO,
        check=lambda s: check_photo(s, ctx.actor, inspection_id, caption),
        attach=lambda s, stored: attach_photo(
            s, ctx.actor, inspection_id, stored, kind=kind, caption=caption
        ),
        storage=storage,
        max_upload_bytes=max_upload_bytes,
    )


# -- completing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineResult:
    """One line's result as given: the inbound item's ID, passed and failed units, notes."""

    item_id: str
    passed: int
    failed: int
    notes: str | None = None


@dataclass(frozen=True)
class Completion:
    result: QcResult
    lines: Sequence[LineResult] = ()
    bulk: QcBulk | None = None
    notes: str | None = None
    checklist: Sequence[Mapping[str, Any]] | None = None
    expected_version: int | None = None
    # A lot's test items (subject LOT), replacing those recorded so far.
    items: Sequence[QcItem] | None = None


def _verdicts(
    items: Sequence[InboundShipmentItem], completion: Completion
) -> dict[uuid.UUID, tuple[LineVerdict, str | None]]:
    """Each item's verdict, from the bulk choice or the lines given (every item once)."""
    received = {item.id: item.received_quantity or 0 for item in items}
    if completion.bulk is not None:
        if completion.lines:
            raise UserErrors.one(
                ErrorCode.VALIDATION, "Give either lines or bulk, not both", ("input", "bulk")
            )
        return {pk: (bulk_verdict(completion.bulk, units), None) for pk, units in received.items()}
    problems: list[Problem] = []
    verdicts: dict[uuid.UUID, tuple[LineVerdict, str | None]] = {}
    for index, line in enumerate(completion.lines):
        path = ("input", "lines", str(index))
        try:
            pk = decode_input_id(line.item_id, "InboundShipmentItem", "item_id")
        except UserErrors as exc:
            problems += [Problem(p.code, p.message, (*path, "itemId")) for p in exc.problems]
            continue
        if pk not in received:
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND,
                    f"No item {line.item_id} on this shipment",
                    (*path, "itemId"),
                )
            )
            continue
        if pk in verdicts:
            problems.append(
                Problem(ErrorCode.VALIDATION, "The item is given twice", (*path, "itemId"))
            )
            continue
        verdict = LineVerdict(received[pk], line.passed, line.failed)
        problem = verdict_problem(verdict)
        if problem:
            problems.append(Problem(ErrorCode.VALIDATION, problem, (*path, "passedQuantity")))
        if line.notes is not None and len(line.notes) > MAX_TEXT:
            problems.append(
                Problem(
                    ErrorCode.VALIDATION,
                    f"notes must be at most {MAX_TEXT} characters",
                    (*path, "notes"),
                )
            )
        verdicts[pk] = (verdict, line.notes)
    missing = len(received) - len(verdicts)
    if not problems and missing:
        problems.append(
            Problem(
                ErrorCode.VALIDATION,
                f"Every item needs a result ({missing} missing), or use bulk",
                ("input", "lines"),
            )
        )
    if problems:
        raise UserErrors(problems)
    return verdicts


async def complete_inspection(
    session: AsyncSession, actor: Actor, global_id: str, completion: Completion
) -> QcInspection:
    inspection = await _inspection(session, actor, global_id)
    if inspection.subject_type is QcSubjectType.LOT:
        return await _complete_lot(session, actor, inspection, completion)
    if completion.items is not None:
        raise UserErrors.one(
            ErrorCode.VALIDATION, "Test items are for a lot's inspection", ("input", "items")
        )
    shipment = await _subject(session, inspection)
    items = await items_of(session, shipment.id)
    checks = Checks()
    checks.text("notes", completion.notes, max_length=MAX_TEXT, required=False)
    _check_checklist(checks, completion.checklist)
    checks.raise_if_any()
    verdicts = _verdicts(items, completion)
    problem = result_problem(completion.result, [v for v, _ in verdicts.values()])
    if problem:
        raise UserErrors.one(ErrorCode.VALIDATION, problem, ("input", "result"))
    failed_units = sum(verdict.failed for verdict, _ in verdicts.values())
    await apply(
        session,
        actor,
        QC_WORKFLOW,
        inspection,
        QcStatus.COMPLETED,
        expected_version=completion.expected_version,
        inputs={
            "result": completion.result,
            "notes": completion.notes,
            "checklist": (
                [dict(entry) for entry in completion.checklist]
                if completion.checklist is not None
                else None
            ),
            "failed_units": failed_units,
        },
    )
    now = datetime.now(UTC)
    stocked_variants: set[uuid.UUID] = set()
    for item in items:
        verdict, notes = verdicts[item.id]
        await writes.create(
            session,
            actor,
            QcInspectionLine(
                inspection_id=inspection.id,
                subject_line_id=item.id,
                passed_quantity=verdict.passed,
                failed_quantity=verdict.failed,
                notes=notes,
            ),
        )
        stocked = stocked_quantity(completion.result, verdict)
        await writes.update(
            session,
            actor,
            item,
            {
                "passed_quantity": item.passed_quantity + stocked,
                "failed_quantity": item.failed_quantity + verdict.received - stocked,
                "qc_notes": notes,
                "inspected_at": now,
                "inspected_by": actor.id,
            },
        )
        await _book(session, actor, shipment, item, stocked, verdict.received)
        if stocked:
            stocked_variants.add(item.variant_id)
    outcome = inbound_outcome(completion.result, [v for v, _ in verdicts.values()])
    if outcome is InboundStatus.ISSUE:
        await _raise_issue(session, actor, shipment, inspection, completion.result, verdicts)
    await apply(
        session, actor, INBOUND_WORKFLOW, shipment, outcome, reason=inspection.inspection_number
    )
    if stocked_variants:
        # BR-22: what just reached the shelf may complete an order: its outbound shipment is
        # proposed now, in this transaction.
        await outbound.consolidate(
            session, system_actor(actor), variant_ids=sorted(stocked_variants)
        )
    return inspection


async def _complete_lot(
    session: AsyncSession, actor: Actor, inspection: QcInspection, completion: Completion
) -> QcInspection:
    """A lot has no lines to count: its verdict is the result and the test items."""
    if completion.lines or completion.bulk is not None:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            "A lot's inspection takes test items, not lines or bulk",
            ("input", "lines" if completion.lines else "bulk"),
        )
    checks = Checks()
    checks.text("notes", completion.notes, max_length=MAX_TEXT, required=False)
    checks.raise_if_any()
    return await lot_inspections.complete(
        session,
        actor,
        inspection,
        completion.result,
        items=completion.items,
        notes=completion.notes,
        expected_version=completion.expected_version,
    )


async def _book(
    session: AsyncSession,
    actor: Actor,
    shipment: InboundShipment,
    item: InboundShipmentItem,
    stocked: int,
    inspected: int,
) -> None:
    """BR-19: QC pass stocks (+on hand) and lowers incoming; a failure lowers incoming."""
    for kind, quantity in ((LedgerKind.STOCK_IN, stocked), (LedgerKind.INCOMING, -inspected)):
        if quantity:
            await ledger.record(
                session,
                center_id=shipment.fulfillment_center_id,
                variant_id=item.variant_id,
                kind=kind,
                quantity=quantity,
                reference_type=LedgerReference.INBOUND_SHIPMENT,
                reference_id=shipment.id,
                actor=actor,
            )


async def _source_link(session: AsyncSession, shipment: InboundShipment) -> Link:
    if shipment.source_type is InboundSourceType.MANUFACTURING_JOB:
        job = await session.get(ManufacturingJob, shipment.source_id)
        if job is not None:
            return about(job)
    return {}


async def _raise_issue(
    session: AsyncSession,
    actor: Actor,
    shipment: InboundShipment,
    inspection: QcInspection,
    result: QcResult,
    verdicts: Mapping[uuid.UUID, tuple[LineVerdict, str | None]],
) -> InboundIssue:
    """BR-21: failed units are not stocked; they raise an issue and the manufacturer hears
    of it (rework, credit, replace or partial accept). A hold is the admins' to decide."""
    held = result is QcResult.HOLD
    units = sum(v.received if held else v.failed for v, _ in verdicts.values())
    passed = 0 if held else sum(v.passed for v, _ in verdicts.values())
    what = "held for review" if held else f"failed QC ({result.value})"
    description = (
        f"{units} unit(s) of {shipment.shipment_number} {what} in {inspection.inspection_number}"
        + (f"; {passed} passed and were stocked" if passed else "")
        + "."
    )
    issue = await writes.create(
        session,
        actor,
        InboundIssue(
            shipment_id=shipment.id,
            inspection_id=inspection.id,
            manufacturer_id=shipment.manufacturer_id,
            result=result,
            failed_quantity=units,
            description=description,
        ),
    )
    link = await _source_link(session, shipment)
    if result in FAILING_RESULTS and shipment.manufacturer_id is not None:
        notify_manufacturer(
            session,
            shipment.manufacturer_id,
            NotificationType.QC_FAILED,
            f"{shipment.shipment_number}: {units} unit(s) failed QC",
            description
            + " We will contact you about rework, credit, replacement or partial acceptance.",
            **link,
            priority=NotificationPriority.HIGH,
        )
    notify_admins(
        session,
        NotificationType.QC_FAILED,
        f"{shipment.shipment_number}: QC {result.value}",
        description,
        **link,
        priority=NotificationPriority.HIGH,
    )
    return issue


async def resolve_issue(
    session: AsyncSession,
    actor: Actor,
    issue_id: str,
    resolution: InboundIssueResolution,
    notes: str | None,
) -> InboundIssue:
    """Record what happens to the failed goods; when the shipment's last open issue is
    resolved, it moves ISSUE → STOCKED (the passed units already are)."""
    issue = await get_for_update(session, InboundIssue, issue_id, "issue_id")
    shipment = await session.get(InboundShipment, issue.shipment_id, with_for_update=True)
    if shipment is None or not permits(
        actor, INBOUND_WORKFLOW.read, INBOUND_WORKFLOW, shipment.manufacturer_id
    ):
        raise not_found("InboundIssue", issue_id, "issue_id")
    checks = Checks()
    checks.text("notes", notes, max_length=MAX_TEXT, required=False)
    checks.require(issue.resolved_at is None, "issue_id", "The issue is already resolved")
    checks.raise_if_any()
    await writes.update(
        session,
        actor,
        issue,
        {
            "resolution": resolution,
            "resolution_notes": notes,
            "resolved_at": datetime.now(UTC),
            "resolved_by": actor.id,
        },
    )
    if shipment.status is InboundStatus.ISSUE:
        still_open = await session.scalars(
            select(InboundIssue.id).where(
                InboundIssue.shipment_id == shipment.id, InboundIssue.resolved_at.is_(None)
            )
        )
        if still_open.first() is None:
            await apply(session, actor, INBOUND_WORKFLOW, shipment, InboundStatus.STOCKED)
    return issue


async def update_items(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    items: Sequence[QcItem],
    expected_version: int | None = None,
) -> QcInspection:
    """Record a lot inspection's test items while it is open (IMMUTABLE once completed)."""
    inspection = await _inspection(session, actor, global_id)
    writes.check_version(inspection, expected_version)
    if inspection.subject_type is not QcSubjectType.LOT:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"Inspection {inspection.inspection_number} inspects a shipment: it has lines, "
            "not test items",
            ("input", "id"),
        )
    return await lot_inspections.set_items(session, actor, inspection, items)
