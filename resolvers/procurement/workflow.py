"""Procurement's state machines as data: suppliers (SPEC §2.4), purchase orders (§2.5) and
their payments (§2.5 "PO payment"). Statuses change only through resolvers.transitions; the
supplier cascade is the supplier moves' effect (resolvers.procurement.cascade)."""

from __future__ import annotations

from sqlalchemy import func, select

from auth.permissions import Permission
from db.models import PurchaseOrderLine, QcInspection, Supplier
from domain.errors import ErrorCode, Problem
from domain.fulfillment import (
    FAILING_RESULTS,
    PASSING_RESULTS,
    QcResult,
    QcStatus,
    QcSubjectType,
)
from domain.procurement import (
    CAN_ORDER,
    CAN_RECEIVE,
    PO_SEQUENCE,
    BlockKind,
    LotStatus,
    PaymentStatus,
    PoPaymentStatus,
    PurchaseOrderStatus,
    SupplierStatus,
    po_number,
)
from domain.workflow import Effect, Guard, Move, StateMachine
from resolvers import writes
from resolvers.domain_events import publish
from resolvers.events.procurement import (
    LotPassedQc,
    LotRejected,
    LotWithdrawn,
    PurchaseOrderCancelled,
    PurchaseOrderSubmitted,
    SupplierStatusChanged,
)
from resolvers.procurement.cascade import apply_cascade
from resolvers.procurement.rules import refresh_payment_status
from resolvers.sequences import next_value
from resolvers.transitions import TransitionContext, announce

MANAGE = Permission.MANAGE_PROCUREMENT
PAY = Permission.RECORD_PO_PAYMENTS

# -- suppliers ---------------------------------------------------------------------------------

SupplierCtx = TransitionContext[SupplierStatus]


async def record_supplier_change(ctx: SupplierCtx) -> None:
    """Who changed the status (SPEC §1.6 status_changed_by), then the cascade of §2.4 in the
    same transaction, then `supplier.status_changed` for other domains."""
    ctx.entity.status_changed_by = ctx.actor.id
    await apply_cascade(ctx, PURCHASE_ORDER_WORKFLOW, LOT_WORKFLOW)
    await publish(
        ctx.session,
        SupplierStatusChanged(ctx.entity, SupplierStatus(ctx.move.source), ctx.actor, ctx.now),
    )


def _supplier_move(source: SupplierStatus, target: SupplierStatus) -> Move[SupplierStatus]:
    blocking = target is SupplierStatus.BLOCKED
    return Move(
        source,
        target,
        MANAGE,
        f"Make the supplier {target.value}, with a reason"
        + (" and whether it is a quality or business block." if blocking else "."),
        requires=("status_reason", "block_kind") if blocking else ("status_reason",),
        writes=("status_reason", "block_kind") if blocking else ("status_reason",),
        stamps=("status_changed_at",),
    )


ACTIVE, INACTIVE, SUSPENDED, BLOCKED = (
    SupplierStatus.ACTIVE,
    SupplierStatus.INACTIVE,
    SupplierStatus.SUSPENDED,
    SupplierStatus.BLOCKED,
)

SUPPLIER_WORKFLOW = StateMachine(
    entity="Supplier",
    statuses=SupplierStatus,
    initial=ACTIVE,
    read=Permission.VIEW_PROCUREMENT,
    every_move=(record_supplier_change,),
    moves=(
        _supplier_move(ACTIVE, INACTIVE),
        _supplier_move(INACTIVE, ACTIVE),
        _supplier_move(ACTIVE, SUSPENDED),
        _supplier_move(SUSPENDED, ACTIVE),
        _supplier_move(SUSPENDED, BLOCKED),
    ),
)

# -- purchase orders ---------------------------------------------------------------------------

PoCtx = TransitionContext[PurchaseOrderStatus]
P = PurchaseOrderStatus


async def _supplier(ctx: PoCtx) -> Supplier:
    supplier = await ctx.session.get(Supplier, ctx.entity.supplier_id)
    assert supplier is not None  # a foreign key with ON DELETE RESTRICT
    return supplier


async def supplier_may_order(ctx: PoCtx) -> Problem | None:
    """SPEC §2.4: only an active supplier takes new orders."""
    supplier = await _supplier(ctx)
    if SupplierStatus(supplier.status) not in CAN_ORDER:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION,
            f"Supplier {supplier.code} is {supplier.status}; only an active supplier can be "
            "sent a purchase order",
        )
    return None


async def supplier_may_receive(ctx: PoCtx) -> Problem | None:
    """SPEC §2.4: a suspended ("Blocked") or blocked supplier's PO does not move forward."""
    supplier = await _supplier(ctx)
    if SupplierStatus(supplier.status) not in CAN_RECEIVE:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION,
            f"Supplier {supplier.code} is {supplier.status}; its purchase orders are blocked "
            "until it is active again",
        )
    return None


async def require_lines(ctx: PoCtx) -> Problem | None:
    count = (
        await ctx.session.execute(
            select(func.count())
            .select_from(PurchaseOrderLine)
            .where(PurchaseOrderLine.purchase_order_id == ctx.entity.id)
        )
    ).scalar_one()
    if count == 0:
        return ctx.problem(
            ErrorCode.VALIDATION, "Add at least one line before submitting the order", "lines"
        )
    return None


async def require_variants(ctx: PoCtx) -> Problem | None:
    """Stock is kept per variant (SPEC §1.7 Inventory): every line names its variant before
    the order goes out (a product with one variant gets it when the line is made)."""
    missing = (
        await ctx.session.execute(
            select(func.count())
            .select_from(PurchaseOrderLine)
            .where(
                PurchaseOrderLine.purchase_order_id == ctx.entity.id,
                PurchaseOrderLine.variant_id.is_(None),
            )
        )
    ).scalar_one()
    if missing:
        return ctx.problem(
            ErrorCode.VALIDATION,
            f"{missing} line(s) name no variant; give each line its variantId before "
            "submitting (stock is kept per variant)",
            "lines",
        )
    return None


async def _received(ctx: PoCtx) -> tuple[int, int]:
    """(Σ received, Σ ordered) over the lines, each line's received counted up to its
    quantity (an over-delivery does not make up for a short line)."""
    lines = (
        await ctx.session.scalars(
            select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == ctx.entity.id)
        )
    ).all()
    received = sum(min(line.quantity_received, line.quantity_ordered) for line in lines)
    return received, sum(line.quantity_ordered for line in lines)


async def require_partial_receipt(ctx: PoCtx) -> Problem | None:
    received, ordered = await _received(ctx)
    if not 0 < received < ordered:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION,
            f"{received} of {ordered} units are received; partially received needs some "
            "but not all",
        )
    return None


async def require_full_receipt(ctx: PoCtx) -> Problem | None:
    """Received once every line is in, or short-closed with a reason (the rest never comes)."""
    received, ordered = await _received(ctx)
    if received < ordered and not ctx.reason:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION,
            f"Only {received} of {ordered} units are received; give a reason to accept the "
            "order as received anyway",
            "reason",
        )
    return None


async def require_paid(ctx: PoCtx) -> Problem | None:
    """SPEC §2.5: closed requires payment_status = paid."""
    if PaymentStatus(ctx.entity.payment_status) is not PaymentStatus.PAID:
        return ctx.problem(
            ErrorCode.INVALID_TRANSITION,
            f"Purchase order {ctx.entity.po_number} is {ctx.entity.payment_status}; it can be "
            "closed once confirmed payments cover its total",
        )
    return None


async def assign_po_number(ctx: PoCtx) -> None:
    """BR-38: PO-YYYY-NNNN from the shared per-year counter, at submit."""
    now = ctx.now
    number = await next_value(ctx.session, PO_SEQUENCE, now.year)
    values = {"po_number": po_number(now.year, number), "ordered_at": now}
    await writes.update(ctx.session, ctx.actor, ctx.entity, values)


async def announce_cancelled(ctx: PoCtx) -> None:
    await publish(
        ctx.session,
        PurchaseOrderCancelled(ctx.entity, ctx.actor, ctx.now, P(ctx.move.source)),
    )


def _po_move(
    source: P,
    target: P,
    description: str,
    *guards: Guard,
    stamps: tuple[str, ...] = (),
    effects: tuple[Effect, ...] = (),
    permission: Permission = MANAGE,
) -> Move[P]:
    return Move(
        source,
        target,
        permission,
        description,
        guards=guards,
        stamps=("status_changed_at", *stamps),
        effects=effects,
    )


def _cancel(source: P) -> Move[P]:
    return Move(
        source,
        P.CANCELLED,
        MANAGE,
        "Cancel the purchase order with a reason (lowers incoming once submitted).",
        requires=("cancel_reason",),
        writes=("cancel_reason",),
        stamps=("status_changed_at", "cancelled_at"),
        effects=(announce_cancelled,),
    )


_SHIP = "The supplier shipped"
_RECEIVE_PART = "Part of the order is received (receiving sets it)."
_RECEIVE_ALL = "Everything is received, or the rest is given up with a reason."
_ARRIVALS = (P.CONFIRMED, P.PARTIALLY_SHIPPED, P.SHIPPED)

PURCHASE_ORDER_WORKFLOW = StateMachine(
    entity="PurchaseOrder",
    statuses=P,
    initial=P.DRAFT,
    read=Permission.VIEW_PROCUREMENT,
    moves=(
        _po_move(
            P.DRAFT,
            P.SUBMITTED,
            "Submit the draft: assigns its PO number and puts its lines on order.",
            require_lines,
            require_variants,
            supplier_may_order,
            effects=(assign_po_number, announce(PurchaseOrderSubmitted)),
        ),
        _po_move(
            P.SUBMITTED,
            P.CONFIRMED,
            "The supplier confirmed the order.",
            supplier_may_receive,
            stamps=("confirmed_at",),
        ),
        _po_move(P.CONFIRMED, P.PARTIALLY_SHIPPED, f"{_SHIP} part.", supplier_may_receive),
        _po_move(P.CONFIRMED, P.SHIPPED, f"{_SHIP} everything.", supplier_may_receive),
        _po_move(P.PARTIALLY_SHIPPED, P.SHIPPED, f"{_SHIP} the rest.", supplier_may_receive),
        *(
            _po_move(
                source,
                P.PARTIALLY_RECEIVED,
                _RECEIVE_PART,
                supplier_may_receive,
                require_partial_receipt,
            )
            for source in _ARRIVALS
        ),
        *(
            _po_move(
                source,
                P.RECEIVED,
                _RECEIVE_ALL,
                supplier_may_receive,
                require_full_receipt,
                stamps=("received_at",),
            )
            for source in (*_ARRIVALS, P.PARTIALLY_RECEIVED)
        ),
        _po_move(
            P.RECEIVED,
            P.CLOSED,
            "Close a received order once it is paid.",
            require_paid,
            stamps=("closed_at",),
        ),
        _cancel(P.DRAFT),
        _cancel(P.SUBMITTED),
        _cancel(P.CONFIRMED),
    ),
)

# -- payments ----------------------------------------------------------------------------------

PayCtx = TransitionContext[PoPaymentStatus]


async def refresh_po(ctx: PayCtx) -> None:
    """A confirmed payment counts towards its PO's payment status at once."""
    await refresh_payment_status(ctx.session, ctx.actor, ctx.entity.purchase_order_id)


PAYMENT_WORKFLOW = StateMachine(
    entity="PurchaseOrderPayment",
    statuses=PoPaymentStatus,
    initial=PoPaymentStatus.PENDING,
    read=Permission.VIEW_PROCUREMENT,
    moves=(
        Move(
            PoPaymentStatus.PENDING,
            PoPaymentStatus.CONFIRMED,
            PAY,
            "The payment arrived: it counts towards the PO's payment status.",
            stamps=("confirmed_at",),
            effects=(refresh_po,),
        ),
        Move(
            PoPaymentStatus.PENDING,
            PoPaymentStatus.FAILED,
            PAY,
            "The payment failed (bounced, reverted, never confirmed), with a reason.",
            requires=("failure_reason",),
            writes=("failure_reason",),
            stamps=("failed_at",),
        ),
    ),
)

# -- lots (SPEC §2.6, §9 #18, BR-19, BR-42) ----------------------------------------------------

L = LotStatus
QC = Permission.PERFORM_QC
LotCtx = TransitionContext[LotStatus]

# The input by which the 3PL's QC inspection of the lot (subject LOT) reaches the move: the
# LotQcStarted / LotQcCompleted handlers give it, `transitionLot` cannot. Procurement reads
# the inspection the event carries, never the fulfillment domain.
QC_INSPECTION = "qc_inspection"
_BY_QC = "Lots are {verb} by their QC inspection: {how}"


def _inspection(ctx: LotCtx) -> QcInspection | None:
    """The inspection of this lot the move was given, if any."""
    inspection = ctx.inputs.get(QC_INSPECTION)
    if (
        isinstance(inspection, QcInspection)
        and inspection.subject_type is QcSubjectType.LOT
        and inspection.subject_id == ctx.entity.id
    ):
        return inspection
    return None


def _by_qc(ctx: LotCtx, verb: str, how: str) -> Problem:
    return ctx.problem(
        ErrorCode.INVALID_TRANSITION,
        f"Lot {ctx.entity.lot_number}: " + _BY_QC.format(verb=verb, how=how),
        "status",
    )


async def qc_started(ctx: LotCtx) -> Problem | None:
    """BR-42: a pending lot is quarantined when its inspection starts — or when its supplier
    is blocked for quality (SPEC §2.4 cascade, §9 #18)."""
    inspection = _inspection(ctx)
    if inspection is not None and inspection.status is not QcStatus.PENDING:
        return None
    supplier = await ctx.session.get(Supplier, ctx.entity.supplier_id)
    if (
        supplier is not None
        and SupplierStatus(supplier.status) is SupplierStatus.BLOCKED
        and supplier.block_kind == BlockKind.QUALITY
    ):
        return None
    return _by_qc(
        ctx, "quarantined", "createLotQcInspection, then startQcInspection quarantines the lot"
    )


def _qc_completed(results: frozenset[QcResult], verb: str, how: str) -> Guard:
    """The move needs the lot's completed inspection with one of `results`."""

    async def guard(ctx: LotCtx) -> Problem | None:
        inspection = _inspection(ctx)
        if (
            inspection is not None
            and inspection.status is QcStatus.COMPLETED
            and inspection.result in results
        ):
            return None
        return _by_qc(ctx, verb, how)

    return guard


qc_passed = _qc_completed(
    PASSING_RESULTS,
    "released",
    "completeQcInspection with PASS or PASS_WITH_NOTES makes the lot ACTIVE "
    "(a quarantined lot gets a new inspection: createLotQcInspection, startQcInspection)",
)
qc_failed = _qc_completed(
    FAILING_RESULTS,
    "rejected",
    "completeQcInspection with FAIL_REWORK or FAIL_REJECT makes the lot REJECTED",
)


def _lot_move(
    source: LotStatus,
    target: LotStatus,
    permission: Permission,
    description: str,
    *guards: Guard,
    reason: bool = False,
    effects: tuple[Effect, ...] = (),
) -> Move[LotStatus]:
    return Move(
        source,
        target,
        permission,
        description,
        requires=("status_reason",) if reason else (),
        writes=("status_reason",),
        guards=guards,
        stamps=("status_changed_at",),
        effects=effects,
        # A guarded lot move is made by QC (or the supplier cascade), never offered by hand.
        manual=not guards,
    )


LOT_WORKFLOW = StateMachine(
    entity="Lot",
    statuses=LotStatus,
    initial=L.PENDING,
    read=Permission.VIEW_PROCUREMENT,
    moves=(
        _lot_move(
            L.PENDING,
            L.QUARANTINED,
            QC,
            "QC started (BR-42), or a quality block of its supplier: quarantined.",
            qc_started,
        ),
        _lot_move(
            L.QUARANTINED,
            L.ACTIVE,
            QC,
            "QC passed: its units are stock, the PO's incoming goes down.",
            qc_passed,
            effects=(announce(LotPassedQc),),
        ),
        _lot_move(
            L.QUARANTINED,
            L.REJECTED,
            QC,
            "QC failed, with a reason: the PO's incoming goes down.",
            qc_failed,
            reason=True,
            effects=(announce(LotRejected),),
        ),
        _lot_move(
            L.ACTIVE,
            L.RECALLED,
            MANAGE,
            "Recall, with a reason: its stock leaves.",
            reason=True,
            effects=(announce(LotWithdrawn),),
        ),
        _lot_move(
            L.ACTIVE,
            L.EXPIRED,
            MANAGE,
            "Expired (the daily `expire-lots` command): its stock leaves.",
            effects=(announce(LotWithdrawn),),
        ),
        _lot_move(
            L.ACTIVE,
            L.QUARANTINED,
            Permission.QUARANTINE_LOTS,
            "Back into quarantine, with a reason (admins; a supplier's quality block).",
            reason=True,
        ),
    ),
)
