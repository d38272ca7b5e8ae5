"""A product's (or variant's) manufacturer as the BR-1 cascade resolves it, read-only.

Every row it needs comes through the request's loaders, so resolving it for a whole list of
products costs a fixed number of statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from domain.routing import Assignment, ManufacturerSource, cascade
from resolvers.catalog.sources import ASSIGNMENTS, CATEGORIES, FAMILIES, MANUFACTURERS
from resolvers.loaders import Loaders, load_all
from resolvers.pagination import SortKey

_BY_PRIORITY = (SortKey("priority"),)
# What the cascade reads of a category and a family: rows a list has already read with
# these columns serve it without a statement.
_CATEGORY_COLUMNS = ("id", "manufacturer_override_id")
_FAMILY_COLUMNS = ("default_manufacturer_id", "id")


@dataclass(frozen=True)
class Resolution:
    manufacturer: Row[Any] | None
    source: ManufacturerSource


async def resolve_manufacturer(
    loaders: Loaders, product: Any, variant: Any | None = None
) -> Resolution:
    """`product` needs `manufacturer_override_id`, `product_category_id` and
    `effective_family_id`; `variant` needs `default_manufacturer_id`."""
    # Ask for everything before awaiting anything, so that the loads of every product in
    # a list land in the same batches.
    family_id = product.effective_family_id
    category_load = (
        loaders.by_id(CATEGORIES, _CATEGORY_COLUMNS).load(product.product_category_id)
        if product.product_category_id
        else None
    )
    family_load = loaders.by_id(FAMILIES, _FAMILY_COLUMNS).load(family_id) if family_id else None
    assignments_load = (
        loaders.children(ASSIGNMENTS, "product_family_id", _BY_PRIORITY).load(family_id)
        if family_id
        else None
    )
    category = await category_load if category_load else None
    family = await family_load if family_load else None
    assignments = await assignments_load if assignments_load else []
    candidates = cascade(
        variant_default=variant.default_manufacturer_id if variant is not None else None,
        product_override=product.manufacturer_override_id,
        category_override=category.manufacturer_override_id if category else None,
        family_default=family.default_manufacturer_id if family else None,
        assignments=[Assignment(a.manufacturer_id, a.priority, a.is_active) for a in assignments],
    )
    # A soft-deleted manufacturer is no candidate: the cascade falls through to the next.
    rows = await load_all(loaders.by_id(MANUFACTURERS), [c.manufacturer_id for c in candidates])
    for candidate, row in zip(candidates, rows, strict=True):
        if row is not None:
            return Resolution(row, candidate.source)
    return Resolution(None, ManufacturerSource.UNASSIGNED)
