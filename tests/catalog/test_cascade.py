"""The BR-1 cascade as a pure function: order, de-duplication, inactive assignments."""

from __future__ import annotations

import uuid

from domain.routing import Assignment, ManufacturerSource, cascade

A, B, C, D, E = (uuid.uuid4() for _ in range(5))


def test_levels_in_order():
    candidates = cascade(
        variant_default=A,
        product_override=B,
        category_override=C,
        family_default=D,
        assignments=[Assignment(E, 1, True)],
    )
    assert [(c.manufacturer_id, c.source) for c in candidates] == [
        (A, ManufacturerSource.VARIANT_DEFAULT),
        (B, ManufacturerSource.PRODUCT_OVERRIDE),
        (C, ManufacturerSource.CATEGORY_OVERRIDE),
        (D, ManufacturerSource.FAMILY_DEFAULT),
        (E, ManufacturerSource.FAMILY_ASSIGNMENT),
    ]


def test_assignments_by_priority_skipping_inactive_and_duplicates():
    candidates = cascade(
        family_default=A,
        assignments=[
            Assignment(C, 3, True),
            Assignment(A, 1, True),
            Assignment(B, 2, False),
            Assignment(D, 2, True),
        ],
    )
    assert [c.manufacturer_id for c in candidates] == [A, D, C]


def test_nothing_configured_means_no_candidate():
    assert cascade() == []
