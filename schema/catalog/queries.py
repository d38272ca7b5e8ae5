"""Catalog root query fields: connections with filter/orderBy, and lookups by key."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from resolvers.catalog import sources
from schema.catalog.lists import (
    CATEGORY_DEFAULT_ORDER,
    FAMILY_DEFAULT_ORDER,
    MANUFACTURER_DEFAULT_ORDER,
    PRODUCT_DEFAULT_ORDER,
    VARIANT_DEFAULT_ORDER,
    CategoryFilter,
    CategoryOrder,
    ManufacturerFilter,
    ManufacturerOrder,
    ProductFamilyFilter,
    ProductFamilyOrder,
    ProductFilter,
    ProductOrder,
    VariantFilter,
    VariantOrder,
)
from schema.catalog.types import Category, Manufacturer, Product, ProductFamily, Variant
from schema.connections import (
    After,
    Before,
    Connection,
    First,
    Last,
    Window,
    resolve_connection,
    sort_keys,
)
from schema.context import request_context
from schema.lookups import lookup_node
from schema.permissions import requires

OrderArg = strawberry.argument(description="Sort keys, in order; ties are broken by ID.")
FilterArg = strawberry.argument(description="Only items matching every given field.")


@strawberry.type
class CatalogQuery:
    @strawberry.field(
        description="Product families, by sort order then code unless ordered.",
        extensions=requires(Permission.VIEW_FAMILIES),
    )
    async def product_families(
        self,
        info: Info[Any, Any],
        filter: Annotated[ProductFamilyFilter | None, FilterArg] = None,
        order_by: Annotated[list[ProductFamilyOrder] | None, OrderArg] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ProductFamily]:
        return await resolve_connection(
            info,
            ProductFamily,
            sources.FAMILIES,
            window=Window(first, after, last, before),
            order=sort_keys(order_by, FAMILY_DEFAULT_ORDER),
            conditions=filter.conditions() if filter else [],
        )

    @strawberry.field(
        description="One product family by ID or by code.",
        extensions=requires(Permission.VIEW_FAMILIES),
    )
    async def product_family(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID | None, strawberry.argument(description="Its ID.")] = None,
        code: Annotated[str | None, strawberry.argument(description="Its code.")] = None,
    ) -> ProductFamily | None:
        return await lookup_node(info, ProductFamily, sources.FAMILIES, {"id": id, "code": code})

    @strawberry.field(
        description="Categories, by sort order then name unless ordered.",
        extensions=requires(Permission.VIEW_PRODUCTS),
    )
    async def categories(
        self,
        info: Info[Any, Any],
        filter: Annotated[CategoryFilter | None, FilterArg] = None,
        order_by: Annotated[list[CategoryOrder] | None, OrderArg] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Category]:
        return await resolve_connection(
            info,
            Category,
            sources.CATEGORIES,
            window=Window(first, after, last, before),
            order=sort_keys(order_by, CATEGORY_DEFAULT_ORDER),
            conditions=filter.conditions() if filter else [],
        )

    @strawberry.field(
        description="Products, by name unless ordered.",
        extensions=requires(Permission.VIEW_PRODUCTS),
    )
    async def products(
        self,
        info: Info[Any, Any],
        filter: Annotated[ProductFilter | None, FilterArg] = None,
        order_by: Annotated[list[ProductOrder] | None, OrderArg] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Product]:
        return await resolve_connection(
            info,
            Product,
            sources.PRODUCTS,
            window=Window(first, after, last, before),
            order=sort_keys(order_by, PRODUCT_DEFAULT_ORDER),
            conditions=filter.conditions() if filter else [],
        )

    @strawberry.field(
        description="One product by ID, code or SKU.",
        extensions=requires(Permission.VIEW_PRODUCTS),
    )
    async def product(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID | None, strawberry.argument(description="Its ID.")] = None,
        code: Annotated[str | None, strawberry.argument(description="Its code.")] = None,
        sku: Annotated[str | None, strawberry.argument(description="Its SKU.")] = None,
    ) -> Product | None:
        keys = {"id": id, "code": code, "sku": sku}
        return await lookup_node(info, Product, sources.PRODUCTS, keys)

    @strawberry.field(
        description="Variants, by SKU unless ordered.",
        extensions=requires(Permission.VIEW_PRODUCTS),
    )
    async def variants(
        self,
        info: Info[Any, Any],
        filter: Annotated[VariantFilter | None, FilterArg] = None,
        order_by: Annotated[list[VariantOrder] | None, OrderArg] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Variant]:
        return await resolve_connection(
            info,
            Variant,
            sources.VARIANTS,
            window=Window(first, after, last, before),
            order=sort_keys(order_by, VARIANT_DEFAULT_ORDER),
            conditions=filter.conditions() if filter else [],
        )

    @strawberry.field(
        description="One variant by ID or SKU.",
        extensions=requires(Permission.VIEW_PRODUCTS),
    )
    async def variant(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID | None, strawberry.argument(description="Its ID.")] = None,
        sku: Annotated[str | None, strawberry.argument(description="Its SKU.")] = None,
    ) -> Variant | None:
        return await lookup_node(info, Variant, sources.VARIANTS, {"id": id, "sku": sku})

    @strawberry.field(
        description="Manufacturers, by name unless ordered.",
        extensions=requires(Permission.VIEW_MANUFACTURERS),
    )
    async def manufacturers(
        self,
        info: Info[Any, Any],
        filter: Annotated[ManufacturerFilter | None, FilterArg] = None,
        order_by: Annotated[list[ManufacturerOrder] | None, OrderArg] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Manufacturer]:
        dialect = request_context(info).db.dialect
        return await resolve_connection(
            info,
            Manufacturer,
            sources.MANUFACTURERS,
            window=Window(first, after, last, before),
            order=sort_keys(order_by, MANUFACTURER_DEFAULT_ORDER),
            conditions=filter.conditions(dialect) if filter else [],
        )
