"""QC inspections of procurement's lots (issue 27 item 7): the 3PL's inspection with subject
LOT, numbered QC-YYYY-NNNN like every inspection, holding test items (parameter, method,
expected, observed, unit, passes) and a result that agrees with them.

Starting one publishes LotQcStarted (procurement quarantines the lot), completing it
LotQcCompleted (procurement moves the lot to ACTIVE or REJECTED through LOT_WORKFLOW, whose
events bring the ledger along, BR-19). A completed inspection is final: its items refuse
changes (IMMUTABLE)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import Lot, QcInspection
from domain.errors import ErrorCode, Problem, UserErrors
from domain.fulfillment import QcResult, QcStatus, QcSubjectType, inspection_number
from domain.lot_qc import MAX_ITEMS, QcItem, item_problems, lot_result_problem, passes
from domain.procurement import LotStatus
from domain.validation import Checks
from resolvers import writes
from resolvers.domain_events import publish
from resolvers.events.lot_qc import LotQcCompleted, LotQcStarted
from resolvers.fulfillment.inbound_workflow import QC_WORKFLOW
from resolvers.ids import decode_input_id
from resolvers.lookup import not_found
from resolvers.sequences import next_value
from resolvers.transitions import apply

MAX_TEXT = 5000


def check_items(items: Sequence[QcItem] | None) -> None:
    """VALIDATION at input.items.<i>.<field> for each bad item; nothing when none given."""
    if items is None:
        return
    problems: list[Problem] = []
    if len(items) > MAX_ITEMS:
        problems.append(
            Problem(ErrorCode.VALIDATION, f"At most {MAX_ITEMS} items", ("input", "items"))
        )
    for index, item in enumerate(items):
        problems += [
            Problem(ErrorCode.VALIDATION, message, ("input", "items", str(index), field))
            for field, message in item_problems(item)
        ]
    if problems:
        raise UserErrors(problems)


def items_of(inspection: QcInspection) -> list[QcItem]:
    return [
        QcItem(
            parameter=str(entry["parameter"]),
            test_method=entry.get("test_method"),
            expected=entry.get("expected"),
            observed=entry.get("observed"),
            unit=entry.get("unit"),
            passes=bool(entry.get("passes")),
        )
        for entry in inspection.items or []
    ]


async def create_lot_inspection(
    session: AsyncSession,
    actor: Actor,
    lot_id: str,
    items: Sequence[QcItem] | None = None,
    notes: str | None = None,
) -> QcInspection:
    """A PENDING inspection of a lot awaiting QC (PENDING, or QUARANTINED by a supplier's
    block or an admin), one open inspection per lot, with its planned or measured items."""
    check_items(items)
    checks = Checks()
    checks.text("notes", notes, max_length=MAX_TEXT, required=False)
    checks.raise_if_any()
    pk = decode_input_id(lot_id, "Lot", "lot_id")
    lot = await session.get(Lot, pk, with_for_update=True)
    if lot is None:
        raise not_found("Lot", lot_id, "lot_id")
    if LotStatus(lot.status) not in (LotStatus.PENDING, LotStatus.QUARANTINED):
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Lot {lot.lot_number} is {lot.status.upper()}: only a PENDING or QUARANTINED "
            "lot is inspected",
            ("input", "lotId"),
        )
    existing = (
        await session.scalars(
            select(QcInspection.inspection_number).where(
                QcInspection.subject_type == QcSubjectType.LOT,
                QcInspection.subject_id == lot.id,
                QcInspection.status != QcStatus.COMPLETED,
            )
        )
    ).first()
    if existing is not None:
        raise UserErrors.one(
            ErrorCode.CONFLICT,
            f"Inspection {existing} of this lot is still open",
            ("input", "lotId"),
        )
    now = datetime.now(UTC)
    sequence = await next_value(session, "qc_inspection", now.year)
    return await writes.create(
        session,
        actor,
        QcInspection(
            inspection_number=inspection_number(now.year, sequence),
            subject_type=QcSubjectType.LOT,
            subject_id=lot.id,
            manufacturer_id=None,
            status=QC_WORKFLOW.initial,
            items=[item.as_json() for item in items] if items is not None else None,
            notes=notes,
        ),
    )


def refuse_if_completed(inspection: QcInspection) -> None:
    if inspection.status is QcStatus.COMPLETED:
        raise UserErrors.one(
            ErrorCode.IMMUTABLE,
            f"Inspection {inspection.inspection_number} is completed: it cannot change",
            ("input", "id"),
        )


async def set_items(
    session: AsyncSession, actor: Actor, inspection: QcInspection, items: Sequence[QcItem]
) -> QcInspection:
    """Replace an open inspection's items (results come in test by test)."""
    refuse_if_completed(inspection)
    check_items(items)
    await writes.update(session, actor, inspection, {"items": [i.as_json() for i in items]})
    return inspection


async def start(
    session: AsyncSession,
    actor: Actor,
    inspection: QcInspection,
    expected_version: int | None,
) -> QcInspection:
    """PENDING → IN_PROGRESS; the lot is quarantined (procurement's reaction)."""
    context = await apply(
        session,
        actor,
        QC_WORKFLOW,
        inspection,
        QcStatus.IN_PROGRESS,
        expected_version=expected_version,
    )
    await writes.update(session, actor, inspection, {"inspector": actor.id})
    await publish(session, LotQcStarted(inspection, inspection.subject_id, actor, context.now))
    return inspection


async def complete(
    session: AsyncSession,
    actor: Actor,
    inspection: QcInspection,
    result: QcResult,
    *,
    items: Sequence[QcItem] | None,
    notes: str | None,
    expected_version: int | None,
) -> QcInspection:
    """IN_PROGRESS → COMPLETED with the result (and the items, when given now): the lot
    passes (ACTIVE) or is rejected (REJECTED, the failing items as its reason)."""
    refuse_if_completed(inspection)
    check_items(items)
    final = list(items) if items is not None else items_of(inspection)
    problem = lot_result_problem(result, final)
    if problem:
        raise UserErrors.one(ErrorCode.VALIDATION, problem, ("input", "result"))
    context = await apply(
        session,
        actor,
        QC_WORKFLOW,
        inspection,
        QcStatus.COMPLETED,
        expected_version=expected_version,
        inputs={"result": result, "notes": notes, "checklist": inspection.checklist},
    )
    if items is not None:
        await writes.update(session, actor, inspection, {"items": [i.as_json() for i in final]})
    failing = ", ".join(
        f"{item.parameter} {item.observed or ''}{item.unit or ''}".strip()
        for item in final
        if not item.passes
    )
    reason = f"{inspection.inspection_number} {result.value}" + (f": {failing}" if failing else "")
    await publish(
        session,
        LotQcCompleted(
            inspection,
            inspection.subject_id,
            actor,
            context.now,
            passed=passes(result),
            reason=reason,
        ),
    )
    return inspection
