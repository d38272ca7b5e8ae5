"""The manufacturer cascade of SPEC BR-1, as a pure function.

Routing (availability, capacity, credit: BR-2..BR-4) filters these candidates; the catalog
shows the first one as a product's resolved manufacturer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class ManufacturerSource(StrEnum):
    """The cascade level a manufacturer was resolved from, most specific first."""

    VARIANT_DEFAULT = "variant_default"
    PRODUCT_OVERRIDE = "product_override"
    CATEGORY_OVERRIDE = "category_override"
    FAMILY_DEFAULT = "family_default"
    FAMILY_ASSIGNMENT = "family_assignment"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class Assignment:
    manufacturer_id: uuid.UUID
    priority: int
    is_active: bool


@dataclass(frozen=True)
class Candidate:
    manufacturer_id: uuid.UUID
    source: ManufacturerSource


def cascade(
    *,
    variant_default: uuid.UUID | None = None,
    product_override: uuid.UUID | None = None,
    category_override: uuid.UUID | None = None,
    family_default: uuid.UUID | None = None,
    assignments: Sequence[Assignment] = (),
) -> list[Candidate]:
    """Every candidate in cascade order, without duplicates: variant → product override →
    category override → family default → the family's active assignments by priority."""
    ordered = [
        (variant_default, ManufacturerSource.VARIANT_DEFAULT),
        (product_override, ManufacturerSource.PRODUCT_OVERRIDE),
        (category_override, ManufacturerSource.CATEGORY_OVERRIDE),
        (family_default, ManufacturerSource.FAMILY_DEFAULT),
    ]
    ranked = sorted((a for a in assignments if a.is_active), key=lambda a: a.priority)
    ordered += [(a.manufacturer_id, ManufacturerSource.FAMILY_ASSIGNMENT) for a in ranked]
    seen: set[uuid.UUID] = set()
    candidates = []
    for manufacturer_id, source in ordered:
        if manufacturer_id is not None and manufacturer_id not in seen:
            seen.add(manufacturer_id)
            candidates.append(Candidate(manufacturer_id, source))
    return candidates
