"""A product's vial-label data (seed 002 §10.1) as typed catalog fields: the CAS number's
check digit (a property of every number), form, storage conditions and GHS pictograms set
through createProduct/updateProduct, audited, and refused with VALIDATION at the field
when wrong, changing nothing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalog import cas_check_digit, is_cas_number
from tests.support import factories
from tests.support.db_state import audit_entries, snapshot
from tests.support.graphql import mutation_document

LABEL_FIELDS = "casNumber form storageConditions ghsPictograms"
ERRORS = "errors { code field message }"
CREATE = mutation_document("createProduct", f"product {{ id version {LABEL_FIELDS} }} {ERRORS}")
UPDATE = mutation_document("updateProduct", f"product {{ id version {LABEL_FIELDS} }} {ERRORS}")

# 2-7 digits, then 2: the digits a CAS number's check digit is computed from.
head = st.text(st.sampled_from("0123456789"), min_size=2, max_size=7)
middle = st.text(st.sampled_from("0123456789"), min_size=2, max_size=2)


@given(head, middle)
def test_exactly_one_check_digit_makes_a_cas_number(first: str, second: str):
    valid = [d for d in range(10) if is_cas_number(f"{first}-{second}-{d}")]
    assert valid == [cas_check_digit(first + second)]
    # The check digit is the digits weighted 1, 2, 3, ... from the right, modulo 10.
    weighted = sum(w * int(c) for w, c in zip(range(1, 10), reversed(first + second), strict=False))
    assert valid == [weighted % 10]


@pytest.mark.parametrize(
    "number",
    ["7732-18-5", "58-08-2", "64-17-5", "137525-51-0", "885340-08-9", "1234567-89-5"],
)
def test_known_cas_numbers_are_valid(number: str):
    # Water, caffeine, ethanol, BPC-157, TB-500, and the longest form (sum 165).
    assert is_cas_number(number)


@pytest.mark.parametrize(
    "number",
    ["7732-18-4", "137525-51-1", "7-18-5", "12345678-18-5", "7732-1-5", "7732185", " 58-08-2"],
)
def test_wrong_check_digits_and_formats_are_not(number: str):
    assert not is_cas_number(number)


async def test_a_products_label_data_is_created_shown_and_audited(client, database):
    product = await factories.product(client)
    payload = await client.mutate(
        UPDATE,
        {
            "input": {
                "id": product["id"],
                "casNumber": "137525-51-0",
                "form": "LYOPHILIZED_POWDER",
                "storageConditions": "-20 °C, desiccated, protect from light",
                "ghsPictograms": ["GHS07", "GHS02"],
            }
        },
    )
    assert payload["errors"] == []
    assert {k: payload["product"][k] for k in LABEL_FIELDS.split()} == {
        "casNumber": "137525-51-0",
        "form": "LYOPHILIZED_POWDER",
        "storageConditions": "-20 °C, desiccated, protect from light",
        "ghsPictograms": ["GHS02", "GHS07"],  # stored in code order
    }
    entry = (await audit_entries(database))[-1]
    assert entry.changes is not None
    assert entry.changes["after"]["cas_number"] == "137525-51-0"
    assert entry.changes["after"]["ghs_pictograms"] == ["GHS02", "GHS07"]
    assert {"cas_number", "form", "storage_conditions", "ghs_pictograms"} <= set(
        entry.changes["changed_fields"]
    )

    cleared = await client.mutate(
        UPDATE, {"input": {"id": product["id"], "casNumber": None, "ghsPictograms": []}}
    )
    assert cleared["errors"] == []
    assert cleared["product"]["casNumber"] is None
    assert cleared["product"]["ghsPictograms"] == []
    assert cleared["product"]["form"] == "LYOPHILIZED_POWDER"  # omitted: unchanged


async def test_a_new_product_has_no_label_data_until_given(client):
    made = await client.mutate(CREATE, {"input": {"name": "Plain", "sku": "PLAIN-1"}})
    assert made["errors"] == []
    assert [made["product"][k] for k in LABEL_FIELDS.split()] == [None, None, None, []]
    given_data = await client.mutate(
        CREATE,
        {"input": {"name": "Water", "sku": "H2O-1", "casNumber": "7732-18-5", "form": "LIQUID"}},
    )
    assert given_data["errors"] == []
    assert given_data["product"]["casNumber"] == "7732-18-5"
    assert given_data["product"]["form"] == "LIQUID"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"casNumber": "137525-51-1"}, "casNumber"),  # the check digit is wrong
        ({"casNumber": "137525-5-10"}, "casNumber"),  # not the format
        ({"casNumber": ""}, "casNumber"),
        ({"storageConditions": "x" * 101}, "storageConditions"),
        ({"ghsPictograms": ["GHS05", "GHS05"]}, "ghsPictograms"),
    ],
)
async def test_bad_label_data_is_refused_at_its_field_and_changes_nothing(
    client, database, values: dict[str, Any], field: str
):
    product = await factories.product(client)
    before = await snapshot(database)
    payload = await client.mutate(UPDATE, {"input": {"id": product["id"], **values}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", field])
    ]
    assert payload["product"] is None
    assert await snapshot(database) == before

    created = await client.mutate(CREATE, {"input": {"name": "New", "sku": "NEW-9", **values}})
    assert [(e["code"], e["field"]) for e in created["errors"]] == [
        ("VALIDATION", ["input", field])
    ]
    assert await snapshot(database) == before
