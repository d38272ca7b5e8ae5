"""Finance's reports, each one SQL statement whatever the number of manufacturers or
invoices: aging (BR-31) by manufacturer and per invoice, and payment due (BR-10) by terms.

What is owed is `total - paid` over approved and partly paid invoices (BR-28 as corrected);
amounts are summed per currency, never across two (domain/finance.py).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from db.models import Invoice, Manufacturer
from db.reader import Reader
from domain import finance
from domain.enums import PaymentTerms
from domain.finance import PAYABLE_STATUSES, AgingBucket

BUCKETS = tuple(AgingBucket)


@dataclass
class AgingLine:
    """One manufacturer's (summary) or one invoice's (detail) owed amounts by bucket."""

    manufacturer_id: uuid.UUID
    manufacturer_name: str
    currency: str
    amounts: dict[AgingBucket, Decimal] = field(
        default_factory=lambda: dict.fromkeys(BUCKETS, finance.ZERO)
    )
    invoice_id: uuid.UUID | None = None
    due_date: date | None = None
    days_past_due: int | None = None
    bucket: AgingBucket | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), finance.ZERO)


@dataclass(frozen=True)
class AgingReport:
    as_of: date
    lines: list[AgingLine]
    # Per currency: the sum of every line, by bucket.
    totals: list[AgingLine]


def _owed(conditions: Sequence[ColumnElement[bool]]) -> Select[Any]:
    invoices, makers = Invoice.__table__, Manufacturer.__table__
    owed = invoices.c.total_amount - invoices.c.discount_amount - invoices.c.amount_paid
    return (
        select(
            invoices.c.id,
            invoices.c.manufacturer_id,
            makers.c.name,
            makers.c.payment_terms,
            invoices.c.currency,
            invoices.c.due_date,
            owed.label("owed"),
        )
        .select_from(invoices.join(makers, makers.c.id == invoices.c.manufacturer_id))
        .where(
            invoices.c.status.in_(PAYABLE_STATUSES),
            owed > 0,
            *conditions,
        )
        .order_by(makers.c.name, invoices.c.currency, invoices.c.due_date, invoices.c.id)
    )


def manufacturer_conditions(
    manufacturer_ids: Sequence[uuid.UUID] | None,
) -> list[ColumnElement[bool]]:
    """Narrow a report to these manufacturers (a manufacturer's own; a filter)."""
    if manufacturer_ids is None:
        return []
    return [Invoice.__table__.c.manufacturer_id.in_(manufacturer_ids)]


async def aging(
    reader: Reader,
    as_of: date,
    conditions: Sequence[ColumnElement[bool]] = (),
    *,
    detail: bool = False,
) -> AgingReport:
    """BR-31 as of `as_of`: per manufacturer and currency (or per invoice with `detail`)."""
    rows = await reader.fetch(_owed(conditions))
    lines: dict[tuple[object, ...], AgingLine] = {}
    totals: dict[str, AgingLine] = {}
    for row in rows:
        bucket = finance.aging_bucket(as_of, row.due_date)
        owed = Decimal(row.owed)
        key: tuple[object, ...] = (row.id,) if detail else (row.manufacturer_id, row.currency)
        line = lines.get(key)
        if line is None:
            line = lines[key] = AgingLine(row.manufacturer_id, row.name, row.currency)
            if detail:
                line.invoice_id, line.due_date = row.id, row.due_date
                line.days_past_due = (as_of - row.due_date).days
                line.bucket = bucket
        line.amounts[bucket] += owed
        total = totals.setdefault(row.currency, AgingLine(uuid.UUID(int=0), "", row.currency))
        total.amounts[bucket] += owed
    return AgingReport(as_of, list(lines.values()), [totals[c] for c in sorted(totals)])


@dataclass(frozen=True)
class PaymentDue:
    """What falls due by `until` (overdue included), per currency, split by terms."""

    currency: str
    total: Decimal
    by_terms: dict[PaymentTerms, Decimal]


async def payment_due(
    reader: Reader, until: date, conditions: Sequence[ColumnElement[bool]] = ()
) -> list[PaymentDue]:
    """BR-10 `paymentDue`: owed on invoices due on or before `until`, by the manufacturer's
    payment terms (NET30 and NET60 split), per currency."""
    due = [Invoice.__table__.c.due_date <= until, *conditions]
    rows = await reader.fetch(_owed(due))
    by_currency: dict[str, dict[PaymentTerms, Decimal]] = defaultdict(dict)
    for row in rows:
        terms = PaymentTerms(row.payment_terms)
        split = by_currency[row.currency]
        split[terms] = split.get(terms, finance.ZERO) + Decimal(row.owed)
    return [
        PaymentDue(currency, sum(split.values(), finance.ZERO), split)
        for currency, split in sorted(by_currency.items())
    ]


def window(as_of: date, days: int) -> date:
    return as_of + timedelta(days=days)
