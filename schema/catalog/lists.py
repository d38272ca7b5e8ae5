"""The catalog lists: their filter inputs (and the SQL they mean), sort keys and defaults."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.enums import Capability, OnboardingStatus
from resolvers.catalog import sources
from resolvers.pagination import SortKey
from schema.context import request_context
from schema.inputs import optional
from schema.lists import ListOf, filter_values, order_input

_TYPES = "schema.catalog.types"


# -- families ----------------------------------------------------------------------------------


ProductFamilyOrder = order_input(
    "ProductFamily",
    "product families",
    code="By code.",
    name="By name.",
    sort_order="By the configured sort order.",
    lead_time_days="By lead time.",
    created_at="By creation time.",
)


@strawberry.input(description="Narrows a list of product families. All given fields must match.")
class ProductFamilyFilter:
    is_active: bool | None = optional("Only (in)active families.")
    search: str | None = optional("Case-insensitive substring of the code or name.")
    codes: list[str] | None = optional("Only these codes.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.family_conditions(**filter_values(self))


# -- categories --------------------------------------------------------------------------------


CategoryOrder = order_input(
    "Category",
    "categories",
    name="By name.",
    sort_order="By the configured sort order.",
    created_at="By creation time.",
)


@strawberry.input(description="Narrows a list of categories. All given fields must match.")
class CategoryFilter:
    family_id: strawberry.ID | None = optional("Only categories of this product family.")
    search: str | None = optional("Case-insensitive substring of the name.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.category_conditions(**filter_values(self, family_id="ProductFamily"))


# -- products ----------------------------------------------------------------------------------


ProductOrder = order_input(
    "Product",
    "products",
    name="By name.",
    created_at="By creation time.",
    updated_at="By last change.",
)


@strawberry.input(description="Narrows a list of products. All given fields must match.")
class ProductFilter:
    family_id: strawberry.ID | None = optional(
        "Only products of this family (their own family, else their category's)."
    )
    category_id: strawberry.ID | None = optional("Only products of this category.")
    manufacturer_override_id: strawberry.ID | None = optional(
        "Only products overridden to this manufacturer."
    )
    has_manufacturer_override: bool | None = optional(
        "Only products with (true) or without (false) an override."
    )
    search: str | None = optional("Case-insensitive substring of the name, SKU or code.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.product_conditions(
            **filter_values(
                self,
                family_id="ProductFamily",
                category_id="Category",
                manufacturer_override_id="Manufacturer",
            )
        )


# -- variants ----------------------------------------------------------------------------------


VariantOrder = order_input(
    "Variant",
    "variants",
    sku="By SKU.",
    title="By title.",
    created_at="By creation time.",
)


@strawberry.input(description="Narrows a list of variants. All given fields must match.")
class VariantFilter:
    product_id: strawberry.ID | None = optional("Only variants of this product.")
    size: str | None = optional('Only this size, e.g. "M".')
    colour: str | None = optional("Only this colour.")
    search: str | None = optional("Case-insensitive substring of the SKU or title.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.variant_conditions(**filter_values(self, product_id="Product"))


# -- manufacturers -----------------------------------------------------------------------------


ManufacturerOrder = order_input(
    "Manufacturer",
    "manufacturers",
    name="By name.",
    created_at="By creation time.",
)


@strawberry.input(description="Narrows a list of manufacturers. All given fields must match.")
class ManufacturerFilter:
    search: str | None = optional("Case-insensitive substring of the name or email.")
    country: str | None = optional('ISO 3166-1 alpha-2 country code, e.g. "PK".')
    accepting_orders: bool | None = optional("Only manufacturers (not) accepting orders.")
    onboarding_statuses: list[OnboardingStatus] | None = optional("Only these onboarding statuses.")
    capability: Capability | None = optional("Only manufacturers listing this capability.")
    family_id: strawberry.ID | None = optional(
        "Only manufacturers assigned to this product family."
    )

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.manufacturer_conditions(
            **filter_values(self, family_id="ProductFamily"),
            dialect=request_context(info).db.dialect,
        )


# -- the lists ---------------------------------------------------------------------------------

FAMILIES = ListOf(
    "ProductFamily",
    _TYPES,
    sources.FAMILIES,
    default_order=(SortKey("sort_order"), SortKey("code")),
    filter=ProductFamilyFilter,
    order=ProductFamilyOrder,
    permission=Permission.VIEW_FAMILIES,
)
CATEGORIES = ListOf(
    "Category",
    _TYPES,
    sources.CATEGORIES,
    default_order=(SortKey("sort_order"), SortKey("name")),
    filter=CategoryFilter,
    order=CategoryOrder,
    permission=Permission.VIEW_PRODUCTS,
)
PRODUCTS = ListOf(
    "Product",
    _TYPES,
    sources.PRODUCTS,
    default_order=(SortKey("name"),),
    filter=ProductFilter,
    order=ProductOrder,
    permission=Permission.VIEW_PRODUCTS,
)
VARIANTS = ListOf(
    "Variant",
    _TYPES,
    sources.VARIANTS,
    default_order=(SortKey("sku"),),
    filter=VariantFilter,
    order=VariantOrder,
    permission=Permission.VIEW_PRODUCTS,
)
MANUFACTURERS = ListOf(
    "Manufacturer",
    _TYPES,
    sources.MANUFACTURERS,
    default_order=(SortKey("name"),),
    filter=ManufacturerFilter,
    order=ManufacturerOrder,
    permission=Permission.VIEW_MANUFACTURERS,
)
