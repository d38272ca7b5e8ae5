"""The 3PL (SPEC §1.7, §2.8-§2.11, BR-11..BR-23): inbound shipments and their QC
inspections. Vocabularies and the pure rules of receiving and inspecting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


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


# Statuses in which goods are still on their way: the lost-shipment check (BR-23) looks here.
INBOUND_ON_THE_WAY = frozenset({InboundStatus.EXPECTED, InboundStatus.IN_TRANSIT})


class InboundSourceType(StrEnum):
    """Where an inbound shipment comes from: a kind and an id (SPEC §1.7 `source_type`).
    Purchase orders (procurement) join as a second kind."""

    MANUFACTURING_JOB = "MANUFACTURING_JOB"


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
    inbound_shipment_id"). Lots (procurement) join as a second kind."""

    INBOUND_SHIPMENT = "INBOUND_SHIPMENT"


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
    from urllib.parse import quote

    return template.format(n=quote(number, safe=""))
