"""Build catalog data through the public mutations, as a client would."""

from __future__ import annotations

import itertools
from typing import Any

from tests.support.graphql import GraphQLClient, mutation_document

_seq = itertools.count(1)

ERRORS = "errors { code field message }"
FAMILY = mutation_document(
    "createProductFamily", f"productFamily {{ id code name version isActive }} {ERRORS}"
)
MANUFACTURER = mutation_document(
    "createManufacturer", f"manufacturer {{ id name version }} {ERRORS}"
)
ASSIGN = mutation_document(
    "addFamilyManufacturer", f"assignment {{ id priority version }} {ERRORS}"
)
CATEGORY = mutation_document("createCategory", f"category {{ id name }} {ERRORS}")
PRODUCT = mutation_document("createProduct", f"product {{ id name sku version }} {ERRORS}")
VARIANT = mutation_document("createVariant", f"variant {{ id sku }} {ERRORS}")


async def family(client: GraphQLClient, **values: Any) -> Any:
    n = next(_seq)
    values = {"code": f"FAM_{n}", "name": f"Family {n}", **values}
    return await client.mutate_ok(FAMILY, values, "productFamily")


async def manufacturer(client: GraphQLClient, **values: Any) -> Any:
    values = {"name": f"Manufacturer {next(_seq)}", **values}
    return await client.mutate_ok(MANUFACTURER, values, "manufacturer")


async def assignment(
    client: GraphQLClient, family_id: str, manufacturer_id: str, **values: Any
) -> Any:
    values = {"familyId": family_id, "manufacturerId": manufacturer_id, **values}
    return await client.mutate_ok(ASSIGN, values, "assignment")


async def category(client: GraphQLClient, **values: Any) -> Any:
    values = {"name": f"Category {next(_seq)}", **values}
    return await client.mutate_ok(CATEGORY, values, "category")


async def product(client: GraphQLClient, **values: Any) -> Any:
    n = next(_seq)
    values = {"name": f"Product {n}", "sku": f"SKU-{n}", **values}
    return await client.mutate_ok(PRODUCT, values, "product")


async def variant(client: GraphQLClient, product_id: str, **values: Any) -> Any:
    n = next(_seq)
    values = {"productId": product_id, "sku": f"VAR-{n}", "title": f"Variant {n}", **values}
    return await client.mutate_ok(VARIANT, values, "variant")
