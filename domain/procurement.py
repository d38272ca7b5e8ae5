"""Procurement (SPEC §1.6, §2.4, §2.5, BR-38, BR-43, BR-46): suppliers and their status
cascade, price lists, purchase orders and their payments — the vocabularies and the pure
rules, with who holds procurement's permissions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from domain.permissions import ALL, Permission, Role, grants

# -- suppliers ---------------------------------------------------------------------------------

SUPPLIER_CODE = re.compile(r"[A-Z]{2,4}")
SUPPLIER_CODE_RULE = "2 to 4 capital letters, e.g. PP"


class SupplierStatus(StrEnum):
    """SPEC §2.4: active ↔ inactive, active → suspended → active | blocked; blocked is
    terminal."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    SUSPENDED = "suspended"
    BLOCKED = "blocked"


class BlockKind(StrEnum):
    """Why a supplier is blocked: the §2.4 cascade quarantines its lots for a quality reason
    and leaves them for a business one."""

    QUALITY = "quality"
    BUSINESS = "business"


# SPEC §2.4 "Ordering and receiving": active orders and receives; inactive receives on
# existing POs only; suspended cannot receive; blocked can do neither.
CAN_ORDER: frozenset[SupplierStatus] = frozenset({SupplierStatus.ACTIVE})
CAN_RECEIVE: frozenset[SupplierStatus] = frozenset({SupplierStatus.ACTIVE, SupplierStatus.INACTIVE})


class DraftPoEffect(StrEnum):
    NONE = "none"
    CANCEL = "cancel"


class OpenPoEffect(StrEnum):
    """What happens to a supplier's POs past draft."""

    NONE = "none"
    FLAG = "flag"  # marked, nothing else changes
    BLOCK = "block"  # marked, and it may not move forward while the supplier is held
    CANCEL = "cancel"  # cancelled where the PO machine allows it, flagged past confirmed


class PriceListEffect(StrEnum):
    NONE = "none"
    DEACTIVATE = "deactivate"
    FLAG = "flag"


class LotEffect(StrEnum):
    NONE = "none"
    FLAG = "flag"
    QUARANTINE_IF_QUALITY = "quarantine_if_quality"


@dataclass(frozen=True)
class Cascade:
    """One row of SPEC §2.4's cascade table: what a supplier's move to a status does."""

    draft_pos: DraftPoEffect
    open_pos: OpenPoEffect
    price_lists: PriceListEffect
    lots: LotEffect


# SPEC §2.4's table, with §9 #18 (cancel only where the PO machine allows; later POs are
# flagged). Moving back to active changes nothing of what was cascaded.
CASCADE: dict[SupplierStatus, Cascade] = {
    SupplierStatus.ACTIVE: Cascade(
        DraftPoEffect.NONE, OpenPoEffect.NONE, PriceListEffect.NONE, LotEffect.NONE
    ),
    SupplierStatus.INACTIVE: Cascade(
        DraftPoEffect.CANCEL, OpenPoEffect.FLAG, PriceListEffect.DEACTIVATE, LotEffect.NONE
    ),
    SupplierStatus.SUSPENDED: Cascade(
        DraftPoEffect.CANCEL, OpenPoEffect.BLOCK, PriceListEffect.FLAG, LotEffect.FLAG
    ),
    SupplierStatus.BLOCKED: Cascade(
        DraftPoEffect.CANCEL,
        OpenPoEffect.CANCEL,
        PriceListEffect.DEACTIVATE,
        LotEffect.QUARANTINE_IF_QUALITY,
    ),
}


class SupplierHold(StrEnum):
    """The mark a supplier's status change leaves on its POs, price lists and lots."""

    FLAGGED = "flagged"
    BLOCKED = "blocked"


# -- purchase orders ---------------------------------------------------------------------------


class PurchaseOrderStatus(StrEnum):
    """SPEC §2.5."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"


# Past draft and not finished: what "open" means for the cascade, the overdue flag and the
# dashboard.
OPEN_PO_STATUSES: frozenset[PurchaseOrderStatus] = frozenset(
    {
        PurchaseOrderStatus.SUBMITTED,
        PurchaseOrderStatus.CONFIRMED,
        PurchaseOrderStatus.PARTIALLY_SHIPPED,
        PurchaseOrderStatus.SHIPPED,
        PurchaseOrderStatus.PARTIALLY_RECEIVED,
    }
)
# SPEC §2.5: cancelled only from these.
CANCELLABLE_PO_STATUSES: frozenset[PurchaseOrderStatus] = frozenset(
    {PurchaseOrderStatus.DRAFT, PurchaseOrderStatus.SUBMITTED, PurchaseOrderStatus.CONFIRMED}
)

PO_SEQUENCE = "PO"


def po_number(year: int, number: int) -> str:
    """BR-38: PO-2026-0042 (per-year sequence, at least four digits)."""
    return f"{PO_SEQUENCE}-{year}-{number:04d}"


def is_overdue(status: PurchaseOrderStatus, expected_at: datetime | None, now: datetime) -> bool:
    """An open PO whose expected arrival has passed."""
    return status in OPEN_PO_STATUSES and expected_at is not None and expected_at < now


class PaymentStatus(StrEnum):
    """SPEC §2.5, computed from confirmed payments."""

    UNPAID = "unpaid"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"


def payment_status(total: Decimal | None, confirmed: Iterable[Decimal]) -> PaymentStatus:
    """unpaid with no confirmed payment; paid once they reach the total; partially paid
    between (a PO with no total yet is paid by any confirmed payment)."""
    amounts = list(confirmed)
    if not amounts:
        return PaymentStatus.UNPAID
    paid = sum(amounts, Decimal(0))
    if total is None or paid >= total:
        return PaymentStatus.PAID
    return PaymentStatus.PARTIALLY_PAID


class PoPaymentMethod(StrEnum):
    CRYPTO = "crypto"
    WIRE = "wire"
    ACH = "ach"
    CHECK = "check"
    CREDIT_CARD = "credit_card"
    OTHER = "other"


class PoPaymentStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    FAILED = "failed"


class CryptoRateSource(StrEnum):
    COINBASE = "coinbase"
    KRAKEN = "kraken"
    COINGECKO = "coingecko"
    BTCPAY = "btcpay"


class CryptoNetwork(StrEnum):
    BITCOIN = "bitcoin"
    ETHEREUM = "ethereum"
    LIGHTNING = "lightning"
    SOLANA = "solana"
    TRON = "tron"


# Crypto amounts and rates travel as decimal strings and are stored as given: "0.04217391"
# and "90100.00" read back byte for byte (a float, or a NUMERIC of a fixed scale, would not).
DECIMAL_STRING = re.compile(r"\d{1,20}(\.\d{1,18})?")
DECIMAL_STRING_RULE = "a decimal number written with digits and at most one point, e.g. 0.04217391"


def decimal_string_problem(value: str, *, positive: bool) -> str | None:
    """Why `value` is not an exact, non-negative (or positive) decimal string, or None."""
    if not DECIMAL_STRING.fullmatch(value):
        return f"must be {DECIMAL_STRING_RULE}"
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return f"must be {DECIMAL_STRING_RULE}"
    if positive and number <= 0:
        return "must be greater than zero"
    return None


# -- lots (SPEC §2.6, BR-39, BR-41) -------------------------------------------------------------


class LotStatus(StrEnum):
    """SPEC §2.6: pending → quarantined (QC started) → active (pass) | rejected (fail);
    active → expired | recalled. Only active counts as available."""

    PENDING = "pending"
    QUARANTINED = "quarantined"
    ACTIVE = "active"
    REJECTED = "rejected"
    EXPIRED = "expired"
    RECALLED = "recalled"


# What a purchase order may be received in: confirmed or on its way (SPEC §2.5).
RECEIVABLE_PO_STATUSES: frozenset[PurchaseOrderStatus] = frozenset(
    {
        PurchaseOrderStatus.CONFIRMED,
        PurchaseOrderStatus.PARTIALLY_SHIPPED,
        PurchaseOrderStatus.SHIPPED,
        PurchaseOrderStatus.PARTIALLY_RECEIVED,
    }
)


def lot_prefix(product_code: str, supplier_code: str, received_on: date) -> str:
    """BR-39's prefix: BPC157-PP260315 (the product, the supplier, the reception date)."""
    return f"{product_code}-{supplier_code}{received_on:%y%m%d}"


def lot_number(prefix: str, sequence: int) -> str:
    """BR-39: the prefix and its sequence, at least two digits (-01 … -99, -100, …)."""
    return f"{prefix}-{sequence:02d}"


def lot_sequence_name(prefix: str) -> str:
    """The shared counter (resolvers.sequences) a prefix's lots are numbered from: numeric,
    so -100 follows -99 (a text max would not), and atomic under concurrency."""
    return f"LOT:{prefix}"


# -- who holds procurement's permissions (issue 27 item 11) ------------------------------------

GRANTS = grants(
    {
        Permission.VIEW_PROCUREMENT: {Role.OPS: ALL, Role.FINANCE: ALL, Role.READONLY: ALL},
        Permission.MANAGE_PROCUREMENT: {Role.OPS: ALL},
        Permission.RECORD_PO_PAYMENTS: {Role.FINANCE: ALL},
        # SPEC §9 #18: active → quarantined is admin-only (admins hold every permission).
        Permission.QUARANTINE_LOTS: {},
    }
)
