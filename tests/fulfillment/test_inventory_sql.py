"""Listing inventory levels with variant → product → family and center, and outbound
shipments with their items, runs the same number of SQL statements for 10 as for 100
(issue 26 "Done when")."""

from __future__ import annotations

import uuid
from typing import Any

from db.engine import Database
from db.models import Product, ProductFamily, Variant
from settings import QueryLimits
from tests.support import fulfillment
from tests.support.graphql import GraphQLClient

LEVELS = """{
  inventoryLevels(first: 100) {
    totalCount
    edges { node {
      onHand reserved available alerts costPerUnit { amount }
      center { code stats { unitsOnHand } }
      variant { sku product { name family { code } } }
      product { name }
      transactions(first: 2) { totalCount edges { node { kind quantity } } }
    } }
  }
}"""


async def _catalog_rows(database: Database, count: int) -> list[uuid.UUID]:
    """`count` variants, each of its own product of one family (rows, to keep setup short)."""
    async with database.transaction() as session:
        family = ProductFamily(code=f"FAM_{uuid.uuid4().hex[:8]}", name="Family")
        session.add(family)
        await session.flush()
        variants = []
        for _ in range(count):
            product = Product(name="P", product_family_id=family.id)
            session.add(product)
            await session.flush()
            variant = Variant(product_id=product.id, sku=f"SKU-{uuid.uuid4().hex}", title="V")
            session.add(variant)
            variants.append(variant)
        await session.flush()
        return [v.id for v in variants]


async def _add(database: Database, centers: list[uuid.UUID], count: int) -> None:
    for n, variant in enumerate(await _catalog_rows(database, count)):
        await fulfillment.stock(database, centers[n % len(centers)], variant, n + 1)


async def _statements(make_client: Any) -> tuple[int, dict[str, Any]]:
    client: GraphQLClient
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        body = await client.raw(LEVELS)
    assert "errors" not in body, body.get("errors")
    return body["extensions"]["debug"]["sqlStatements"], body


async def test_listing_100_inventory_levels_runs_the_statements_of_10(
    database: Database, make_client: Any
) -> None:
    centers = [await fulfillment.center(database), await fulfillment.center(database)]
    await _add(database, centers, 10)
    with_10, body = await _statements(make_client)
    assert body["data"]["inventoryLevels"]["totalCount"] == 10

    await _add(database, centers, 90)
    with_100, body = await _statements(make_client)
    edges = body["data"]["inventoryLevels"]["edges"]
    assert len(edges) == 100
    node = edges[0]["node"]
    assert node["variant"]["product"]["family"]["code"].startswith("FAM_")
    assert node["center"]["code"].startswith("FC-T")
    assert node["transactions"]["totalCount"] == 1
    assert with_10 == with_100
    # Page, count, centers, center stats, variants, products, families, products again
    # (the level's own), transaction pages and counts.
    assert with_100 <= 10
