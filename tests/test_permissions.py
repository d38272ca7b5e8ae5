"""SPEC §4's permission matrix, checked against the running graph for every role.

`CASES` is the table: one row per root field, mutation and guarded field, with the roles
SPEC §4 allows, transcribed from the spec (not from auth/permissions.py, so the two are
checked against each other). Later domains add rows, not test code; a test fails when a
root field, mutation or guarded field has no row.

Letters: U superadmin, A admin, O ops, S sales, F finance, M manufacturer (its own records),
C customer, P partner, R readonly.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from strawberry.types.base import StrawberryObjectDefinition

from auth.permissions import Role
from resolvers.ids import decode_id
from schema import schema
from schema.permissions import permission_of
from tests import factories
from tests.db_state import row_counts
from tests.graphql import GraphQLClient

LETTERS = {
    "U": Role.SUPERADMIN,
    "A": Role.ADMIN,
    "O": Role.OPS,
    "S": Role.SALES,
    "F": Role.FINANCE,
    "M": Role.MANUFACTURER,
    "C": Role.CUSTOMER,
    "P": Role.PARTNER,
    "R": Role.READONLY,
}
_unique = itertools.count(1)


@dataclass
class World:
    """Catalog data every case can refer to, made by an admin."""

    admin: GraphQLClient
    family: dict[str, Any]
    own_manufacturer: dict[str, Any]
    other_manufacturer: dict[str, Any]
    category: dict[str, Any]
    product: dict[str, Any]
    variant: dict[str, Any]
    assignment: dict[str, Any]

    @property
    def own_manufacturer_uuid(self) -> uuid.UUID:
        return decode_id(self.own_manufacturer["id"])[1]


Variables = Callable[[World], Awaitable[dict[str, Any]]]


async def _none(world: World) -> dict[str, Any]:
    return {}


@dataclass
class Case:
    name: str  # "Query.field", "Mutation.field" or "Type.field"
    document: str
    allowed: str
    variables: Variables = _none
    mutation: bool = field(init=False)

    def __post_init__(self) -> None:
        self.mutation = self.name.startswith("Mutation.")

    def allows(self, role: Role | None) -> bool:
        return role is not None and any(LETTERS[letter] == role for letter in self.allowed)


def _input(build: Callable[[World], Awaitable[dict[str, Any]] | dict[str, Any]]) -> Variables:
    async def variables(world: World) -> dict[str, Any]:
        value = build(world)
        if not isinstance(value, dict):
            value = await value
        return {"input": value}

    return variables


def _mutation(name: str, input_type: str, allowed: str, build: Any) -> Case:
    document = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ errors {{ code message }} }} }}"
    return Case(f"Mutation.{name}", document, allowed, _input(build))


def _n() -> int:
    return next(_unique)


async def _fresh_family(world: World) -> dict[str, Any]:
    return {"id": (await factories.family(world.admin))["id"]}


async def _fresh_assignment(world: World) -> dict[str, Any]:
    family = await factories.family(world.admin)
    assignment = await factories.assignment(
        world.admin, family["id"], world.other_manufacturer["id"]
    )
    return {"id": assignment["id"]}


async def _fresh_api_key(world: World) -> dict[str, Any]:
    payload = await world.admin.mutate(
        'mutation { createApiKey(input: {name: "k"}) { apiKey { id } errors { code } } }'
    )
    return {"id": payload["apiKey"]["id"]}


FAMILIES_Q = "{ productFamilies { edges { node { %s } } } }"
PRODUCTS_Q = "{ products { edges { node { %s } } } }"
MANUFACTURERS_Q = "{ manufacturers { edges { node { %s } } } }"
ASSIGNMENTS_Q = "{ productFamilies { edges { node { manufacturers { %s } } } } }"

CASES: list[Case] = [
    # -- root queries: "View families = A O S F", "View products = A O S F",
    #    "View manufacturers = A O F" (+ "View own profile" M), readonly = all reads.
    Case("Query.productFamilies", "{ productFamilies { totalCount } }", "UAOSFR"),
    Case(
        "Query.productFamily",
        "query($id: ID) { productFamily(id: $id) { code } }",
        "UAOSFR",
        lambda w: _async({"id": w.family["id"]}),
    ),
    Case("Query.categories", "{ categories { totalCount } }", "UAOSFR"),
    Case("Query.products", "{ products { totalCount } }", "UAOSFR"),
    Case(
        "Query.product",
        "query($id: ID) { product(id: $id) { name } }",
        "UAOSFR",
        lambda w: _async({"id": w.product["id"]}),
    ),
    Case("Query.variants", "{ variants { totalCount } }", "UAOSFR"),
    Case(
        "Query.variant",
        "query($id: ID) { variant(id: $id) { sku } }",
        "UAOSFR",
        lambda w: _async({"id": w.variant["id"]}),
    ),
    Case("Query.manufacturers", "{ manufacturers { edges { node { name } } } }", "UAOFRM"),
    Case("Query.apiKeys", "{ apiKeys { totalCount } }", "UA"),
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
    _mutation(
        "createProductFamily",
        "CreateProductFamilyInput",
        "UA",
        lambda w: {"code": f"F_{_n()}", "name": "New family"},
    ),
    _mutation(
        "updateProductFamily",
        "UpdateProductFamilyInput",
        "UA",
        lambda w: {"id": w.family["id"], "description": f"d{_n()}"},
    ),
    _mutation("deactivateProductFamily", "DeactivateProductFamilyInput", "UA", _fresh_family),
    _mutation("deleteProductFamily", "DeleteProductFamilyInput", "UA", _fresh_family),
    _mutation(
        "assignProductsToFamily",
        "AssignProductsToFamilyInput",
        "UAO",
        lambda w: {"familyId": w.family["id"], "productIds": [w.product["id"]]},
    ),
    _mutation(
        "addFamilyManufacturer",
        "AddFamilyManufacturerInput",
        "UAO",
        lambda w: _with_family(
            w, lambda f: {"familyId": f, "manufacturerId": w.own_manufacturer["id"]}
        ),
    ),
    _mutation(
        "updateFamilyManufacturer",
        "UpdateFamilyManufacturerInput",
        "UAO",
        lambda w: {"id": w.assignment["id"], "moq": _n()},
    ),
    _mutation(
        "removeFamilyManufacturer", "RemoveFamilyManufacturerInput", "UAO", _fresh_assignment
    ),
    _mutation(
        "createCategory", "CreateCategoryInput", "UAO", lambda w: {"name": f"Category {_n()}"}
    ),
    _mutation(
        "updateCategory",
        "UpdateCategoryInput",
        "UAO",
        lambda w: {"id": w.category["id"], "description": f"d{_n()}"},
    ),
    _mutation(
        "createProduct",
        "CreateProductInput",
        "UAO",
        lambda w: {"name": "P", "sku": f"SKU-P{_n()}"},
    ),
    _mutation(
        "updateProduct",
        "UpdateProductInput",
        "UAO",
        lambda w: {"id": w.product["id"], "description": f"d{_n()}"},
    ),
    _mutation(
        "setProductManufacturerOverride",
        "SetProductManufacturerOverrideInput",
        "UAO",
        lambda w: {"productId": w.product["id"], "manufacturerId": w.own_manufacturer["id"]},
    ),
    _mutation(
        "clearProductManufacturerOverride",
        "ClearProductManufacturerOverrideInput",
        "UAO",
        lambda w: {"productId": w.product["id"]},
    ),
    _mutation(
        "createVariant",
        "CreateVariantInput",
        "UAO",
        lambda w: {"productId": w.product["id"], "sku": f"V-{_n()}", "title": "V"},
    ),
    _mutation(
        "updateVariant",
        "UpdateVariantInput",
        "UAO",
        lambda w: {"id": w.variant["id"], "title": f"V{_n()}"},
    ),
    _mutation(
        "createManufacturer", "CreateManufacturerInput", "UA", lambda w: {"name": f"M{_n()}"}
    ),
    _mutation(
        "updateManufacturer",
        "UpdateManufacturerInput",
        "UA",
        lambda w: {"id": w.own_manufacturer["id"], "city": f"City {_n()}"},
    ),
    _mutation(
        "updateManufacturerCapabilities",
        "UpdateManufacturerCapabilitiesInput",
        "UAM",
        lambda w: {"id": w.own_manufacturer["id"], "capabilities": ["EMBROIDERY"]},
    ),
    _mutation("createApiKey", "CreateApiKeyInput", "UA", lambda w: {"name": f"Partner {_n()}"}),
    _mutation("revokeApiKey", "RevokeApiKeyInput", "UA", _fresh_api_key),
]

# Root fields that need no permission of their own: `node`/`nodes` check the permission of
# each type they return (tested below), `viewer` describes the caller to itself.
UNGUARDED_ROOT_FIELDS = {"Query.node", "Query.nodes", "Query.viewer"}


async def _async(value: dict[str, Any]) -> dict[str, Any]:
    return value


async def _with_family(world: World, build: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    return build((await factories.family(world.admin))["id"])


async def _world(admin: GraphQLClient) -> World:
    own = await factories.manufacturer(admin)
    other = await factories.manufacturer(admin)
    family = await factories.family(
        admin, defaultManufacturerId=own["id"], targetCostMin="10.00", targetCostMax="20.00"
    )
    assignment = await factories.assignment(
        admin, family["id"], other["id"], costPerUnit="12.50", paymentTerms="NET30"
    )
    category = await factories.category(admin, productFamilyId=family["id"])
    product = await factories.product(admin, productCategoryId=category["id"], unitCost="9.99")
    variant = await factories.variant(admin, product["id"])
    return World(admin, family, own, other, category, product, variant, assignment)


def _client_for(admin: GraphQLClient, world: World, role: Role | None) -> GraphQLClient:
    if role is None:
        return admin.anonymous()
    if role is Role.MANUFACTURER:
        return admin.as_role(role, manufacturer_id=world.own_manufacturer_uuid)
    if role is Role.CUSTOMER:
        return admin.as_role(role, customer_id=uuid.uuid4())
    return admin.as_role(role)


async def _outcome(client: GraphQLClient, case: Case, world: World, database: Any) -> str | None:
    """None when the case behaved as allowed or denied should; else what went wrong."""
    allowed = case.allows(client.role)
    variables = await case.variables(world)
    before = await row_counts(database) if case.mutation else None
    body = await client.raw(case.document, variables)
    errors = body.get("errors") or []
    if allowed:
        if errors:
            return f"allowed but got errors {[e['message'] for e in errors]}"
        if case.mutation:
            (payload,) = body["data"].values()
            if payload["errors"]:
                return f"allowed but the mutation failed: {payload['errors']}"
        return None
    expected = "UNAUTHENTICATED" if client.role is None else "FORBIDDEN"
    codes = {error.get("extensions", {}).get("code") for error in errors}
    if codes != {expected}:
        return f"denied: expected {expected}, got codes {codes} (data {body.get('data')})"
    if before is not None and await row_counts(database) != before:
        return "denied, yet the mutation changed the database"
    return None


@pytest.mark.parametrize("role", [*Role, None], ids=[*(r.value for r in Role), "anonymous"])
async def test_every_field_and_mutation_follows_the_matrix(client, database, role):
    world = await _world(client)
    acting = _client_for(client, world, role)
    mismatches = []
    for case in CASES:
        problem = await _outcome(acting, case, world, database)
        if problem:
            mismatches.append(f"{case.name}: {problem}")
    assert mismatches == [], "\n".join(mismatches)


def _object_fields() -> dict[str, Any]:
    """Every field of every object type, by "Type.graphqlName"."""
    found = {}
    for type_ in schema.schema_converter.type_map.values():
        definition = type_.definition
        if not isinstance(definition, StrawberryObjectDefinition) or definition.is_input:
            continue
        for f in definition.fields:
            name = f.graphql_name or schema.config.name_converter.get_graphql_name(f)
            found[f"{definition.name}.{name}"] = f
    return found


def _guarded_fields() -> set[str]:
    """Every root field and mutation, and every object field declaring a permission."""
    return {
        name
        for name, f in _object_fields().items()
        if name.split(".")[0] in ("Query", "Mutation") or permission_of(f) is not None
    }


def test_the_table_covers_every_root_field_mutation_and_guarded_field():
    covered = {case.name for case in CASES} | UNGUARDED_ROOT_FIELDS
    missing = sorted(_guarded_fields() - covered)
    assert missing == [], f"add rows to CASES for: {missing}"


def test_every_root_field_and_mutation_declares_its_permission():
    fields = _object_fields()
    unguarded = sorted(
        name
        for name in _guarded_fields() - UNGUARDED_ROOT_FIELDS
        if permission_of(fields[name]) is None
    )
    assert unguarded == []


async def test_denials_are_logged_with_who_and_where(client, caplog):
    await _world(client)
    caplog.set_level("WARNING", logger="opsgraph.security")
    body = await client.as_role(Role.SALES).raw(PRODUCTS_Q % "name unitCost { amount }")
    (error,) = body["errors"]
    assert error["path"] == ["products", "edges", 0, "node", "unitCost"]
    node = body["data"]["products"]["edges"][0]["node"]
    assert node["unitCost"] is None and node["name"].startswith("Product")
    (record,) = [r for r in caplog.records if r.name == "opsgraph.security"]
    message = record.getMessage()
    for part in (
        "costs:read",
        "role=sales",
        "actor=user/test-sales",
        "products.edges.0.node.unitCost",
    ):
        assert part in message
