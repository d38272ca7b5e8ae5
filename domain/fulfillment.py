"""The 3PL (SPEC §1.7, §2.8-§2.11, BR-11..BR-23): fulfillment centers, the inventory ledger,
inbound and outbound shipments. Vocabularies, the ledger's arithmetic and who holds what.

The ledger's arithmetic lives here, apart from the database, so that the one function that
writes a transaction (resolvers/fulfillment/ledger.py) and the property tests share it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from urllib.parse import quote

from domain.errors import ErrorCode
from domain.permissions import ALL, OWN, Permission, Role, grants


class CenterCapability(StrEnum):
    RECEIVE = "receive"
    SHIP = "ship"
    STORE = "store"


class LedgerKind(StrEnum):
    """What an inventory transaction does to its level (SPEC §1.7, §2.10 Rec, BR-12..BR-16,
    BR-19)."""

    STOCK_IN = "STOCK_IN"  # on hand +q (passed QC, a count found more)
    RESERVE = "RESERVE"  # reserved +q; refused above what is available
    UNRESERVE = "UNRESERVE"  # reserved -q
    PICK = "PICK"  # on hand -q and reserved -q (the goods leave the shelf)
    ADJUSTMENT = "ADJUSTMENT"  # on hand ±q, with a reason code
    INCOMING = "INCOMING"  # incoming ±q (expected on an inbound or purchase order)


class LedgerReference(StrEnum):
    """What a transaction answers to."""

    INBOUND_SHIPMENT = "INBOUND_SHIPMENT"
    OUTBOUND_SHIPMENT = "OUTBOUND_SHIPMENT"
    ORDER = "ORDER"
    ADJUSTMENT = "ADJUSTMENT"
    PURCHASE_ORDER = "PURCHASE_ORDER"
    LOT = "LOT"


class AdjustmentReason(StrEnum):
    """BR-16's reason codes, the only ones an adjustment may give."""

    COUNT_CORRECTION = "COUNT_CORRECTION"
    DAMAGE_LOSS = "DAMAGE_LOSS"
    SAMPLE_DEMO_USE = "SAMPLE_DEMO_USE"
    CUSTOMER_RETURN = "CUSTOMER_RETURN"
    THEFT = "THEFT"  # requires investigation: the note is mandatory
    SYSTEM_ERROR = "SYSTEM_ERROR"
    # A recalled or expired lot's stock leaving (procurement, BR-19; written by the system).
    LOT_WITHDRAWN = "LOT_WITHDRAWN"


# Reasons whose adjustment must say what happened.
REASONS_NEEDING_NOTE = frozenset({AdjustmentReason.THEFT})


class AdjustmentStatus(StrEnum):
    PENDING_APPROVAL = "PENDING_APPROVAL"
    APPLIED = "APPLIED"
    REJECTED = "REJECTED"


class OutboundStatus(StrEnum):
    """SPEC §2.9 Rec: PENDING → PICKING → PACKING → PACKED → SHIPPED → (IN_TRANSIT) →
    DELIVERED, and CANCELED before anything leaves."""

    PENDING = "PENDING"
    PICKING = "PICKING"
    PACKING = "PACKING"
    PACKED = "PACKED"
    SHIPPED = "SHIPPED"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    CANCELED = "CANCELED"


# Statuses in which a package has left the building.
OUTBOUND_LEFT = frozenset(
    {OutboundStatus.SHIPPED, OutboundStatus.IN_TRANSIT, OutboundStatus.DELIVERED}
)
OUTBOUND_OPEN = frozenset(
    {OutboundStatus.PENDING, OutboundStatus.PICKING, OutboundStatus.PACKING, OutboundStatus.PACKED}
)


class OrderFulfillment(StrEnum):
    """An order's derived fulfillment status (SPEC §2.2 Rec, BR-22), from its outbound
    shipments: which of its units are in a live package, and where those packages are."""

    AWAITING_ITEMS = "AWAITING_ITEMS"  # some units are in no package yet
    READY_TO_SHIP = "READY_TO_SHIP"  # every unit is in a package; none has left
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"  # some packages have left
    SHIPPED = "SHIPPED"  # every package has left (BR-22: shipped only when all have)
    DELIVERED = "DELIVERED"  # every package was delivered


def order_fulfillment(
    unpackaged_units: int, package_statuses: list[OutboundStatus]
) -> OrderFulfillment:
    """The derived status of an order with `unpackaged_units` in no live package and live
    (not canceled) packages in `package_statuses`."""
    live = [s for s in package_statuses if s is not OutboundStatus.CANCELED]
    left = [s for s in live if s in OUTBOUND_LEFT]
    if unpackaged_units > 0 or not live:
        return OrderFulfillment.PARTIALLY_SHIPPED if left else OrderFulfillment.AWAITING_ITEMS
    if all(s is OutboundStatus.DELIVERED for s in live):
        return OrderFulfillment.DELIVERED
    if len(left) == len(live):
        return OrderFulfillment.SHIPPED
    return OrderFulfillment.PARTIALLY_SHIPPED if left else OrderFulfillment.READY_TO_SHIP


class InventoryAlertKind(StrEnum):
    """BR-18."""

    LOW_STOCK = "LOW_STOCK"  # available below the reorder point
    OVERSTOCK = "OVERSTOCK"  # on hand above the max threshold
    AGING = "AGING"  # stock with no movement for the aging window


@dataclass(frozen=True)
class LevelQuantities:
    on_hand: int = 0
    reserved: int = 0
    incoming: int = 0

    @property
    def available(self) -> int:
        """BR-11: available = on hand - reserved."""
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class Movement:
    """What one transaction changes, each a signed difference."""

    on_hand: int = 0
    reserved: int = 0
    incoming: int = 0


def movement(kind: LedgerKind, quantity: int) -> Movement:
    """The change a transaction of `kind` and `quantity` makes. Quantities are positive
    except for adjustments and incoming, which are signed (and never zero)."""
    match kind:
        case LedgerKind.STOCK_IN:
            return Movement(on_hand=quantity)
        case LedgerKind.RESERVE:
            return Movement(reserved=quantity)
        case LedgerKind.UNRESERVE:
            return Movement(reserved=-quantity)
        case LedgerKind.PICK:
            return Movement(on_hand=-quantity, reserved=-quantity)
        case LedgerKind.ADJUSTMENT:
            return Movement(on_hand=quantity)
        case LedgerKind.INCOMING:
            return Movement(incoming=quantity)


SIGNED_KINDS = frozenset({LedgerKind.ADJUSTMENT, LedgerKind.INCOMING})


@dataclass(frozen=True)
class LedgerRefusal:
    code: ErrorCode
    message: str


def refusal(kind: LedgerKind, quantity: int, level: LevelQuantities) -> LedgerRefusal | None:
    """Why a transaction may not apply to `level`, or None. The invariants (on hand ≥ 0,
    0 ≤ reserved ≤ on hand, incoming ≥ 0) hold after every transaction that is allowed."""
    if kind in SIGNED_KINDS:
        if quantity == 0:
            return LedgerRefusal(ErrorCode.VALIDATION, "quantity must not be zero")
    elif quantity <= 0:
        return LedgerRefusal(ErrorCode.VALIDATION, "quantity must be positive")
    after = apply(level, movement(kind, quantity))
    if after.incoming < 0:
        return LedgerRefusal(
            ErrorCode.INSUFFICIENT_STOCK,
            f"only {level.incoming} incoming; cannot lower it by {-quantity}",
        )
    if kind is LedgerKind.RESERVE and after.reserved > after.on_hand:
        return LedgerRefusal(
            ErrorCode.INSUFFICIENT_STOCK,
            f"only {level.available} available; cannot reserve {quantity}",
        )
    if after.reserved < 0:
        return LedgerRefusal(
            ErrorCode.INSUFFICIENT_STOCK,
            f"only {level.reserved} reserved; cannot release or pick {quantity}",
        )
    if after.on_hand < 0 or after.reserved > after.on_hand:
        return LedgerRefusal(
            ErrorCode.INSUFFICIENT_STOCK,
            f"only {level.available} available (on hand {level.on_hand}, reserved "
            f"{level.reserved}); cannot remove {-movement(kind, quantity).on_hand}",
        )
    return None


def apply(level: LevelQuantities, change: Movement) -> LevelQuantities:
    return LevelQuantities(
        on_hand=level.on_hand + change.on_hand,
        reserved=level.reserved + change.reserved,
        incoming=level.incoming + change.incoming,
    )


def needs_approval(quantity: int, threshold: int) -> bool:
    """BR-16: an adjustment of more than `threshold` units (either way) waits for an admin."""
    return abs(quantity) > threshold


# BR-40: where a carrier's customers follow a tracking number.
TRACKING_URLS = {
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={n}",
    "UPS": "https://www.ups.com/track?tracknum={n}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}",
    "DHL": "https://www.dhl.com/us-en/home/tracking.html?tracking-id={n}",
}


def tracking_url(carrier: str | None, number: str | None) -> str | None:
    """BR-40's link for a carrier and number, None for carriers without one."""
    if carrier is None or not number:
        return None
    template = TRACKING_URLS.get(carrier)
    if template is None:
        return None
    return template.format(n=quote(number, safe=""))


# -- inbound shipments and QC (SPEC §2.8, §2.11, BR-21, BR-23, BR-42) ----------


class InboundStatus(StrEnum):
    """SPEC §2.8 Rec merged: EXPECTED → IN_TRANSIT → DELIVERED → RECEIVED → INSPECTING →
    STOCKED | ISSUE (EXPECTED → RECEIVED allowed; ISSUE → STOCKED once resolved)."""

    EXPECTED = "EXPECTED"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    RECEIVED = "RECEIVED"
    INSPECTING = "INSPECTING"
    STOCKED = "STOCKED"
    ISSUE = "ISSUE"
    # A purchase order cancelled before its goods arrived (issue 27 item 5).
    CANCELLED = "CANCELLED"


# Statuses in which goods are still on their way: the lost-shipment check (BR-23) looks here.
INBOUND_ON_THE_WAY = frozenset({InboundStatus.EXPECTED, InboundStatus.IN_TRANSIT})
# Not yet received (a delivered box is still to be counted): a center's "inbound awaiting".
INBOUND_AWAITING = INBOUND_ON_THE_WAY | {InboundStatus.DELIVERED}


class InboundSourceType(StrEnum):
    """Where an inbound shipment comes from: a kind and an id (SPEC §1.7 `source_type`).
    A purchase order's shipment is made when the PO is submitted and received with it."""

    MANUFACTURING_JOB = "MANUFACTURING_JOB"
    PURCHASE_ORDER = "PURCHASE_ORDER"


class PackageCondition(StrEnum):
    GOOD = "GOOD"
    DAMAGED = "DAMAGED"
    TAMPERED = "TAMPERED"


class QcStatus(StrEnum):
    """SPEC §2.11 Rec: PENDING → IN_PROGRESS → COMPLETED, plus a result."""

    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"


class QcResult(StrEnum):
    """SPEC §2.11 [003 §7.4]."""

    PASS = "PASS"
    PASS_WITH_NOTES = "PASS_WITH_NOTES"  # minor, acceptable
    HOLD = "HOLD"  # manager review: nothing is stocked yet
    FAIL_REWORK = "FAIL_REWORK"  # return to the manufacturer
    FAIL_REJECT = "FAIL_REJECT"  # manufacturer credit required


PASSING_RESULTS = frozenset({QcResult.PASS, QcResult.PASS_WITH_NOTES})
FAILING_RESULTS = frozenset({QcResult.FAIL_REWORK, QcResult.FAIL_REJECT})


class QcSubjectType(StrEnum):
    """What an inspection inspects: a kind and an id (SPEC §1.7 "lot_id XOR
    inbound_shipment_id"): a received shipment, or one of procurement's lots."""

    INBOUND_SHIPMENT = "INBOUND_SHIPMENT"
    LOT = "LOT"


class QcPhotoKind(StrEnum):
    """[003] photos: overview, defect, comparison. A failure needs a defect photo (BR-21)."""

    OVERVIEW = "OVERVIEW"
    DEFECT = "DEFECT"
    COMPARISON = "COMPARISON"


class QcBulk(StrEnum):
    """BR-21: bulk pass-all and fail-all."""

    PASS_ALL = "PASS_ALL"
    FAIL_ALL = "FAIL_ALL"


class InboundIssueResolution(StrEnum):
    """BR-21: what happens to failed goods."""

    REWORK = "REWORK"
    CREDIT = "CREDIT"
    REPLACE = "REPLACE"
    PARTIAL_ACCEPT = "PARTIAL_ACCEPT"


# -- receiving and inspecting --------------------------------------------------------------


INB_PREFIX = "INB"
QC_PREFIX = "QC"


def inbound_number(year: int, sequence: int) -> str:
    """`INB-{YYYY}-{NNNN}` (API.md: counters from the shared mechanism, per year)."""
    return f"{INB_PREFIX}-{year}-{sequence:04d}"


def inspection_number(year: int, sequence: int) -> str:
    """BR-42: `QC-{YYYY}-{NNNN}`."""
    return f"{QC_PREFIX}-{year}-{sequence:04d}"


@dataclass(frozen=True)
class LineVerdict:
    """One inspected line: how many were received, passed and failed."""

    received: int
    passed: int
    failed: int


def verdict_problem(line: LineVerdict) -> str | None:
    """Why a line's figures cannot stand: every received unit is either passed or failed."""
    if line.passed < 0 or line.failed < 0:
        return "passed and failed quantities cannot be negative"
    if line.passed + line.failed != line.received:
        return (
            f"passed ({line.passed}) and failed ({line.failed}) must add up to the "
            f"{line.received} received"
        )
    return None


def bulk_verdict(bulk: QcBulk, received: int) -> LineVerdict:
    """A line under pass-all or fail-all."""
    if bulk is QcBulk.PASS_ALL:
        return LineVerdict(received, received, 0)
    return LineVerdict(received, 0, received)


def result_problem(result: QcResult, lines: Iterable[LineVerdict]) -> str | None:
    """Whether the result agrees with the lines: a pass fails nothing; a failure fails
    something; a hold may have either (nothing is stocked while held)."""
    failed = sum(line.failed for line in lines)
    if result in PASSING_RESULTS and failed:
        return f"{result.value} cannot fail units ({failed} failed); use FAIL_REWORK or FAIL_REJECT"
    if result in FAILING_RESULTS and not failed:
        return f"{result.value} needs at least one failed unit"
    return None


def inbound_outcome(result: QcResult, lines: Iterable[LineVerdict]) -> InboundStatus:
    """SPEC §2.8 Rec: STOCKED when every unit passed; ISSUE otherwise (all failed, a partial
    pass with the passing part stocked, or a hold)."""
    if result is QcResult.HOLD:
        return InboundStatus.ISSUE
    if any(line.failed for line in lines):
        return InboundStatus.ISSUE
    return InboundStatus.STOCKED


def stocked_quantity(result: QcResult, line: LineVerdict) -> int:
    """What one line puts on the shelf (STOCK_IN): its passed units, none while on hold."""
    return 0 if result is QcResult.HOLD else line.passed


def is_lost(
    status: InboundStatus, expected_arrival: date | None, today: date, lost_days: int
) -> bool:
    """BR-23: still on its way `lost_days` days after its expected date."""
    if status not in INBOUND_ON_THE_WAY or expected_arrival is None:
        return False
    return today >= expected_arrival + timedelta(days=lost_days)


# SPEC §4 3PL rows: View FCs = A O F; Manage FCs = A; View inbound = A O · ◐ M; View
# inventory = A O F · ◐ S; Perform QC = A O; View outbound = A O F · ◐ S. Sales' partial
# access is "without cost fields" (VIEW_COSTS is not theirs). Writing stock and shipments is
# ops' work (Rec role map: ops = 3pl read/write); approving a large adjustment is admin's.
GRANTS = grants(
    {
        Permission.VIEW_FULFILLMENT_CENTERS: {Role.OPS: ALL, Role.FINANCE: ALL, Role.READONLY: ALL},
        Permission.MANAGE_FULFILLMENT_CENTERS: {},
        Permission.VIEW_INBOUND: {Role.OPS: ALL, Role.READONLY: ALL, Role.MANUFACTURER: OWN},
        Permission.PERFORM_QC: {Role.OPS: ALL},
        # Expecting, moving and receiving inbound shipments: the warehouse's (ops') work.
        Permission.MANAGE_INBOUND: {Role.OPS: ALL},
        Permission.VIEW_INVENTORY: {
            Role.OPS: ALL,
            Role.FINANCE: ALL,
            Role.SALES: ALL,
            Role.READONLY: ALL,
        },
        Permission.MOVE_INVENTORY: {Role.OPS: ALL},
        Permission.APPROVE_ADJUSTMENTS: {},
        Permission.VIEW_OUTBOUND: {
            Role.OPS: ALL,
            Role.FINANCE: ALL,
            Role.SALES: ALL,
            Role.READONLY: ALL,
        },
        Permission.MANAGE_OUTBOUND: {Role.OPS: ALL},
    }
)
