"""The OpsGraph schema: `schema.schema` is the strawberry Schema every transport serves."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from resolvers.catalog import sources
from schema.catalog.mutations import CatalogMutation
from schema.catalog.queries import CatalogQuery
from schema.catalog.types import (
    Category,
    Manufacturer,
    Product,
    ProductFamily,
    ProductFamilyManufacturer,
    Variant,
)
from schema.extensions import DebugSql, MaskUnexpectedErrors, RequestScope
from schema.node import register_node
from schema.node_query import NodeQuery

for node_type, source in (
    (ProductFamily, sources.FAMILIES),
    (ProductFamilyManufacturer, sources.ASSIGNMENTS),
    (Category, sources.CATEGORIES),
    (Product, sources.PRODUCTS),
    (Variant, sources.VARIANTS),
    (Manufacturer, sources.MANUFACTURERS),
):
    register_node(node_type, source)


@strawberry.type(description="Read the graph.")
class Query(NodeQuery, CatalogQuery):
    pass


@strawberry.type(description="Change the graph. Every mutation is one all-or-nothing transaction.")
class Mutation(CatalogMutation):
    pass


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[MaskUnexpectedErrors, RequestScope, DebugSql],
    config=StrawberryConfig(auto_camel_case=True),
)
