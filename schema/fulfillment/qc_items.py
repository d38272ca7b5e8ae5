"""A lot inspection's test items as input (issue 27 item 7), shared by the lot QC mutations
and completeQcInspection."""

from __future__ import annotations

import strawberry

from domain.lot_qc import QcItem
from schema.inputs import optional


@strawberry.input(description="One test of a lot, e.g. purity by HPLC.")
class QcItemInput:
    parameter: str = strawberry.field(description='What is tested, e.g. "Purity" (≤ 200).')
    test_method: str | None = optional('How, e.g. "HPLC" (≤ 200).')
    expected: str | None = optional('The specification, e.g. ">= 98.0" (≤ 200).')
    observed: str | None = optional('What was measured, e.g. "99.2" (≤ 200).')
    unit: str | None = optional('The unit, e.g. "%" (≤ 32).')
    passes: bool = strawberry.field(description="Whether the observation meets the spec.")


def qc_items(given: list[QcItemInput] | None) -> list[QcItem] | None:
    if given is None:
        return None
    return [
        QcItem(i.parameter, i.test_method, i.expected, i.observed, i.unit, i.passes) for i in given
    ]
