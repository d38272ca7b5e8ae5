"""SPEC §4's permission matrix, checked against the running graph for every role.

`CASES` is the table: one row per root field, mutation and guarded field, with the roles
SPEC §4 allows, transcribed from the spec (not from auth/permissions.py, so the two are
checked against each other). Each domain lists its rows in tests/support/permission_cases/; a test
fails when a root field, mutation or guarded field has no row.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from strawberry.types.base import StrawberryObjectDefinition

from app import create_app
from auth.permissions import Role
from schema import schema
from schema.permissions import permission_of
from schema.persisted.documents import sha256_hex
from schema.persisted.manifest import FORMAT, VERSION
from tests.support import factories, seeding
from tests.support.db_state import row_counts
from tests.support.graphql import GraphQLClient, bearer
from tests.support.permission_cases import CASES
from tests.support.permission_cases.catalog import PRODUCTS_Q
from tests.support.permission_matrix import Case, World

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions


# Root fields that need no permission of their own: `node`/`nodes` check the permission of
# each type they return (tested below), `viewer` describes the caller to itself, and
# `storefrontCoas` is the storefront's public read of verified COAs (SPEC §9,
# tests/procurement/test_storefront_coas.py).
UNGUARDED_ROOT_FIELDS = {"Query.node", "Query.nodes", "Query.viewer", "Query.storefrontCoas"}


async def _world(admin: GraphQLClient, database: Any) -> World:
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
    own_customer = await seeding.customer(database)
    return World(
        admin, family, own, other, category, product, variant, assignment, database, own_customer.id
    )


def _client_for(
    admin: GraphQLClient, world: World, role: Role | None, tmp_path: Path
) -> GraphQLClient:
    if role is Role.PARTNER:
        return _partner_client(admin, tmp_path)
    if role is None:
        return admin.anonymous()
    if role is Role.MANUFACTURER:
        return admin.as_role(role, manufacturer_id=world.own_manufacturer_uuid)
    if role is Role.CUSTOMER:
        return admin.as_role(role, customer_id=world.own_customer_id)
    return admin.as_role(role)


def _partner_client(admin: GraphQLClient, tmp_path: Path) -> GraphQLClient:
    """Partners may run approved operations only (PERSISTED_QUERY_REQUIRED otherwise): to
    check their grants field by field, every case is approved in a manifest of its own and
    sent by its documentId."""
    operations = [
        {
            "id": sha256_hex(case.document),
            "name": f"Case{index}",
            "type": "mutation" if case.mutation else "query",
            "body": case.document,
        }
        for index, case in enumerate({c.document: c for c in CASES}.values())
    ]
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps({"format": FORMAT, "version": VERSION, "operations": operations})
    )
    settings = replace(
        admin.settings, persisted=replace(admin.settings.persisted, manifest=manifest)
    )
    app = create_app(settings)
    return GraphQLClient(
        app, bearer(settings, Role.PARTNER), role=Role.PARTNER, trusted_documents=True
    )


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
            codes = {error["code"] for error in payload["errors"]}
            if payload["errors"] and not codes <= case.passed_permission:
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
async def test_every_field_and_mutation_follows_the_matrix(client, database, role, tmp_path):
    world = await _world(client, database)
    mismatches = []
    async with _client_for(client, world, role, tmp_path) as acting:
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


async def test_denials_are_logged_with_who_and_where(client, database, caplog):
    await _world(client, database)
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
