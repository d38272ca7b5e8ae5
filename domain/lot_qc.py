"""Lot QC (issue 27 item 7): a lot's inspection is the 3PL's QC inspection (subject LOT)
with test items — parameter, test method, expected, observed, unit, passes — and a result
that must agree with them. Pure rules: what an item may hold and which results a lot takes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.fulfillment import FAILING_RESULTS, PASSING_RESULTS, QcResult

MAX_ITEMS = 50
ITEM_TEXT = 200  # each of parameter, test method, expected, observed
UNIT_TEXT = 32


@dataclass(frozen=True)
class QcItem:
    """One test of a lot, e.g. purity by HPLC: expected ≥ 98.0 %, observed 99.2 %, passes."""

    parameter: str
    test_method: str | None
    expected: str | None
    observed: str | None
    unit: str | None
    passes: bool

    def as_json(self) -> dict[str, object]:
        return {
            "parameter": self.parameter,
            "test_method": self.test_method,
            "expected": self.expected,
            "observed": self.observed,
            "unit": self.unit,
            "passes": self.passes,
        }


def item_problems(item: QcItem) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with one item."""
    problems = []
    if not item.parameter.strip():
        problems.append(("parameter", "parameter is required"))
    for name, value, limit in (
        ("parameter", item.parameter, ITEM_TEXT),
        ("testMethod", item.test_method, ITEM_TEXT),
        ("expected", item.expected, ITEM_TEXT),
        ("observed", item.observed, ITEM_TEXT),
        ("unit", item.unit, UNIT_TEXT),
    ):
        if value is not None and len(value) > limit:
            problems.append((name, f"{name} must be at most {limit} characters"))
    return problems


# A lot is either stock or not: a hold has no lot status to wait in besides quarantine,
# where the lot already is while its inspection is open.
LOT_RESULTS = PASSING_RESULTS | FAILING_RESULTS


def lot_result_problem(result: QcResult, items: Iterable[QcItem]) -> str | None:
    """Whether a lot's result agrees with its items: at least one test, a pass fails none,
    a failure fails at least one; HOLD is not a lot result (leave the inspection open)."""
    tested = list(items)
    if result not in LOT_RESULTS:
        return f"{result.value} is not a lot result: keep the inspection open while on hold"
    if not tested:
        return "A lot's inspection needs at least one test item"
    failing = [item.parameter for item in tested if not item.passes]
    if result in PASSING_RESULTS and failing:
        return f"{result.value} cannot have failing items ({', '.join(failing)})"
    if result in FAILING_RESULTS and not failing:
        return f"{result.value} needs at least one failing item"
    return None


def passes(result: QcResult) -> bool:
    return result in PASSING_RESULTS
