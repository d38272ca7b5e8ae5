"""Assignments, categories, products (and overrides), variants and manufacturers."""

from __future__ import annotations

import logging
import uuid

import pytest

from resolvers.ids import encode_id
from tests.support import factories
from tests.support.db_state import audit_entries, snapshot
from tests.support.graphql import mutation_document

UPDATE_ASSIGNMENT = """
mutation($input: UpdateFamilyManufacturerInput!) {
  updateFamilyManufacturer(input: $input) {
    assignment { priority canEmbroider costPerUnit { amount currency } paymentTerms version }
    errors { code field message }
  }
}"""
REMOVE_ASSIGNMENT = """
mutation($input: RemoveFamilyManufacturerInput!) {
  removeFamilyManufacturer(input: $input) {
    removedId productFamily { manufacturers { id } } errors { code }
  }
}"""
# Setting and clearing an override answer the same: the product as it now resolves.
OVERRIDDEN = (
    "product { manufacturerOverride { name } resolvedManufacturer { source manufacturer { name } } }"
    " errors { code field message }"
)
SET_OVERRIDE = mutation_document("setProductManufacturerOverride", OVERRIDDEN)
CLEAR_OVERRIDE = mutation_document("clearProductManufacturerOverride", OVERRIDDEN)
UPDATE_MANUFACTURER = """
mutation($input: UpdateManufacturerInput!) {
  updateManufacturer(input: $input) {
    manufacturer { name country timezone capabilities acceptingOrders version }
    errors { code field message }
  }
}"""


async def test_assigning_a_manufacturer_twice_is_conflict(client, database):
    family = await factories.family(client)
    maker = await factories.manufacturer(client)
    await factories.assignment(client, family["id"], maker["id"])
    before = await snapshot(database)
    payload = await client.mutate(
        factories.ASSIGN, {"input": {"familyId": family["id"], "manufacturerId": maker["id"]}}
    )
    assert payload["errors"][0]["code"] == "CONFLICT"
    assert await snapshot(database) == before


async def test_update_and_remove_an_assignment(client):
    family = await factories.family(client)
    maker = await factories.manufacturer(client, currency="EUR")
    assignment = await factories.assignment(client, family["id"], maker["id"])
    payload = await client.mutate(
        UPDATE_ASSIGNMENT,
        {
            "input": {
                "id": assignment["id"],
                "priority": 2,
                "canEmbroider": True,
                "costPerUnit": "9.50",
                "paymentTerms": "FIFTY_FIFTY",
            }
        },
    )
    assert payload["errors"] == []
    assert payload["assignment"] == {
        "priority": 2,
        "canEmbroider": True,
        "costPerUnit": {"amount": "9.50", "currency": "USD"},
        "paymentTerms": "FIFTY_FIFTY",
        "version": 2,
    }
    removed = await client.mutate(REMOVE_ASSIGNMENT, {"input": {"id": assignment["id"]}})
    assert removed == {
        "removedId": assignment["id"],
        "productFamily": {"manufacturers": []},
        "errors": [],
    }


async def test_assignment_rejects_bad_numbers(client):
    family = await factories.family(client)
    maker = await factories.manufacturer(client)
    payload = await client.mutate(
        factories.ASSIGN,
        {
            "input": {
                "familyId": family["id"],
                "manufacturerId": maker["id"],
                "priority": 0,
                "moq": -5,
                "costPerUnit": "-1",
            }
        },
    )
    assert sorted(e["field"][1] for e in payload["errors"]) == ["costPerUnit", "moq", "priority"]


async def test_duplicate_sku_and_code_are_conflicts(client, database):
    await factories.product(client, sku="TEE", code="TEE")
    before = await snapshot(database)
    payload = await client.mutate(
        factories.PRODUCT, {"input": {"name": "Tee 2", "sku": "TEE", "code": "TEE"}}
    )
    assert sorted((e["code"], e["field"][1]) for e in payload["errors"]) == [
        ("CONFLICT", "code"),
        ("CONFLICT", "sku"),
    ]
    assert await snapshot(database) == before


async def test_product_code_must_fit_lot_numbers(client):
    payload = await client.mutate(factories.PRODUCT, {"input": {"name": "X", "code": "bpc-157"}})
    assert payload["errors"][0]["code"] == "VALIDATION"


async def test_set_and_clear_product_override(client, database):
    hawk = await factories.manufacturer(client, name="Hawk")
    riddle = await factories.manufacturer(client, name="Riddle")
    family = await factories.family(client, defaultManufacturerId=riddle["id"])
    product = await factories.product(client, productFamilyId=family["id"])

    payload = await client.mutate(
        SET_OVERRIDE,
        {"input": {"productId": product["id"], "manufacturerId": hawk["id"], "reason": "rush"}},
    )
    assert payload["errors"] == []
    assert payload["product"]["manufacturerOverride"] == {"name": "Hawk"}
    assert payload["product"]["resolvedManufacturer"] == {
        "source": "PRODUCT_OVERRIDE",
        "manufacturer": {"name": "Hawk"},
    }
    entry = (await audit_entries(database))[-1]
    assert entry.context == {"reason": "rush"}

    cleared = await client.mutate(CLEAR_OVERRIDE, {"input": {"productId": product["id"]}})
    assert cleared["product"]["manufacturerOverride"] is None
    assert cleared["product"]["resolvedManufacturer"] == {
        "source": "FAMILY_DEFAULT",
        "manufacturer": {"name": "Riddle"},
    }


async def test_override_with_unknown_manufacturer_is_not_found(client, database):
    product = await factories.product(client)
    before = await snapshot(database)
    ghost = encode_id("Manufacturer", uuid.uuid4())
    payload = await client.mutate(
        SET_OVERRIDE, {"input": {"productId": product["id"], "manufacturerId": ghost}}
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("NOT_FOUND", ["input", "manufacturerId"])
    ]
    assert await snapshot(database) == before


async def test_variant_needs_an_existing_product_and_a_unique_sku(client, database):
    product = await factories.product(client)
    await factories.variant(client, product["id"], sku="TEE-BLK-M")
    before = await snapshot(database)
    duplicate = await client.mutate(
        factories.VARIANT,
        {"input": {"productId": product["id"], "sku": "TEE-BLK-M", "title": "Again"}},
    )
    assert duplicate["errors"][0]["code"] == "CONFLICT"
    ghost = encode_id("Product", uuid.uuid4())
    orphan = await client.mutate(
        factories.VARIANT, {"input": {"productId": ghost, "sku": "NEW", "title": "Orphan"}}
    )
    assert orphan["errors"][0]["code"] == "NOT_FOUND"
    assert await snapshot(database) == before


async def test_manufacturer_profile_validation(client, database):
    before = await snapshot(database)
    payload = await client.mutate(
        factories.MANUFACTURER,
        {
            "input": {
                "name": "Bad",
                "email": "not-an-email",
                "country": "Pakistan",
                "timezone": "Mars/Olympus",
                "website": "ftp://x",
                "maxConcurrentJobs": 0,
            }
        },
    )
    fields = sorted(e["field"][1] for e in payload["errors"])
    assert fields == ["country", "email", "maxConcurrentJobs", "timezone", "website"]
    assert await snapshot(database) == before


# Names the time zone lookup reads as paths: a directory of zones, a name too long for a file.
@pytest.mark.parametrize("timezone", ["America", "\u00e9" * 300], ids=["directory", "too-long"])
async def test_a_timezone_that_is_no_zone_file_is_a_validation_error(
    client, database, caplog, timezone
):
    before = await snapshot(database)
    payload = await client.mutate(
        factories.MANUFACTURER, {"input": {"name": "Odd Zone", "timezone": timezone}}
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "timezone"])
    ]
    assert await snapshot(database) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_manufacturer_country_sets_timezone_and_capabilities_are_deduplicated(client):
    maker = await factories.manufacturer(client, name="Hawk")
    payload = await client.mutate(
        UPDATE_MANUFACTURER,
        {
            "input": {
                "id": maker["id"],
                "country": "PK",
                "capabilities": ["SUBLIMATION", "EMBROIDERY", "SUBLIMATION"],
                "acceptingOrders": False,
                "expectedVersion": 1,
            }
        },
    )
    assert payload["errors"] == []
    assert payload["manufacturer"] == {
        "name": "Hawk",
        "country": "PK",
        "timezone": "Asia/Karachi",
        "capabilities": ["EMBROIDERY", "SUBLIMATION"],
        "acceptingOrders": False,
        "version": 2,
    }


async def test_category_update_and_unknown_family(client):
    family = await factories.family(client)
    category = await factories.category(client, productFamilyId=family["id"])
    ghost = encode_id("ProductFamily", uuid.uuid4())
    payload = await client.mutate(
        """mutation($input: UpdateCategoryInput!) {
             updateCategory(input: $input) { category { name family { id } } errors { code field } }
           }""",
        {"input": {"id": category["id"], "name": "Renamed", "productFamilyId": ghost}},
    )
    assert payload["errors"] == [{"code": "NOT_FOUND", "field": ["input", "productFamilyId"]}]
    payload = await client.mutate(
        """mutation($input: UpdateCategoryInput!) {
             updateCategory(input: $input) { category { name family { id } } errors { code field } }
           }""",
        {"input": {"id": category["id"], "name": "Renamed", "productFamilyId": None}},
    )
    assert payload == {"category": {"name": "Renamed", "family": None}, "errors": []}


async def test_audit_log_is_append_only_in_the_database(client, database):
    await factories.family(client)
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    for statement in ("UPDATE audit_log SET action = 'updated'", "DELETE FROM audit_log"):
        try:
            async with database.engine.begin() as conn:
                await conn.execute(text(statement))
        except DBAPIError as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError(f"{statement} was allowed")
    assert len(await audit_entries(database)) == 1
