"""The amounts an order's lines lead to, checked when the lines enter: a line's total, the
order's total, and what approving it may put on one manufacturing job (its quantity and its
quoted cost). Each must fit the column it lands in (domain/bounds.py), or the order would be
accepted now and fail for ever at approval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.bounds import AMOUNT, INT32, LARGE_AMOUNT, QUANTITY

# What each derived value lands in.
LINE_TOTAL = LARGE_AMOUNT  # order_items.unit_price x quantity, as the order's lines show it
ORDER_TOTAL = LARGE_AMOUNT  # orders.total
JOB_COST = AMOUNT  # manufacturing_jobs.quoted_cost
JOB_QUANTITY = INT32  # manufacturing_jobs.quantity


@dataclass(frozen=True)
class LineFigures:
    """One line as entered (unit_price None: the line has none yet, and says so itself), with
    the highest cost per unit a manufacturer that may be routed the line charges (None: no
    assignment states one, so routing quotes nothing)."""

    quantity: int
    unit_price: Decimal | None
    highest_unit_cost: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return (self.unit_price or Decimal(0)) * self.quantity


@dataclass(frozen=True)
class DerivedProblem:
    """`line` is the index of the line at fault, None for the order as a whole."""

    line: int | None
    field: str
    message: str


def derived_problems(lines: Sequence[LineFigures]) -> list[DerivedProblem]:
    problems: list[DerivedProblem] = []
    for i, line in enumerate(lines):
        problem = QUANTITY.problem(line.quantity)
        if problem:
            problems.append(DerivedProblem(i, "quantity", f"quantity {problem}"))
            continue
        total = line.total
        if total > LINE_TOTAL.maximum:
            problems.append(
                DerivedProblem(
                    i,
                    "quantity",
                    f"quantity x unitPrice = {total} exceeds a line's maximum {LINE_TOTAL.maximum}",
                )
            )
    if problems:
        return problems
    order_total = sum((line.total for line in lines), Decimal(0))
    if order_total > ORDER_TOTAL.maximum:
        problems.append(
            DerivedProblem(
                None, "items", f"the order's total {order_total} exceeds {ORDER_TOTAL.maximum}"
            )
        )
    # Routing may give every line to one manufacturer: one job holds all of them.
    quantity = sum(line.quantity for line in lines)
    if quantity > JOB_QUANTITY.maximum:
        problems.append(
            DerivedProblem(
                None, "items", f"the order's {quantity} units exceed {JOB_QUANTITY.maximum}"
            )
        )
    cost = worst_job_cost(lines)
    if cost > JOB_COST.maximum:
        problems.append(
            DerivedProblem(
                None,
                "items",
                f"a manufacturing job for these lines could cost {cost}, over a job's "
                f"maximum {JOB_COST.maximum}: split the order",
            )
        )
    return problems


def worst_job_cost(lines: Sequence[LineFigures]) -> Decimal:
    """The highest quoted cost approval could give one job: every line routed to the
    manufacturer charging the most for it."""
    return sum(
        (line.highest_unit_cost * line.quantity for line in lines if line.highest_unit_cost),
        Decimal(0),
    )
