"""Product.supplierPrices (issue 27 item 2): a product shows the price lists in effect now
(BR-43) with their supplier, the latest to take effect first; unit costs stay cost data; a
page of products reads them in a fixed number of statements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from auth.permissions import Role
from settings import QueryLimits
from tests.support import procurement_seeding as seed
from tests.support import seeding

PRICES = """query($id: ID!) { node(id: $id) { ... on Product {
  supplierPrices { supplierSku inEffect unitCost { amount currency } supplier { code } }
} } }"""
NOW = datetime.now(UTC)


async def _priced_product(database: Any) -> tuple[Any, dict[str, str]]:
    """A product with price lists of every kind BR-43 tells apart; the in-effect ones'
    SKUs by what they are."""
    product = await seed.product(database)
    first, second = await seed.supplier(database), await seed.supplier(database)
    shown = {"older": "OLD-1", "newer": "NEW-1", "open": "OPEN-1"}
    await seed.price_list(
        database,
        first.id,
        product.id,
        supplier_sku="OLD-1",
        effective_date=NOW - timedelta(days=30),
        unit_cost=Decimal("7.25"),
    )
    await seed.price_list(
        database,
        first.id,
        product.id,
        supplier_sku="NEW-1",
        effective_date=NOW - timedelta(days=2),
        expires_at=NOW + timedelta(days=30),
    )
    await seed.price_list(
        database, second.id, product.id, supplier_sku="OPEN-1", effective_date=NOW - timedelta(1)
    )
    # Not in effect: switched off, expired, not yet effective, deleted.
    await seed.price_list(database, second.id, product.id, supplier_sku="OFF", is_active=False)
    await seed.price_list(
        database, second.id, product.id, supplier_sku="GONE", expires_at=NOW - timedelta(hours=1)
    )
    await seed.price_list(
        database, first.id, product.id, supplier_sku="LATER", effective_date=NOW + timedelta(1)
    )
    await seed.price_list(database, first.id, product.id, supplier_sku="DEL", deleted_at=NOW)
    return product, shown


async def test_a_product_shows_only_the_prices_in_effect_newest_first(client, database):
    product, shown = await _priced_product(database)
    other = await seed.product(database)  # another product's prices are not this one's
    await seed.price_list(database, (await seed.supplier(database)).id, other.id)

    data = await client(PRICES, {"id": seeding.gid(product)})

    prices = data["node"]["supplierPrices"]
    assert [p["supplierSku"] for p in prices] == [shown["open"], shown["newer"], shown["older"]]
    assert all(p["inEffect"] for p in prices)
    assert prices[2]["unitCost"] == {"amount": "7.25", "currency": "USD"}
    assert prices[2]["supplier"]["code"] == prices[1]["supplier"]["code"]
    assert prices[0]["supplier"]["code"] != prices[1]["supplier"]["code"]


async def test_a_viewer_without_cost_data_sees_the_prices_without_their_cost(client, database):
    product, shown = await _priced_product(database)

    body = await client.as_role(Role.READONLY).raw(PRICES, {"id": seeding.gid(product)})

    prices = body["data"]["node"]["supplierPrices"]
    assert [p["supplierSku"] for p in prices] == [shown["open"], shown["newer"], shown["older"]]
    assert [p["unitCost"] for p in prices] == [None, None, None]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert {tuple(e["path"][-2:]) for e in body["errors"]} == {(0, "unitCost")} | {
        (1, "unitCost"),
        (2, "unitCost"),
    }


async def test_a_viewer_outside_procurement_gets_no_supplier_prices(client, database):
    product, _ = await _priced_product(database)

    body = await client.as_role(Role.SALES).raw(PRICES, {"id": seeding.gid(product)})

    assert body["data"]["node"] == {"supplierPrices": None}
    assert [(e["extensions"]["code"], e["path"]) for e in body["errors"]] == [
        ("FORBIDDEN", ["node", "supplierPrices"])
    ]


PRODUCTS = """{ products(first: 100) { edges { node {
  name supplierPrices { supplierSku unitCost { amount } supplier { code name } }
} } } }"""


async def _statements(make_client: Any) -> tuple[int, list[dict[str, Any]]]:
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        body = await client.raw(PRODUCTS)
    assert "errors" not in body, body.get("errors")
    nodes = [edge["node"] for edge in body["data"]["products"]["edges"]]
    return body["extensions"]["debug"]["sqlStatements"], nodes


async def test_supplier_prices_of_40_products_run_the_statements_of_10(database, make_client):
    for _ in range(10):
        await _priced_product(database)
    with_10, nodes = await _statements(make_client)
    assert len(nodes) == 10 and all(len(n["supplierPrices"]) == 3 for n in nodes)

    for _ in range(30):
        await _priced_product(database)
    with_40, nodes = await _statements(make_client)
    assert len(nodes) == 40 and all(len(n["supplierPrices"]) == 3 for n in nodes)
    assert with_40 == with_10
