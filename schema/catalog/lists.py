"""Filter and ordering inputs of the catalog lists, and their translation to SQL."""

from __future__ import annotations

import uuid
from enum import Enum

import strawberry
from sqlalchemy import ColumnElement

from domain.enums import Capability, OnboardingStatus
from resolvers.catalog import sources
from resolvers.ids import InvalidGlobalId, decode_id
from resolvers.pagination import SortKey
from schema.connections import OrderDirection
from schema.errors import bad_user_input


def filter_id(value: strawberry.ID | None, type_name: str, field: str) -> uuid.UUID | None:
    """Decode an ID inside a filter; a bad one is BAD_USER_INPUT (queries have no payload)."""
    if value is None:
        return None
    try:
        found, pk = decode_id(value)
    except InvalidGlobalId as exc:
        raise bad_user_input(str(exc)) from exc
    if found != type_name:
        raise bad_user_input(f"filter.{field} must be the ID of a {type_name}")
    return pk


_DIRECTION = "Sort direction; ascending by default."


# -- families ----------------------------------------------------------------------------------


@strawberry.enum(description="Fields product families can be sorted by.")
class ProductFamilyOrderField(Enum):
    CODE = strawberry.enum_value("code", description="By code.")
    NAME = strawberry.enum_value("name", description="By name.")
    SORT_ORDER = strawberry.enum_value("sort_order", description="By the configured sort order.")
    LEAD_TIME_DAYS = strawberry.enum_value("lead_time_days", description="By lead time.")
    CREATED_AT = strawberry.enum_value("created_at", description="By creation time.")


@strawberry.input(description="One sort key for product families.")
class ProductFamilyOrder:
    field: ProductFamilyOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


FAMILY_DEFAULT_ORDER = (SortKey("sort_order"), SortKey("code"))


@strawberry.input(description="Narrows a list of product families. All given fields must match.")
class ProductFamilyFilter:
    is_active: bool | None = strawberry.field(default=None, description="Only (in)active families.")
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the code or name."
    )
    codes: list[str] | None = strawberry.field(default=None, description="Only these codes.")

    def conditions(self) -> list[ColumnElement[bool]]:
        return sources.family_conditions(
            is_active=self.is_active, search=self.search, codes=self.codes
        )


# -- categories --------------------------------------------------------------------------------


@strawberry.enum(description="Fields categories can be sorted by.")
class CategoryOrderField(Enum):
    NAME = strawberry.enum_value("name", description="By name.")
    SORT_ORDER = strawberry.enum_value("sort_order", description="By the configured sort order.")
    CREATED_AT = strawberry.enum_value("created_at", description="By creation time.")


@strawberry.input(description="One sort key for categories.")
class CategoryOrder:
    field: CategoryOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


CATEGORY_DEFAULT_ORDER = (SortKey("sort_order"), SortKey("name"))


@strawberry.input(description="Narrows a list of categories. All given fields must match.")
class CategoryFilter:
    family_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only categories of this product family."
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the name."
    )

    def conditions(self) -> list[ColumnElement[bool]]:
        return sources.category_conditions(
            family_id=filter_id(self.family_id, "ProductFamily", "familyId"), search=self.search
        )


# -- products ----------------------------------------------------------------------------------


@strawberry.enum(description="Fields products can be sorted by.")
class ProductOrderField(Enum):
    NAME = strawberry.enum_value("name", description="By name.")
    CREATED_AT = strawberry.enum_value("created_at", description="By creation time.")
    UPDATED_AT = strawberry.enum_value("updated_at", description="By last change.")


@strawberry.input(description="One sort key for products.")
class ProductOrder:
    field: ProductOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


PRODUCT_DEFAULT_ORDER = (SortKey("name"),)


@strawberry.input(description="Narrows a list of products. All given fields must match.")
class ProductFilter:
    family_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only products of this family (their own family, else their category's).",
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only products of this category."
    )
    manufacturer_override_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only products overridden to this manufacturer."
    )
    has_manufacturer_override: bool | None = strawberry.field(
        default=None, description="Only products with (true) or without (false) an override."
    )
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the name, SKU or code."
    )

    def conditions(self) -> list[ColumnElement[bool]]:
        return sources.product_conditions(
            family_id=filter_id(self.family_id, "ProductFamily", "familyId"),
            category_id=filter_id(self.category_id, "Category", "categoryId"),
            manufacturer_override_id=filter_id(
                self.manufacturer_override_id, "Manufacturer", "manufacturerOverrideId"
            ),
            has_manufacturer_override=self.has_manufacturer_override,
            search=self.search,
        )


# -- variants ----------------------------------------------------------------------------------


@strawberry.enum(description="Fields variants can be sorted by.")
class VariantOrderField(Enum):
    SKU = strawberry.enum_value("sku", description="By SKU.")
    TITLE = strawberry.enum_value("title", description="By title.")
    CREATED_AT = strawberry.enum_value("created_at", description="By creation time.")


@strawberry.input(description="One sort key for variants.")
class VariantOrder:
    field: VariantOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


VARIANT_DEFAULT_ORDER = (SortKey("sku"),)


@strawberry.input(description="Narrows a list of variants. All given fields must match.")
class VariantFilter:
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only variants of this product."
    )
    size: str | None = strawberry.field(default=None, description='Only this size, e.g. "M".')
    colour: str | None = strawberry.field(default=None, description="Only this colour.")
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the SKU or title."
    )

    def conditions(self) -> list[ColumnElement[bool]]:
        return sources.variant_conditions(
            product_id=filter_id(self.product_id, "Product", "productId"),
            size=self.size,
            colour=self.colour,
            search=self.search,
        )


# -- manufacturers -----------------------------------------------------------------------------


@strawberry.enum(description="Fields manufacturers can be sorted by.")
class ManufacturerOrderField(Enum):
    NAME = strawberry.enum_value("name", description="By name.")
    CREATED_AT = strawberry.enum_value("created_at", description="By creation time.")


@strawberry.input(description="One sort key for manufacturers.")
class ManufacturerOrder:
    field: ManufacturerOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


MANUFACTURER_DEFAULT_ORDER = (SortKey("name"),)


@strawberry.input(description="Narrows a list of manufacturers. All given fields must match.")
class ManufacturerFilter:
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the name or email."
    )
    country: str | None = strawberry.field(
        default=None, description='ISO 3166-1 alpha-2 country code, e.g. "PK".'
    )
    accepting_orders: bool | None = strawberry.field(
        default=None, description="Only manufacturers (not) accepting orders."
    )
    onboarding_statuses: list[OnboardingStatus] | None = strawberry.field(
        default=None, description="Only these onboarding statuses."
    )
    capability: Capability | None = strawberry.field(
        default=None, description="Only manufacturers listing this capability."
    )
    family_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only manufacturers assigned to this product family."
    )

    def conditions(self, dialect: str) -> list[ColumnElement[bool]]:
        return sources.manufacturer_conditions(
            search=self.search,
            country=self.country,
            accepting_orders=self.accepting_orders,
            onboarding_statuses=self.onboarding_statuses,
            capability=self.capability,
            family_id=filter_id(self.family_id, "ProductFamily", "familyId"),
            dialect=dialect,
        )
