"""Designs (issue 29 item 1): a customer saves its own and sends one to production by ID;
the order shows the design, its image and prompt."""

from __future__ import annotations

from typing import Any

import pytest

from auth.permissions import Role
from resolvers.ids import decode_id
from settings import Settings
from tests.support.checkout_world import CREATE, Shop, open_shop, payments_settings
from tests.support.fake_stripe import FakeStripe, serve_fake_stripe
from tests.support.graphql import GraphQLClient, mutation_document
from tests.support.order_factories import CREATE_CUSTOMER

ERRORS = "errors { code field message }"
CREATE_DESIGN = mutation_document("createDesign", f"design {{ id title status prompt }} {ERRORS}")
UPDATE_DESIGN = mutation_document("updateDesign", f"design {{ id status version }} {ERRORS}")
ORDER = """query($id: ID!) { node(id: $id) { ... on Order {
  prompt imageUrl design { title } } } }"""


@pytest.fixture
async def fake() -> Any:
    async with serve_fake_stripe() as fake:
        yield fake


@pytest.fixture
async def shop(settings: Settings, fake: FakeStripe) -> Any:
    async with GraphQLClient.for_settings(payments_settings(settings, fake)) as admin:
        yield await open_shop(admin, fake)


async def _design(client: GraphQLClient, **values: Any) -> Any:
    payload = await client.mutate(
        CREATE_DESIGN,
        {
            "input": {
                "title": "Neon tiger",
                "imageUrl": "https://cdn.example/tiger.png",
                "prompt": "a tiger in neon, risograph",
                **values,
            }
        },
    )
    return payload


async def test_a_customer_orders_its_saved_design(shop: Shop) -> None:
    design = (await _design(shop.customer))["design"]
    assert design["status"] == "READY"
    placed = await shop.customer.mutate(
        CREATE, {"input": {**shop.order_input(designUrl=None), "designId": design["id"]}}
    )
    assert placed["errors"] == []
    order = (await shop.customer(ORDER, {"id": placed["order"]["id"]}))["node"]
    assert order == {
        "prompt": "a tiger in neon, risograph",
        "imageUrl": "https://cdn.example/tiger.png",
        "design": {"title": "Neon tiger"},
    }
    images = {
        i
        for line in shop.fake.created[0][0]["line_items"]
        for i in line["price_data"]["product_data"]["images"]
    }
    assert images == {"https://cdn.example/tiger.png"}


async def test_only_ready_designs_of_ones_own_can_be_ordered(shop: Shop) -> None:
    draft = (await _design(shop.customer, status="DRAFT"))["design"]
    refused = await shop.customer.mutate(
        CREATE, {"input": {**shop.order_input(designUrl=None), "designId": draft["id"]}}
    )
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("VALIDATION", ["input", "designId"])
    ]
    other = await shop.admin.mutate_ok(CREATE_CUSTOMER, {"name": "Bob"}, "customer")
    bob = shop.admin.as_role(Role.CUSTOMER, customer_id=decode_id(other["id"])[1])
    bobs = (await _design(bob))["design"]
    stolen = await shop.customer.mutate(
        CREATE, {"input": {**shop.order_input(designUrl=None), "designId": bobs["id"]}}
    )
    assert [e["code"] for e in stolen["errors"]] == ["NOT_FOUND"]
    both = await shop.customer.mutate(
        CREATE, {"input": {**shop.order_input(), "designId": draft["id"]}}
    )
    assert [e["field"] for e in both["errors"]] == [["input", "designId"]]
    assert shop.fake.created == []
    assert (await bob("{ designs { totalCount } }"))["designs"]["totalCount"] == 1


async def test_bad_designs_are_refused_at_their_fields(shop: Shop) -> None:
    payload = await _design(shop.customer, title=" ", imageUrl="ftp://x")
    assert {tuple(e["field"]) for e in payload["errors"]} == {
        ("input", "title"),
        ("input", "imageUrl"),
    }
    design = (await _design(shop.customer))["design"]
    archived = await shop.customer.mutate(
        UPDATE_DESIGN, {"input": {"id": design["id"], "status": "ARCHIVED"}}
    )
    assert archived["design"]["status"] == "ARCHIVED"
    assert archived["design"]["version"] == 2
