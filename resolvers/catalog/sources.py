"""What the catalog lists read from, and how their filters become SQL.

Written once per entity and used both by top-level connections and by nested ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, FromClause, exists, func, literal, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB

from db import models
from db.models.catalog import product_family_id, with_category
from domain.enums import Capability, OnboardingStatus
from resolvers.filters import containing, equal, one_of

FAMILIES: FromClause = models.ProductFamily.__table__
CATEGORIES: FromClause = models.Category.__table__
VARIANTS: FromClause = models.Variant.__table__
MANUFACTURERS: FromClause = models.Manufacturer.__table__
ASSIGNMENTS: FromClause = models.ProductFamilyManufacturer.__table__


def _products_with_family() -> FromClause:
    """Products with `effective_family_id`: their own family, else their category's (BR-1)."""
    products = models.Product.__table__
    return (
        select(products, product_family_id().label("effective_family_id"))
        .select_from(with_category(products))
        .subquery("products_with_family")
    )


PRODUCTS: FromClause = _products_with_family()


def family_conditions(
    *, is_active: bool | None, search: str | None, codes: Sequence[str] | None
) -> list[ColumnElement[bool]]:
    t = FAMILIES.c
    return [
        *containing([t.code, t.name], search),
        *equal((t.is_active, is_active)),
        *one_of(t.code, codes),
    ]


def category_conditions(
    *, family_id: uuid.UUID | None, search: str | None
) -> list[ColumnElement[bool]]:
    t = CATEGORIES.c
    return [*containing([t.name], search), *equal((t.product_family_id, family_id))]


def product_conditions(
    *,
    family_id: uuid.UUID | None,
    category_id: uuid.UUID | None,
    manufacturer_override_id: uuid.UUID | None,
    has_manufacturer_override: bool | None,
    search: str | None,
) -> list[ColumnElement[bool]]:
    t = PRODUCTS.c
    conditions = [
        *containing([t.name, t.sku, t.code], search),
        *equal(
            (t.effective_family_id, family_id),
            (t.product_category_id, category_id),
            (t.manufacturer_override_id, manufacturer_override_id),
        ),
    ]
    if has_manufacturer_override is not None:
        column = t.manufacturer_override_id
        conditions.append(column.is_not(None) if has_manufacturer_override else column.is_(None))
    return conditions


def variant_conditions(
    *, product_id: uuid.UUID | None, size: str | None, colour: str | None, search: str | None
) -> list[ColumnElement[bool]]:
    t = VARIANTS.c
    return [
        *containing([t.sku, t.title], search),
        *equal((t.product_id, product_id), (t.size, size), (t.colour, colour)),
    ]


def manufacturer_conditions(
    *,
    search: str | None,
    country: str | None,
    accepting_orders: bool | None,
    onboarding_statuses: Sequence[OnboardingStatus] | None,
    capability: Capability | None,
    family_id: uuid.UUID | None,
    dialect: str,
) -> list[ColumnElement[bool]]:
    t = MANUFACTURERS.c
    conditions = [
        *containing([t.name, t.email], search),
        *equal((t.country, country and country.upper()), (t.accepting_orders, accepting_orders)),
        *one_of(t.onboarding_status, [s.value for s in onboarding_statuses or ()]),
    ]
    if capability is not None:
        conditions.append(_json_list_contains(t.capabilities, capability.value, dialect))
    if family_id is not None:
        a = ASSIGNMENTS.c
        conditions.append(
            exists().where(a.manufacturer_id == t.id, a.product_family_id == family_id)
        )
    return conditions


def _json_list_contains(
    column: ColumnElement[object], value: str, dialect: str
) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return type_coerce(column, JSONB).contains([value])
    each = func.json_each(column).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == value))
