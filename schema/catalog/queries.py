"""Catalog root query fields: connections with filter/orderBy, and lookups by key."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from resolvers.catalog import sources
from schema.catalog.lists import CATEGORIES, FAMILIES, MANUFACTURERS, PRODUCTS, VARIANTS
from schema.catalog.types import Product, ProductFamily, Variant
from schema.lookups import lookup_field


@strawberry.type
class CatalogQuery:
    product_families = FAMILIES.field(
        description="Product families, by sort order then code unless ordered."
    )

    product_family = lookup_field(
        ProductFamily,
        sources.FAMILIES,
        Permission.VIEW_FAMILIES,
        "One product family by ID or by code.",
        id="Its ID.",
        code="Its code.",
    )

    categories = CATEGORIES.field(description="Categories, by sort order then name unless ordered.")

    products = PRODUCTS.field(description="Products, by name unless ordered.")

    product = lookup_field(
        Product,
        sources.PRODUCTS,
        Permission.VIEW_PRODUCTS,
        "One product by ID, code or SKU.",
        id="Its ID.",
        code="Its code.",
        sku="Its SKU.",
    )

    variants = VARIANTS.field(description="Variants, by SKU unless ordered.")

    variant = lookup_field(
        Variant,
        sources.VARIANTS,
        Permission.VIEW_PRODUCTS,
        "One variant by ID or SKU.",
        id="Its ID.",
        sku="Its SKU.",
    )

    manufacturers = MANUFACTURERS.field(description="Manufacturers, by name unless ordered.")
