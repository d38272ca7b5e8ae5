"""Catalog root query fields: connections with filter/orderBy, and lookups by key."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from resolvers.catalog import sources
from schema.catalog.lists import CATEGORIES, FAMILIES, MANUFACTURERS, PRODUCTS, VARIANTS
from schema.catalog.types import Product, ProductFamily, Variant
from schema.lookups import lookup_node
from schema.permissions import requires


@strawberry.type
class CatalogQuery:
    product_families = FAMILIES.field(
        description="Product families, by sort order then code unless ordered."
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

    categories = CATEGORIES.field(description="Categories, by sort order then name unless ordered.")

    products = PRODUCTS.field(description="Products, by name unless ordered.")

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

    variants = VARIANTS.field(description="Variants, by SKU unless ordered.")

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

    manufacturers = MANUFACTURERS.field(description="Manufacturers, by name unless ordered.")
