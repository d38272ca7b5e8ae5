"""What the catalog adds to the graph (schema/domain.py)."""

from __future__ import annotations

from auth.permissions import Permission
from domain.catalog import MAX_BULK_ASSIGN
from resolvers.catalog import sources
from resolvers.owners import MANUFACTURER_PROFILE, MANUFACTURER_RECORD
from schema.catalog import types
from schema.catalog.mutations import CatalogMutation
from schema.catalog.queries import CatalogQuery
from schema.domain import GraphDomain, NodeType

CATALOG = GraphDomain(
    name="catalog",
    query=CatalogQuery,
    mutation=CatalogMutation,
    nodes=(
        NodeType(types.ProductFamily, sources.FAMILIES, Permission.VIEW_FAMILIES),
        NodeType(
            types.ProductFamilyManufacturer,
            sources.ASSIGNMENTS,
            Permission.VIEW_FAMILIES,
            MANUFACTURER_RECORD,
        ),
        NodeType(types.Category, sources.CATEGORIES, Permission.VIEW_PRODUCTS),
        NodeType(types.Product, sources.PRODUCTS, Permission.VIEW_PRODUCTS),
        NodeType(types.Variant, sources.VARIANTS, Permission.VIEW_PRODUCTS),
        # A manufacturer's own profile is its row.
        NodeType(
            types.Manufacturer,
            sources.MANUFACTURERS,
            Permission.VIEW_MANUFACTURERS,
            MANUFACTURER_PROFILE,
        ),
    ),
    list_sizes={
        "Product.variants": 20,
        "ProductFamily.manufacturers": 10,
        "Manufacturer.families": 20,
        # As many as the input may name.
        "AssignProductsToFamilyPayload.products": MAX_BULK_ASSIGN,
    },
)
