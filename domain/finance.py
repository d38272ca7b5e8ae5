"""Manufacturer payables (SPEC §1.8, §2.12, §2.14, BR-24..BR-31): invoice and payment
vocabularies and the pure rules with arithmetic: rounding, terms, allocation, standing, aging.

Money rounding happens in one place, `cents` (half-up to two places): every amount the
ledger computes passes through it where it is computed (a line total, a discount, a cost
per unit), never anywhere else. Amounts never mix currencies: a manufacturer's invoices and
payments are in its currency (CURRENCY_MISMATCH otherwise, resolvers/finance/ledger.py) and
reports total per currency.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.enums import PaymentStanding, PaymentTerms
from domain.permissions import ALL, OWN, Permission, Role, grants

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(amount: Decimal) -> Decimal:
    """THE rounding of the ledger: half-up to cents (1.005 → 1.01, -1.005 → -1.01)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class InvoiceStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    PAID = "PAID"
    DISPUTED = "DISPUTED"


# BR-28 as corrected (§9 #8): what we owe is Σ(total - allocated) over these.
PAYABLE_STATUSES = (InvoiceStatus.APPROVED, InvoiceStatus.PARTIALLY_PAID)


class InvoiceLineCategory(StrEnum):
    MANUFACTURING = "manufacturing"
    SHIPPING = "shipping"
    RUSH = "rush"
    ADJUSTMENT = "adjustment"
    OTHER = "other"


class PaymentStatus(StrEnum):
    RECORDED = "RECORDED"
    VOIDED = "VOIDED"


class CreditRefundStatus(StrEnum):
    RECORDED = "RECORDED"
    VOIDED = "VOIDED"


def credit_balance(unallocated: Decimal, refunded: Decimal) -> Decimal:
    """Issue 28 item 3: the credit a manufacturer holds is what its standing payments do not
    cover less what standing refunds paid back; the ledger never lets it go below zero."""
    return unallocated - refunded


def status_for_paid(total: Decimal, paid: Decimal) -> InvoiceStatus:
    """Where a payable invoice stands once `paid` of its `total` is allocated."""
    if paid <= ZERO:
        return InvoiceStatus.APPROVED
    if paid < total:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.PAID


# -- terms (BR-27) -----------------------------------------------------------------------------

# Rec: NETn = n days; PREPAY and COD are due at once; deposits (50_50, 30_70) are due at 0.
TERMS_DAYS: dict[PaymentTerms, int] = {
    PaymentTerms.NET30: 30,
    PaymentTerms.NET60: 60,
    PaymentTerms.FIFTY_FIFTY: 0,
    PaymentTerms.THIRTY_SEVENTY: 0,
    PaymentTerms.COD: 0,
    PaymentTerms.PREPAY: 0,
}


def due_date(invoice_date: date, terms: PaymentTerms) -> date:
    """BR-27: `due_date = invoice_date + payment_terms_days` (the last day of the calendar
    when that is later: an invoice dated at the end of year 9999 is due then)."""
    try:
        return invoice_date + timedelta(days=TERMS_DAYS[terms])
    except OverflowError:
        return date.max


def amount_due(
    total: Decimal,
    invoice_date: date,
    paid_date: date,
    early_payment_days: int | None,
    early_payment_discount: Decimal | None,
) -> Decimal:
    """BR-27: paid within the early-payment window, the total less the discount (a
    percentage), rounded to cents; otherwise the total."""
    if (
        early_payment_days is None
        or not early_payment_discount
        or (paid_date - invoice_date).days > early_payment_days
    ):
        return total
    return cents(total * (1 - early_payment_discount / 100))


# -- allocation (BR-29) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Payable:
    """An invoice a payment may be applied to: what is still owed on it."""

    invoice_id: uuid.UUID
    outstanding: Decimal


def allocate_oldest_first(
    amount: Decimal, payables: Sequence[Payable]
) -> list[tuple[uuid.UUID, Decimal]]:
    """BR-29 auto: `amount` over the payables in the order given (oldest first), each up to
    what is owed on it; what is left over is the payer's credit."""
    allocations: list[tuple[uuid.UUID, Decimal]] = []
    left = amount
    for payable in payables:
        if left <= ZERO:
            break
        applied = min(left, payable.outstanding)
        if applied > ZERO:
            allocations.append((payable.invoice_id, applied))
            left -= applied
    return allocations


# -- standing and aging (BR-25, BR-31, §2.14 with §9 #7) --------------------------------------

WARNING_FROM = 1
DELINQUENT_FROM = 31
CREDIT_HOLD_FROM = 60


def days_past_due(as_of: date, due: date, grace_days: int = 0) -> int:
    """§9 #7: `dpd = today - (due + grace)`; negative or zero is not late."""
    return (as_of - due).days - grace_days


def standing(worst_days_past_due: int | None) -> PaymentStanding:
    """§9 #7: GOOD up to the grace, WARNING 1-30 days late, DELINQUENT from 31."""
    if worst_days_past_due is None or worst_days_past_due < WARNING_FROM:
        return PaymentStanding.GOOD
    if worst_days_past_due < DELINQUENT_FROM:
        return PaymentStanding.WARNING
    return PaymentStanding.DELINQUENT


def needs_credit_hold(worst_days_past_due: int | None) -> bool:
    """BR-25: an automatic credit hold at 60+ days past due."""
    return worst_days_past_due is not None and worst_days_past_due >= CREDIT_HOLD_FROM


class AgingAlert(StrEnum):
    """BR-31's alerts about an unpaid invoice, each sent once, by days past due."""

    DUE_IN_7_DAYS = "due_in_7_days"
    PAST_DUE_1 = "past_due_1"
    PAST_DUE_14 = "past_due_14"
    CREDIT_HOLD_WARNING = "credit_hold_warning"
    PAST_DUE_60 = "past_due_60"


# Days past due (as_of - due date) from which each alert is due.
ALERT_FROM: dict[AgingAlert, int] = {
    AgingAlert.DUE_IN_7_DAYS: -7,
    AgingAlert.PAST_DUE_1: 1,
    AgingAlert.PAST_DUE_14: 14,
    AgingAlert.CREDIT_HOLD_WARNING: 30,
    AgingAlert.PAST_DUE_60: 60,
}


def alert_for(days_late: int) -> AgingAlert | None:
    """The most severe alert an invoice this many days past due has earned (a missed day
    sends the current one, not every one it skipped)."""
    earned = [alert for alert, start in ALERT_FROM.items() if days_late >= start]
    return earned[-1] if earned else None


class AgingBucket(StrEnum):
    CURRENT = "CURRENT"
    DAYS_1_30 = "DAYS_1_30"
    DAYS_31_60 = "DAYS_31_60"
    DAYS_61_90 = "DAYS_61_90"
    DAYS_90_PLUS = "DAYS_90_PLUS"


def aging_bucket(as_of: date, due: date) -> AgingBucket:
    """BR-31: `dpd = as_of - due_date` (no grace: aging shows the calendar)."""
    dpd = (as_of - due).days
    if dpd <= 0:
        return AgingBucket.CURRENT
    if dpd <= 30:
        return AgingBucket.DAYS_1_30
    if dpd <= 60:
        return AgingBucket.DAYS_31_60
    if dpd <= 90:
        return AgingBucket.DAYS_61_90
    return AgingBucket.DAYS_90_PLUS


# Who holds finance's permissions (SPEC §4): "Record payments = A F"; invoices are read by
# finance and readonly ("financial read"), a manufacturer its own; a manufacturer may
# create and submit its own invoices (§5 gaps); approving and disputing is finance's.
GRANTS = grants(
    {
        Permission.VIEW_INVOICES: {Role.FINANCE: ALL, Role.READONLY: ALL, Role.MANUFACTURER: OWN},
        Permission.EDIT_INVOICES: {Role.FINANCE: ALL, Role.MANUFACTURER: OWN},
        Permission.APPROVE_INVOICES: {Role.FINANCE: ALL},
        Permission.VIEW_PAYMENTS: {Role.FINANCE: ALL, Role.READONLY: ALL, Role.MANUFACTURER: OWN},
        Permission.RECORD_PAYMENTS: {Role.FINANCE: ALL},
        Permission.VIEW_FINANCIAL_REPORTS: {Role.FINANCE: ALL, Role.READONLY: ALL},
    }
)


# -- costs and margins (BR-32) -----------------------------------------------------------------

# Below this margin an order is flagged (SPEC §8's pricing baseline targets 44-66%).
LOW_MARGIN_PERCENT = Decimal("30.00")


def variance(quoted: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """BR-32: `variance = actual - quoted` (unknown without both)."""
    return None if quoted is None or actual is None else actual - quoted


def cost_per_unit(total: Decimal | None, quantity: int) -> Decimal | None:
    """BR-32: `cost_per_unit = total / qty`, rounded half-up to cents."""
    return None if total is None or quantity <= 0 else cents(total / quantity)


def margin_percent(revenue: Decimal, margin: Decimal) -> Decimal | None:
    """BR-32: `margin% = margin / revenue`, as a percentage with cents (52.80)."""
    return None if revenue <= 0 else cents(margin * 100 / revenue)
