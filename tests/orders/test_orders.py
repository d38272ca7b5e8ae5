"""Orders through the API: customers, drafts, line items, references, totals, updates."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from auth.permissions import Role
from resolvers.ids import decode_id, encode_id
from tests.support import order_factories, seeding
from tests.support.db_state import audit_entries, snapshot
from tests.support.order_factories import CREATE_ORDER, UPDATE_ORDER

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions

YEAR = datetime.now(UTC).year


async def _create(client: Any, values: dict[str, Any]) -> Any:
    return await client.mutate(CREATE_ORDER, {"input": values})


async def test_create_a_draft_order_with_reference_total_defaults_and_first_event(client):
    customer = await order_factories.customer(client, company="Acme")
    sized = await order_factories.variant(client, size="L", price="12.50")
    bare = await order_factories.variant(client, size=None, price=None)
    payload = await _create(
        client,
        {
            "customerId": customer["id"],
            "priority": "RUSH",
            "notes": "Front print",
            "metadata": {"campaign": "spring", "tags": ["a", "b"]},
            "items": [
                {"variantId": sized["id"], "quantity": 3},
                {
                    "variantId": bare["id"],
                    "quantity": 2,
                    "size": "XS",
                    "unitPrice": "7.25",
                    "technique": "EMBROIDERY",
                },
            ],
        },
    )
    assert payload["errors"] == []
    order = payload["order"]
    assert order["reference"] == f"ORD-{YEAR}-001"
    assert order["status"] == "DRAFT" and order["displayStatus"] == "Spec Review"
    assert order["priority"] == "RUSH" and order["priorityLabel"] == "Rush"
    assert order["etaDays"] == 2
    assert order["metadata"] == {"campaign": "spring", "tags": ["a", "b"]}
    assert order["customer"] == {"id": customer["id"], "name": customer["name"]}
    # 3 x 12.50 + 2 x 7.25
    assert order["total"] == {"amount": "52.00", "currency": "USD"}
    lines = order["lineItems"]
    assert [(i["position"], i["size"], i["technique"], i["quantity"]) for i in lines] == [
        (0, "L", "DTG", 3),
        (1, "XS", "EMBROIDERY", 2),
    ]
    assert [i["unitPrice"]["amount"] for i in lines] == ["12.50", "7.25"]
    assert [i["lineTotal"]["amount"] for i in lines] == ["37.50", "14.50"]
    assert order["events"] == [
        {
            "status": "Spec Review",
            "orderStatus": "DRAFT",
            "message": "Order created; specs under review",
        }
    ]
    assert order["jobProgress"] == {"total": 0, "shipped": 0, "label": "0 of 0 ready"}
    assert order["version"] == 1

    second = await _create(client, {"customerId": customer["id"]})
    assert second["order"]["reference"] == f"ORD-{YEAR}-002"
    assert second["order"]["priority"] == "STANDARD" and second["order"]["etaDays"] == 5
    assert second["order"]["total"]["amount"] == "0.00"


async def test_every_bad_item_is_reported_at_its_path_and_nothing_is_written(client, database):
    customer = await order_factories.customer(client)
    good = await order_factories.variant(client)
    no_size = await order_factories.variant(client, size=None)
    no_price = await order_factories.variant(client, price=None)
    missing = "not-an-id"
    before = await snapshot(database)
    payload = await _create(
        client,
        {
            "customerId": customer["id"],
            "items": [
                {"variantId": good["id"], "quantity": 1},
                {"variantId": missing, "quantity": 1},
                {"variantId": good["id"], "quantity": 0},
                {"variantId": no_size["id"], "quantity": 1},
                {"variantId": no_price["id"], "quantity": 1},
                {"variantId": good["id"], "quantity": 1, "unitPrice": "1.005"},
                {"variantId": customer["id"], "quantity": 1},
            ],
        },
    )
    assert payload["order"] is None
    found = {(tuple(e["field"]), e["code"]) for e in payload["errors"]}
    assert found == {
        (("input", "items", "1", "variantId"), "VALIDATION"),
        (("input", "items", "2", "quantity"), "VALIDATION"),
        (("input", "items", "3", "size"), "VALIDATION"),
        (("input", "items", "4", "unitPrice"), "VALIDATION"),
        (("input", "items", "5", "unitPrice"), "VALIDATION"),
        (("input", "items", "6", "variantId"), "VALIDATION"),
    }
    assert await snapshot(database) == before


async def test_an_unknown_variant_is_not_found_at_its_path(client, database):
    customer = await order_factories.customer(client)
    gone = encode_id("Variant", uuid.uuid4())
    payload = await _create(
        client, {"customerId": customer["id"], "items": [{"variantId": gone, "quantity": 1}]}
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("NOT_FOUND", ["input", "items", "0", "variantId"])
    ]


async def test_staff_must_name_an_existing_customer(client):
    payload = await _create(client, {})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "customerId"])
    ]
    order = await order_factories.draft(client, (await order_factories.customer(client))["id"], [])
    payload = await _create(client, {"customerId": order["id"]})
    assert payload["errors"][0]["code"] == "VALIDATION"  # an Order ID, not a Customer ID


async def test_a_customer_orders_for_itself_only(client, database):
    own = await seeding.customer(database)
    other = await seeding.customer(database)
    variant = await order_factories.variant(client)
    as_customer = client.as_role(Role.CUSTOMER, customer_id=own.id)

    payload = await _create(as_customer, {"items": [{"variantId": variant["id"], "quantity": 2}]})
    assert payload["errors"] == []
    assert payload["order"]["customer"]["id"] == seeding.gid(own)

    payload = await _create(as_customer, {"customerId": seeding.gid(own)})
    assert payload["errors"] == []

    before = await snapshot(database)
    payload = await _create(as_customer, {"customerId": seeding.gid(other)})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("NOT_FOUND", ["input", "customerId"])
    ]
    assert await snapshot(database) == before


async def test_update_a_draft_replacing_its_items(client, database):
    customer = await order_factories.customer(client)
    a = await order_factories.variant(client, price="5.00")
    b = await order_factories.variant(client, price="8.00")
    order = await order_factories.draft(client, customer["id"], [(a["id"], 2)], notes="old")
    payload = await client.mutate(
        UPDATE_ORDER,
        {
            "input": {
                "id": order["id"],
                "expectedVersion": 1,
                "metadata": {"k": 1},
                "items": [
                    {"variantId": b["id"], "quantity": 1},
                    {"variantId": a["id"], "quantity": 4},
                ],
            }
        },
    )
    assert payload["errors"] == []
    updated = payload["order"]
    assert updated["notes"] == "old"  # omitted: unchanged
    assert updated["metadata"] == {"k": 1}
    assert updated["total"]["amount"] == "28.00"
    assert [i["quantity"] for i in updated["lineItems"]] == [1, 4]
    assert updated["version"] == 2
    entries = [e for e in await audit_entries(database) if e.entity_type == "Order"]
    assert entries[-1].action.value == "updated"
    context = entries[-1].context
    assert context is not None and context["items_after"][1]["quantity"] == 4

    # Only the lines change: still a change of the order (version, audit).
    payload = await client.mutate(
        UPDATE_ORDER,
        {"input": {"id": order["id"], "items": [{"variantId": b["id"], "quantity": 1}]}},
    )
    assert payload["errors"] == [] and payload["order"]["version"] == 3
    assert len([e for e in await audit_entries(database) if e.entity_type == "Order"]) == 3

    payload = await client.mutate(UPDATE_ORDER, {"input": {"id": order["id"], "notes": None}})
    assert payload["order"]["notes"] is None


async def test_update_with_a_stale_version_is_conflict_and_changes_nothing(client, database):
    customer = await order_factories.customer(client)
    order = await order_factories.draft(client, customer["id"], [])
    before = await snapshot(database)
    payload = await client.mutate(
        UPDATE_ORDER, {"input": {"id": order["id"], "expectedVersion": 7, "notes": "x"}}
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("CONFLICT", ["input", "expectedVersion"])
    ]
    assert await snapshot(database) == before


async def test_only_a_draft_can_be_edited(client, database):
    variant = await order_factories.variant(client)
    customer = await order_factories.customer(client)
    order = await order_factories.submitted(client, customer["id"], [(variant["id"], 1)])
    before = await snapshot(database)
    payload = await client.mutate(UPDATE_ORDER, {"input": {"id": order["id"], "notes": "late"}})
    assert payload["errors"][0]["code"] == "IMMUTABLE"
    assert await snapshot(database) == before


async def test_a_customer_edits_its_own_drafts_only(client, database):
    own = await seeding.customer(database)
    other_order = await seeding.order(database)
    mine = await seeding.order(database, customer_id=own.id)
    as_customer = client.as_role(Role.CUSTOMER, customer_id=own.id)
    payload = await as_customer.mutate(
        UPDATE_ORDER, {"input": {"id": seeding.gid(mine), "notes": "mine"}}
    )
    assert payload["errors"] == [] and payload["order"]["notes"] == "mine"
    payload = await as_customer.mutate(
        UPDATE_ORDER, {"input": {"id": seeding.gid(other_order), "notes": "theirs"}}
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", ["input", "id"])]


async def test_create_customer_validates(client):
    payload = await client.mutate(
        order_factories.CREATE_CUSTOMER, {"input": {"name": " ", "email": "nope"}}
    )
    assert {tuple(e["field"]) for e in payload["errors"]} == {
        ("input", "name"),
        ("input", "email"),
    }
    customer = await order_factories.customer(client, name="  Jane  ", company="Co")
    assert customer["name"] == "Jane" and customer["company"] == "Co"


async def test_a_customer_reads_its_own_line_items_only(client, database):
    own = await seeding.customer(database)
    variant = await order_factories.variant(client)
    variant_pk = decode_id(variant["id"])[1]
    mine = await seeding.order(database, customer_id=own.id, items=[(variant_pk, 2)])
    theirs = await seeding.order(database, items=[(variant_pk, 3)])
    admin_view = "query($id: ID) { order(id: $id) { lineItems { id } } }"
    mine_item = (await client(admin_view, {"id": seeding.gid(mine)}))["order"]["lineItems"][0]
    their_item = (await client(admin_view, {"id": seeding.gid(theirs)}))["order"]["lineItems"][0]
    as_customer = client.as_role(Role.CUSTOMER, customer_id=own.id)
    query = "query($id: ID!) { node(id: $id) { ... on OrderItem { quantity order { id } } } }"
    data = await as_customer(query, {"id": mine_item["id"]})
    assert data["node"] == {"quantity": 2, "order": {"id": seeding.gid(mine)}}
    assert (await as_customer(query, {"id": their_item["id"]}))["node"] is None
    # The catalog is not the customer's to read: the variant is null with FORBIDDEN.
    body = await as_customer.raw(
        "query($id: ID!) { node(id: $id) { ... on OrderItem { size variant { sku } } } }",
        {"id": mine_item["id"]},
    )
    assert body["data"]["node"] == {"size": "M", "variant": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
