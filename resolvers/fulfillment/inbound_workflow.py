"""The inbound shipment (SPEC §2.8 Rec merged) and QC inspection (§2.11 Rec) state machines.

Receiving, starting and completing an inspection are mutations of their own
(resolvers/fulfillment/inbound.py, inspections.py) that apply these moves with the inputs
they gathered: the moves into INSPECTING, STOCKED and ISSUE are made by inspections only,
so a shipment cannot be stocked without QC having decided what goes on the shelf.
"""

from __future__ import annotations

from sqlalchemy import func, select

from auth.permissions import Permission
from db.models import InboundIssue, QcPhoto
from domain.errors import ErrorCode, Problem
from domain.fulfillment import InboundSourceType, InboundStatus, QcPhotoKind, QcStatus
from domain.workflow import Move, StateMachine
from resolvers.owners import MANUFACTURER_RECORD
from resolvers.transitions import TransitionContext

EXPECTED, IN_TRANSIT, DELIVERED, RECEIVED, INSPECTING, STOCKED, ISSUE, CANCELLED = (
    InboundStatus.EXPECTED,
    InboundStatus.IN_TRANSIT,
    InboundStatus.DELIVERED,
    InboundStatus.RECEIVED,
    InboundStatus.INSPECTING,
    InboundStatus.STOCKED,
    InboundStatus.ISSUE,
    InboundStatus.CANCELLED,
)
MANAGE = Permission.MANAGE_INBOUND
QC = Permission.PERFORM_QC

# What arrives with a receipt (BR-41): condition and temperature; who and when are stamped.
_RECEIPT = ("package_condition", "temperature_on_arrival", "received_by")
# Moves the shipment's own mutation (transitionInboundShipment) may make; the others belong
# to receiving and to inspections.
MANUAL_TARGETS = frozenset({IN_TRANSIT, DELIVERED})


async def no_open_issue(ctx: TransitionContext[InboundStatus]) -> Problem | None:
    """ISSUE → STOCKED once every issue its inspection raised is resolved."""
    open_issues = (
        select(func.count())
        .select_from(InboundIssue)
        .where(InboundIssue.shipment_id == ctx.entity.id, InboundIssue.resolved_at.is_(None))
    )
    if (await ctx.session.execute(open_issues)).scalar_one():
        return ctx.problem(ErrorCode.INVALID_TRANSITION, "Resolve the shipment's open issues first")
    return None


async def purchase_order_shipment(ctx: TransitionContext[InboundStatus]) -> Problem | None:
    """Only a purchase order's shipment is cancelled (with its PO); a job's goods exist."""
    if ctx.entity.source_type is not InboundSourceType.PURCHASE_ORDER:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION, "Only a purchase order's shipment is cancelled"
        )
    return None


def _receive(source: InboundStatus) -> Move[InboundStatus]:
    return Move(
        source,
        RECEIVED,
        MANAGE,
        "Received at the center: package condition (required) and temperature recorded.",
        requires=("package_condition",),
        writes=_RECEIPT,
        stamps=("received_at",),
    )


INBOUND_WORKFLOW = StateMachine(
    entity="InboundShipment",
    statuses=InboundStatus,
    initial=EXPECTED,
    read=Permission.VIEW_INBOUND,
    owner=MANUFACTURER_RECORD,
    moves=(
        Move(
            EXPECTED,
            IN_TRANSIT,
            MANAGE,
            "The carrier has it (tracking may be corrected on the way).",
            writes=("carrier", "tracking_number", "tracking_url", "expected_arrival"),
            stamps=("in_transit_at",),
        ),
        Move(
            IN_TRANSIT,
            DELIVERED,
            MANAGE,
            "Delivered at the center's dock.",
            stamps=("delivered_at",),
        ),
        _receive(DELIVERED),
        # §2.8 Rec: a shipment may be received straight from EXPECTED (no carrier updates).
        _receive(EXPECTED),
        Move(
            RECEIVED,
            INSPECTING,
            QC,
            "QC starts (an inspection moves it to IN_PROGRESS).",
            stamps=("inspection_started_at",),
        ),
        Move(
            INSPECTING, STOCKED, QC, "Every unit passed QC and is stocked.", stamps=("stocked_at",)
        ),
        Move(
            INSPECTING,
            ISSUE,
            QC,
            "Some or all units failed QC (or it is on hold); the passed ones are stocked.",
            stamps=("issue_at",),
        ),
        Move(
            ISSUE,
            STOCKED,
            QC,
            "Every issue resolved.",
            guards=(no_open_issue,),
            stamps=("stocked_at",),
        ),
        # Issue 27 item 5: a purchase order cancelled before its goods came takes its
        # shipment with it (the PO cancellation's reaction; no mutation of its own).
        *(
            Move(
                source,
                CANCELLED,
                MANAGE,
                "Its purchase order was cancelled.",
                guards=(purchase_order_shipment,),
            )
            for source in (EXPECTED, IN_TRANSIT, DELIVERED)
        ),
    ),
)


async def defect_photo_for_failures(ctx: TransitionContext[QcStatus]) -> Problem | None:
    """BR-21: failures require photos — at least one DEFECT photo on the inspection."""
    if not ctx.inputs.get("failed_units"):
        return None
    defects = (
        select(func.count())
        .select_from(QcPhoto)
        .where(QcPhoto.inspection_id == ctx.entity.id, QcPhoto.kind == QcPhotoKind.DEFECT)
    )
    if (await ctx.session.execute(defects)).scalar_one() == 0:
        return ctx.problem(
            ErrorCode.VALIDATION,
            "Failed units need at least one DEFECT photo: add one (addQcPhoto) first",
            "result",
        )
    return None


QC_WORKFLOW = StateMachine(
    entity="QcInspection",
    statuses=QcStatus,
    initial=QcStatus.PENDING,
    read=Permission.VIEW_INBOUND,
    owner=MANUFACTURER_RECORD,
    moves=(
        Move(
            QcStatus.PENDING,
            QcStatus.IN_PROGRESS,
            QC,
            "The inspector starts; the shipment moves to INSPECTING.",
            stamps=("started_at",),
        ),
        Move(
            QcStatus.IN_PROGRESS,
            QcStatus.COMPLETED,
            QC,
            "Results recorded: passed units are stocked, failed ones raise an issue.",
            requires=("result",),
            writes=("result", "notes", "checklist"),
            guards=(defect_photo_for_failures,),
            stamps=("completed_at",),
        ),
    ),
)
