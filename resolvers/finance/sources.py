"""What finance's lists read from, and how their filters become SQL.

Every row carries its manufacturer (`manufacturer_id`), the owner a manufacturer's OWN grant
is checked against where rows are loaded; lines and allocations carry the currency of their
invoice or payment, so their amounts are Money like any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, FromClause, Table, select

from db.models import CreditRefund, Invoice, InvoiceItem, Payment, PaymentAllocation
from domain.finance import CreditRefundStatus, InvoiceStatus, PaymentStatus
from resolvers.filters import containing, equal, one_of

INVOICES: Table = Invoice.__table__  # type: ignore[assignment]
PAYMENTS: Table = Payment.__table__  # type: ignore[assignment]
CREDIT_REFUNDS: Table = CreditRefund.__table__  # type: ignore[assignment]


def _invoice_items() -> FromClause:
    items: Table = InvoiceItem.__table__  # type: ignore[assignment]
    return (
        select(items, INVOICES.c.manufacturer_id, INVOICES.c.currency)
        .select_from(items.join(INVOICES, INVOICES.c.id == items.c.invoice_id))
        .subquery("invoice_items_with_owner")
    )


def _allocations() -> FromClause:
    allocations: Table = PaymentAllocation.__table__  # type: ignore[assignment]
    return (
        select(allocations, PAYMENTS.c.currency)
        .select_from(allocations.join(PAYMENTS, PAYMENTS.c.id == allocations.c.payment_id))
        .subquery("payment_allocations_with_currency")
    )


INVOICE_ITEMS: FromClause = _invoice_items()
ALLOCATIONS: FromClause = _allocations()


def invoice_conditions(
    *,
    manufacturer_id: uuid.UUID | None = None,
    statuses: Sequence[InvoiceStatus] | None = None,
    invoice_date_from: date | None = None,
    invoice_date_to: date | None = None,
    due_before: date | None = None,
    search: str | None = None,
) -> list[ColumnElement[bool]]:
    t = INVOICES.c
    conditions = [*equal((t.manufacturer_id, manufacturer_id)), *one_of(t.status, statuses)]
    if invoice_date_from is not None:
        conditions.append(t.invoice_date >= invoice_date_from)
    if invoice_date_to is not None:
        conditions.append(t.invoice_date <= invoice_date_to)
    if due_before is not None:
        conditions.append(t.due_date <= due_before)
    return conditions + containing([t.invoice_number], search)


def payment_conditions(
    *,
    manufacturer_id: uuid.UUID | None = None,
    statuses: Sequence[PaymentStatus] | None = None,
    paid_from: date | None = None,
    paid_to: date | None = None,
) -> list[ColumnElement[bool]]:
    t = PAYMENTS.c
    conditions = [*equal((t.manufacturer_id, manufacturer_id)), *one_of(t.status, statuses)]
    if paid_from is not None:
        conditions.append(t.payment_date >= paid_from)
    if paid_to is not None:
        conditions.append(t.payment_date <= paid_to)
    return conditions


def refund_conditions(
    *,
    manufacturer_id: uuid.UUID | None = None,
    statuses: Sequence[CreditRefundStatus] | None = None,
    refunded_from: date | None = None,
    refunded_to: date | None = None,
) -> list[ColumnElement[bool]]:
    t = CREDIT_REFUNDS.c
    conditions = [*equal((t.manufacturer_id, manufacturer_id)), *one_of(t.status, statuses)]
    if refunded_from is not None:
        conditions.append(t.refund_date >= refunded_from)
    if refunded_to is not None:
        conditions.append(t.refund_date <= refunded_to)
    return conditions
