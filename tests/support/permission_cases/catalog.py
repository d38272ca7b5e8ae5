"""Catalog, manufacturer and API-key rows of the permission matrix (SPEC §4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support import factories
from tests.support.permission_matrix import Case, World, lookup_case, mutation_case, n


async def _fresh_family(world: World) -> dict[str, Any]:
    return {"id": (await factories.family(world.admin))["id"]}


async def _fresh_assignment(world: World) -> dict[str, Any]:
    family = await factories.family(world.admin)
    assignment = await factories.assignment(
        world.admin, family["id"], world.other_manufacturer["id"]
    )
    return {"id": assignment["id"]}


async def _with_family(world: World, build: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    return build((await factories.family(world.admin))["id"])


FAMILIES_Q = "{ productFamilies { edges { node { %s } } } }"
PRODUCTS_Q = "{ products { edges { node { %s } } } }"
MANUFACTURERS_Q = "{ manufacturers { edges { node { %s } } } }"
ASSIGNMENTS_Q = "{ productFamilies { edges { node { manufacturers { %s } } } } }"

CASES: list[Case] = [
    # -- root queries: "View families = A O S F", "View products = A O S F",
    #    "View manufacturers = A O F" (+ "View own profile" M), readonly = all reads.
    Case("Query.productFamilies", "{ productFamilies { totalCount } }", "UAOSFR"),
    lookup_case("productFamily", "code", "UAOSFR", lambda w: w.family),
    Case("Query.categories", "{ categories { totalCount } }", "UAOSFR"),
    Case("Query.products", "{ products { totalCount } }", "UAOSFR"),
    lookup_case("product", "name", "UAOSFR", lambda w: w.product),
    Case("Query.variants", "{ variants { totalCount } }", "UAOSFR"),
    lookup_case("variant", "sku", "UAOSFR", lambda w: w.variant),
    Case("Query.manufacturers", "{ manufacturers { edges { node { name } } } }", "UAOFRM"),
    # -- relations into another permission's type
    Case("ProductFamily.defaultManufacturer", FAMILIES_Q % "defaultManufacturer { name }", "UAOFR"),
    Case(
        "ProductFamilyManufacturer.manufacturer", ASSIGNMENTS_Q % "manufacturer { name }", "UAOFR"
    ),
    Case("Manufacturer.families", MANUFACTURERS_Q % "families { priority }", "UAOFR"),
    # -- sensitive fields: "View cost data = A O F", "View family pricing = A O F",
    #    "View payment terms = A O F" (a manufacturer: its own), readonly = all reads.
    Case("ProductFamily.targetCostMin", FAMILIES_Q % "targetCostMin { amount }", "UAOF"),
    Case("ProductFamily.targetCostMax", FAMILIES_Q % "targetCostMax { amount }", "UAOF"),
    Case("ProductFamilyManufacturer.costPerUnit", ASSIGNMENTS_Q % "costPerUnit { amount }", "UAOF"),
    Case("ProductFamilyManufacturer.paymentTerms", ASSIGNMENTS_Q % "paymentTerms", "UAOFR"),
    Case("Product.unitCost", PRODUCTS_Q % "unitCost { amount }", "UAOF"),
    Case("Manufacturer.paymentTerms", MANUFACTURERS_Q % "paymentTerms", "UAOFRM"),
    # "Bank data, tax IDs: admin/finance only" (SPEC §4 "Sensitive fields").
    Case("Manufacturer.bankDetails", MANUFACTURERS_Q % "bankDetails { bankName }", "UAF"),
    # -- mutations: "Create/edit families = A", "Assign manufacturers = A O",
    #    "Create/edit products = A O", "Assign to families = A O",
    #    "Create/edit manufacturers = A", "Update own capabilities = A M"; API keys: admin.
    mutation_case(
        "createProductFamily", "UA", lambda w: {"code": f"F_{n()}", "name": "New family"}
    ),
    mutation_case(
        "updateProductFamily", "UA", lambda w: {"id": w.family["id"], "description": f"d{n()}"}
    ),
    mutation_case("deactivateProductFamily", "UA", _fresh_family),
    mutation_case("deleteProductFamily", "UA", _fresh_family),
    mutation_case(
        "assignProductsToFamily",
        "UAO",
        lambda w: {"familyId": w.family["id"], "productIds": [w.product["id"]]},
    ),
    mutation_case(
        "addFamilyManufacturer",
        "UAO",
        lambda w: _with_family(
            w, lambda f: {"familyId": f, "manufacturerId": w.own_manufacturer["id"]}
        ),
    ),
    mutation_case(
        "updateFamilyManufacturer", "UAO", lambda w: {"id": w.assignment["id"], "moq": n()}
    ),
    mutation_case("removeFamilyManufacturer", "UAO", _fresh_assignment),
    mutation_case("createCategory", "UAO", lambda w: {"name": f"Category {n()}"}),
    mutation_case(
        "updateCategory", "UAO", lambda w: {"id": w.category["id"], "description": f"d{n()}"}
    ),
    mutation_case("createProduct", "UAO", lambda w: {"name": "P", "sku": f"SKU-P{n()}"}),
    mutation_case(
        "updateProduct", "UAO", lambda w: {"id": w.product["id"], "description": f"d{n()}"}
    ),
    mutation_case(
        "setProductManufacturerOverride",
        "UAO",
        lambda w: {"productId": w.product["id"], "manufacturerId": w.own_manufacturer["id"]},
    ),
    mutation_case(
        "clearProductManufacturerOverride", "UAO", lambda w: {"productId": w.product["id"]}
    ),
    mutation_case(
        "createVariant",
        "UAO",
        lambda w: {"productId": w.product["id"], "sku": f"V-{n()}", "title": "V"},
    ),
    mutation_case("updateVariant", "UAO", lambda w: {"id": w.variant["id"], "title": f"V{n()}"}),
    mutation_case("createManufacturer", "UA", lambda w: {"name": f"M{n()}"}),
    mutation_case(
        "updateManufacturer",
        "UA",
        lambda w: {"id": w.own_manufacturer["id"], "city": f"City {n()}"},
    ),
    mutation_case(
        "updateManufacturerCapabilities",
        "UAM",
        lambda w: {"id": w.own_manufacturer["id"], "capabilities": ["EMBROIDERY"]},
    ),
]
