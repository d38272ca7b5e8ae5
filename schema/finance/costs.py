"""BR-32's cost report (per job: quoted vs actual, variance, cost per unit) and margin report
(per order: revenue, cost of goods, margin, margin %, low-margin flag). Cost data: admins,
ops and finance only (SPEC §4)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from db.models import ManufacturingJob, Order
from db.reader import Reader
from domain import finance
from resolvers.finance import costs
from schema.context import request_context
from schema.errors import bad_user_input
from schema.execution.relations import Lazy, to_one
from schema.lists import filter_id
from schema.money import Money, money
from schema.permissions import requires

MAX_ROWS = 500
LIMIT = Annotated[
    int, strawberry.argument(description=f"At most this many rows (1 to {MAX_ROWS}).")
]


def checked_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_ROWS:
        raise bad_user_input(f"limit must be between 1 and {MAX_ROWS}")
    return limit


def cost_conditions(
    manufacturer_id: strawberry.ID | None, order_id: strawberry.ID | None
) -> list[ColumnElement[bool]]:
    """costReport's filters (its CSV export takes the same)."""
    jobs = ManufacturingJob.__table__.c
    conditions: list[ColumnElement[bool]] = []
    if (pk := filter_id(manufacturer_id, "Manufacturer", "manufacturerId")) is not None:
        conditions.append(jobs.manufacturer_id == pk)
    if (order := filter_id(order_id, "Order", "orderId")) is not None:
        conditions.append(jobs.order_id == order)
    return conditions


async def margins(
    reader: Reader, order_ids: list[strawberry.ID] | None, low_margin_only: bool, limit: int
) -> list[costs.OrderMargin]:
    """marginReport's rows (its CSV export reads the same)."""
    conditions: list[ColumnElement[bool]] = []
    if order_ids is not None:
        ids = [filter_id(i, "Order", "orderIds") for i in order_ids]
        conditions.append(Order.__table__.c.id.in_([i for i in ids if i]))
    rows = await costs.order_margins(reader, conditions, checked_limit(limit))
    return [r for r in rows if r.low_margin] if low_margin_only else rows


@strawberry.type(description="What a job cost against what was quoted (BR-32).")
class JobCostRow:
    row: strawberry.Private[costs.JobCost]
    job_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="What we agreed to pay.")
    def quoted_cost(self) -> Money | None:
        return money(self.row.quoted, self.row.currency)

    @strawberry.field(
        description="What it cost: entered by the manufacturer, else invoiced for making it."
    )
    def actual_cost(self) -> Money | None:
        return money(self.row.actual, self.row.currency)

    @strawberry.field(description="actual - quoted; null without both.")
    def variance(self) -> Money | None:
        return money(self.row.variance, self.row.currency)

    @strawberry.field(description="(actual, else quoted) / quantity, rounded half-up.")
    def cost_per_unit(self) -> Money | None:
        return money(self.row.cost_per_unit, self.row.currency)

    @strawberry.field(description="Units made.")
    def quantity(self) -> int:
        return self.row.quantity

    job = to_one(
        Lazy("ManufacturingJob", "schema.jobs.types"),
        "job_id",
        description="The job.",
        required=True,
    )


@strawberry.type(description="An order's margin (BR-32): revenue less cost of goods.")
class OrderMarginRow:
    row: strawberry.Private[costs.OrderMargin]
    order_id: strawberry.Private[uuid.UUID]

    def _money(self, amount: Decimal) -> Money:
        return Money(amount=amount, currency=self.row.currency)

    @strawberry.field(description="The order's total.")
    def revenue(self) -> Money:
        return self._money(self.row.revenue)

    @strawberry.field(description="Its jobs' costs (actual, else invoiced, else quoted).")
    def manufacturing(self) -> Money:
        return self._money(self.row.manufacturing)

    @strawberry.field(description="Freight to our warehouse invoiced for its jobs.")
    def freight(self) -> Money:
        return self._money(self.row.freight)

    @strawberry.field(description="Other charges invoiced for its jobs (rush, adjustments).")
    def other_charges(self) -> Money:
        return self._money(self.row.other)

    @strawberry.field(description="manufacturing + freight + otherCharges.")
    def cost_of_goods(self) -> Money:
        return self._money(self.row.cost_of_goods)

    @strawberry.field(description="revenue - costOfGoods; null when costs are in another currency.")
    def margin(self) -> Money | None:
        return None if self.row.currency_mismatch else self._money(self.row.margin)

    @strawberry.field(description="margin / revenue in percent, e.g. 52.80.")
    def margin_percent(self) -> Decimal | None:
        return self.row.margin_percent

    @strawberry.field(
        description=f"Below {finance.LOW_MARGIN_PERCENT}% (the low-margin alert of BR-32)."
    )
    def low_margin(self) -> bool:
        return self.row.low_margin

    @strawberry.field(
        description="A job's cost is in another currency than the order: no margin is computed "
        "(amounts of two currencies are never subtracted)."
    )
    def currency_mismatch(self) -> bool:
        return self.row.currency_mismatch

    order = to_one(
        Lazy("Order", "schema.orders.types"), "order_id", description="The order.", required=True
    )


@strawberry.type
class FinanceCostQuery:
    @strawberry.field(
        description="BR-32 per job, by job number: quoted vs actual cost, variance, cost per "
        "unit; of one manufacturer or one order when given.",
        extensions=requires(Permission.VIEW_COSTS),
    )
    async def cost_report(
        self,
        info: Info[Any, Any],
        manufacturer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this manufacturer's jobs.")
        ] = None,
        order_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this order's jobs.")
        ] = None,
        limit: LIMIT = 100,
    ) -> list[JobCostRow]:
        conditions = cost_conditions(manufacturer_id, order_id)
        rows = await costs.job_costs(request_context(info).reader, conditions, checked_limit(limit))
        return [JobCostRow(row=r, job_id=r.job_id) for r in rows]

    @strawberry.field(
        description="BR-32 per order, by reference: revenue, cost of goods, margin, margin % "
        "and the low-margin flag; only the orders given, or only low-margin ones, on request.",
        extensions=requires(Permission.VIEW_COSTS),
    )
    async def margin_report(
        self,
        info: Info[Any, Any],
        order_ids: Annotated[
            list[strawberry.ID] | None, strawberry.argument(description="Only these orders.")
        ] = None,
        low_margin_only: Annotated[
            bool, strawberry.argument(description="Only orders flagged low-margin.")
        ] = False,
        limit: LIMIT = 100,
    ) -> list[OrderMarginRow]:
        rows = await margins(request_context(info).reader, order_ids, low_margin_only, limit)
        return [OrderMarginRow(row=r, order_id=r.order_id) for r in rows]
