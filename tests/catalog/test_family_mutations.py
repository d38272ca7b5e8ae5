"""Family mutations: validation, conflicts, unknown IDs, deletion rules, audit."""

from __future__ import annotations

import pytest

from resolvers.ids import encode_id
from tests.support import factories
from tests.support.db_state import audit_entries, snapshot

CREATE = factories.FAMILY
UPDATE = """
mutation($input: UpdateProductFamilyInput!) {
  updateProductFamily(input: $input) {
    productFamily { id code name leadTimeDays version targetCostMin { amount } defaultManufacturer { name } }
    errors { code field message }
  }
}"""
DEACTIVATE = """
mutation($input: DeactivateProductFamilyInput!) {
  deactivateProductFamily(input: $input) { productFamily { isActive version } errors { code field message } }
}"""
DELETE = """
mutation($input: DeleteProductFamilyInput!) {
  deleteProductFamily(input: $input) { deletedId errors { code field message } }
}"""
BULK = """
mutation($input: AssignProductsToFamilyInput!) {
  assignProductsToFamily(input: $input) {
    productFamily { code }
    products { name family { code } }
    errors { code field message }
  }
}"""


async def test_create_family_returns_it_and_audits(client, database):
    payload = await client.mutate(
        CREATE, {"input": {"code": "WRESTLING", "name": "Wrestling", "targetCostMin": "12.00"}}
    )
    assert payload["errors"] == []
    family = payload["productFamily"]
    assert (family["code"], family["version"], family["isActive"]) == ("WRESTLING", 1, True)

    (entry,) = await audit_entries(database)
    assert entry.action.value == "created"
    assert entry.entity_type == "ProductFamily"
    assert entry.changes is not None
    assert entry.changes["after"]["code"] == "WRESTLING"
    assert entry.changes["after"]["target_cost_min"] == "12.00"
    assert entry.user_agent is not None  # where the change came from is recorded


@pytest.mark.parametrize("code", ["wrestling", "1ABC", "WRESTLING-GEAR", "", "A B"])
async def test_bad_code_is_validation_error_and_changes_nothing(client, database, code):
    before = await snapshot(database)
    payload = await client.mutate(CREATE, {"input": {"code": code, "name": "X"}})
    assert payload["productFamily"] is None
    assert payload["errors"][0]["code"] == "VALIDATION"
    assert payload["errors"][0]["field"] == ["input", "code"]
    assert await snapshot(database) == before


async def test_all_problems_are_reported_at_once(client):
    payload = await client.mutate(
        CREATE,
        {"input": {"code": "bad", "name": " ", "targetCostMin": "20", "targetCostMax": "10.001"}},
    )
    fields = sorted(tuple(e["field"]) for e in payload["errors"])
    assert ("input", "code") in fields
    assert ("input", "name") in fields
    assert ("input", "targetCostMax") in fields


async def test_duplicate_code_is_conflict_and_changes_nothing(client, database):
    await factories.family(client, code="BASICS_TOPS")
    before = await snapshot(database)
    payload = await client.mutate(CREATE, {"input": {"code": "BASICS_TOPS", "name": "Again"}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("CONFLICT", ["input", "code"])]
    assert await snapshot(database) == before


async def test_unknown_manufacturer_id_is_not_found_and_changes_nothing(client, database):
    before = await snapshot(database)
    ghost = encode_id("Manufacturer", __import__("uuid").uuid4())
    payload = await client.mutate(
        CREATE, {"input": {"code": "GHOST", "name": "Ghost", "defaultManufacturerId": ghost}}
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("NOT_FOUND", ["input", "defaultManufacturerId"])
    ]
    assert await snapshot(database) == before


async def test_an_id_of_another_type_is_a_validation_error(client):
    family = await factories.family(client)
    payload = await client.mutate(
        CREATE, {"input": {"code": "X", "name": "X", "defaultManufacturerId": family["id"]}}
    )
    assert payload["errors"][0]["code"] == "VALIDATION"
    assert "Manufacturer" in payload["errors"][0]["message"]


async def test_update_changes_only_given_fields_and_bumps_version(client, database):
    maker = await factories.manufacturer(client, name="Hawk")
    family = await factories.family(client, code="WR", name="Wrestling")
    payload = await client.mutate(
        UPDATE,
        {"input": {"id": family["id"], "leadTimeDays": 28, "defaultManufacturerId": maker["id"]}},
    )
    assert payload["errors"] == []
    updated = payload["productFamily"]
    assert (updated["code"], updated["name"], updated["leadTimeDays"]) == ("WR", "Wrestling", 28)
    assert updated["defaultManufacturer"] == {"name": "Hawk"}
    assert updated["version"] == family["version"] + 1

    entry = [e for e in await audit_entries(database) if e.action.value == "updated"][-1]
    assert entry.changes is not None
    assert entry.changes["changed_fields"] == ["default_manufacturer_id", "lead_time_days"]
    assert entry.changes["before"]["lead_time_days"] == 21
    assert entry.changes["after"]["lead_time_days"] == 28


async def test_update_with_stale_version_is_conflict(client, database):
    family = await factories.family(client)
    await client.mutate(UPDATE, {"input": {"id": family["id"], "name": "First"}})
    before = await snapshot(database)
    payload = await client.mutate(
        UPDATE, {"input": {"id": family["id"], "name": "Second", "expectedVersion": 1}}
    )
    assert payload["errors"][0]["code"] == "CONFLICT"
    assert payload["errors"][0]["field"] == ["input", "expectedVersion"]
    assert await snapshot(database) == before


async def test_update_to_a_taken_code_is_conflict(client):
    await factories.family(client, code="TAKEN")
    family = await factories.family(client)
    payload = await client.mutate(UPDATE, {"input": {"id": family["id"], "code": "TAKEN"}})
    assert payload["errors"][0]["code"] == "CONFLICT"


async def test_null_for_a_required_field_is_refused(client):
    family = await factories.family(client)
    payload = await client.mutate(UPDATE, {"input": {"id": family["id"], "name": None}})
    assert payload["errors"][0]["code"] == "VALIDATION"


async def test_update_unknown_family_is_not_found(client):
    ghost = encode_id("ProductFamily", __import__("uuid").uuid4())
    payload = await client.mutate(UPDATE, {"input": {"id": ghost, "name": "X"}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", ["input", "id"])]


async def test_deactivate_keeps_products_and_refuses_new_ones(client, database):
    family = await factories.family(client)
    await factories.product(client, productFamilyId=family["id"])
    payload = await client.mutate(DEACTIVATE, {"input": {"id": family["id"]}})
    assert payload["productFamily"]["isActive"] is False
    assert any(e.action.value == "deactivated" for e in await audit_entries(database))

    refused = await client.mutate(
        factories.PRODUCT, {"input": {"name": "New", "productFamilyId": family["id"]}}
    )
    assert refused["errors"][0]["code"] == "VALIDATION"
    assert "inactive" in refused["errors"][0]["message"]


async def test_delete_referenced_family_is_not_deletable_and_changes_nothing(client, database):
    family = await factories.family(client)
    await factories.category(client, productFamilyId=family["id"])
    before = await snapshot(database)
    payload = await client.mutate(DELETE, {"input": {"id": family["id"]}})
    assert payload["deletedId"] is None
    assert payload["errors"][0]["code"] == "NOT_DELETABLE"
    assert "categories" in payload["errors"][0]["message"]
    assert await snapshot(database) == before


async def test_delete_unreferenced_family_removes_it_and_its_assignments(client, database):
    family = await factories.family(client)
    maker = await factories.manufacturer(client)
    await factories.assignment(client, family["id"], maker["id"])
    payload = await client.mutate(DELETE, {"input": {"id": family["id"]}})
    assert payload == {"deletedId": family["id"], "errors": []}
    data = await client("query($id: ID!) { node(id: $id) { id } }", {"id": family["id"]})
    assert data["node"] is None
    maker_families = await client(
        "query($id: ID!) { node(id: $id) { ... on Manufacturer { families { id } } } }",
        {"id": maker["id"]},
    )
    assert maker_families["node"]["families"] == []
    assert [e.action.value for e in await audit_entries(database)][-1] == "deleted"


async def test_bulk_assign_moves_every_product(client):
    target = await factories.family(client, code="TARGET")
    products = [await factories.product(client) for _ in range(3)]
    payload = await client.mutate(
        BULK, {"input": {"familyId": target["id"], "productIds": [p["id"] for p in products]}}
    )
    assert payload["errors"] == []
    assert [p["family"]["code"] for p in payload["products"]] == ["TARGET"] * 3


async def test_bulk_assign_is_all_or_nothing(client, database):
    target = await factories.family(client)
    good = await factories.product(client)
    ghost = encode_id("Product", __import__("uuid").uuid4())
    before = await snapshot(database)
    payload = await client.mutate(
        BULK, {"input": {"familyId": target["id"], "productIds": [good["id"], ghost]}}
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("NOT_FOUND", ["input", "productIds", "1"])
    ]
    assert await snapshot(database) == before


async def test_bulk_assign_to_inactive_family_is_refused(client):
    target = await factories.family(client, isActive=False)
    product = await factories.product(client)
    payload = await client.mutate(
        BULK, {"input": {"familyId": target["id"], "productIds": [product["id"]]}}
    )
    assert payload["errors"][0]["code"] == "VALIDATION"
