"""BR-32's cost and margin reports, one SQL statement each whatever the number of jobs or
orders.

A job's actual cost is what the manufacturer entered (`actual_cost`), else what it invoiced
for making it (its manufacturing lines, disputed and draft invoices left out); an order's
cost of goods is its jobs' costs (actual, else quoted) plus the other lines invoiced for
them: freight to our warehouse (SHIPPING) and other charges (RUSH, ADJUSTMENT, OTHER). 3PL
fees and shipping to the customer join when the 3PL domain records them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select

from db.models import Invoice, InvoiceItem, Manufacturer, ManufacturingJob, Order
from db.reader import Reader
from domain import finance
from domain.finance import InvoiceLineCategory, InvoiceStatus

# Invoices that bill real costs: submitted or later, not disputed.
_BILLED = (
    InvoiceStatus.SUBMITTED,
    InvoiceStatus.APPROVED,
    InvoiceStatus.PARTIALLY_PAID,
    InvoiceStatus.PAID,
)
_MAKING = InvoiceLineCategory.MANUFACTURING
_FREIGHT = InvoiceLineCategory.SHIPPING


def _billed_per_job() -> Any:
    """Per job: what was invoiced for making it, for freight, and for anything else."""
    items, invoices = InvoiceItem.__table__, Invoice.__table__

    def total(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, items.c.line_total), else_=0)), 0)

    return (
        select(
            items.c.manufacturing_job_id.label("job_id"),
            total(items.c.category == _MAKING).label("making"),
            total(items.c.category == _FREIGHT).label("freight"),
            total(items.c.category.not_in((_MAKING, _FREIGHT))).label("other"),
        )
        .select_from(items.join(invoices, invoices.c.id == items.c.invoice_id))
        .where(items.c.manufacturing_job_id.is_not(None), invoices.c.status.in_(_BILLED))
        .group_by(items.c.manufacturing_job_id)
        .subquery("billed_per_job")
    )


@dataclass(frozen=True)
class JobCost:
    job_id: uuid.UUID
    order_id: uuid.UUID
    manufacturer_id: uuid.UUID | None
    quantity: int
    quoted: Decimal | None
    actual: Decimal | None
    currency: str
    job_number: str = ""

    @property
    def variance(self) -> Decimal | None:
        return finance.variance(self.quoted, self.actual)

    @property
    def cost_per_unit(self) -> Decimal | None:
        return finance.cost_per_unit(
            self.actual if self.actual is not None else self.quoted, self.quantity
        )


def job_costs_statement(conditions: Sequence[ColumnElement[bool]], limit: int) -> Select[Any]:
    jobs, billed = ManufacturingJob.__table__, _billed_per_job()
    makers = Manufacturer.__table__
    invoiced = case((billed.c.making > 0, billed.c.making), else_=None)
    return (
        select(
            jobs.c.id,
            jobs.c.order_id,
            jobs.c.manufacturer_id,
            jobs.c.quantity,
            jobs.c.quoted_cost,
            func.coalesce(jobs.c.actual_cost, invoiced).label("actual"),
            func.coalesce(makers.c.currency, "USD").label("currency"),
            jobs.c.job_number,
        )
        .select_from(
            jobs.outerjoin(billed, billed.c.job_id == jobs.c.id).outerjoin(
                makers, makers.c.id == jobs.c.manufacturer_id
            )
        )
        .where(*conditions)
        .order_by(jobs.c.job_number)
        .limit(limit)
    )


async def job_costs(
    reader: Reader, conditions: Sequence[ColumnElement[bool]], limit: int
) -> list[JobCost]:
    rows = await reader.fetch(job_costs_statement(conditions, limit))
    return [
        JobCost(
            r.id,
            r.order_id,
            r.manufacturer_id,
            r.quantity,
            r.quoted_cost,
            None if r.actual is None else Decimal(r.actual),
            r.currency,
            r.job_number,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class OrderMargin:
    order_id: uuid.UUID
    currency: str
    revenue: Decimal
    manufacturing: Decimal
    freight: Decimal
    other: Decimal
    # A job's cost is in another currency than the order: no margin (never a mixed sum).
    currency_mismatch: bool = False
    reference: str = ""

    @property
    def cost_of_goods(self) -> Decimal:
        return self.manufacturing + self.freight + self.other

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost_of_goods

    @property
    def margin_percent(self) -> Decimal | None:
        if self.currency_mismatch:
            return None
        return finance.margin_percent(self.revenue, self.margin)

    @property
    def low_margin(self) -> bool:
        percent = self.margin_percent
        return percent is not None and percent < finance.LOW_MARGIN_PERCENT


async def order_margins(
    reader: Reader, conditions: Sequence[ColumnElement[bool]], limit: int
) -> list[OrderMargin]:
    """BR-32: `margin = revenue - COGS` per order, COGS its jobs' costs (actual, else
    invoiced, else quoted) and the other lines invoiced for them."""
    jobs, orders, billed = ManufacturingJob.__table__, Order.__table__, _billed_per_job()
    makers = Manufacturer.__table__
    job_cost = func.coalesce(
        jobs.c.actual_cost,
        case((billed.c.making > 0, billed.c.making), else_=None),
        jobs.c.quoted_cost,
        0,
    )
    per_order = (
        select(
            jobs.c.order_id,
            func.sum(job_cost).label("manufacturing"),
            func.sum(func.coalesce(billed.c.freight, 0)).label("freight"),
            func.sum(func.coalesce(billed.c.other, 0)).label("other"),
            # Costs in another currency than the order's are never subtracted from it.
            func.sum(case((makers.c.currency != orders.c.currency, 1), else_=0)).label("foreign"),
        )
        .select_from(
            jobs.outerjoin(billed, billed.c.job_id == jobs.c.id)
            .join(orders, orders.c.id == jobs.c.order_id)
            .outerjoin(makers, makers.c.id == jobs.c.manufacturer_id)
        )
        .group_by(jobs.c.order_id)
        .subquery("costs_per_order")
    )
    statement = (
        select(
            orders.c.id,
            orders.c.reference,
            orders.c.currency,
            orders.c.total,
            per_order.c.manufacturing,
            per_order.c.freight,
            per_order.c.other,
            per_order.c.foreign,
        )
        .select_from(orders.join(per_order, per_order.c.order_id == orders.c.id))
        .where(*conditions)
        .order_by(orders.c.reference)
        .limit(limit)
    )
    return [
        OrderMargin(
            r.id,
            r.currency,
            Decimal(r.total),
            finance.cents(Decimal(r.manufacturing)),
            finance.cents(Decimal(r.freight)),
            finance.cents(Decimal(r.other)),
            currency_mismatch=bool(r.foreign),
            reference=r.reference,
        )
        for r in await reader.fetch(statement)
    ]
