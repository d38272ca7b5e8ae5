"""The number of SQL statements depends on a query's shape, never on how many rows it returns."""

from __future__ import annotations

from typing import Any

from settings import QueryLimits
from tests.support.bulk import NESTED, build_catalog
from tests.support.sql_counting import count_sql


async def _statements(make_client) -> tuple[int, dict[str, Any]]:
    # Up to 100 families x 100 products with their variants: far above the default cost limit.
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        body = await client.raw(NESTED)
    assert "errors" not in body, body.get("errors")
    return body["extensions"]["debug"]["sqlStatements"], body


# Families, their count, default manufacturers, assignments, categories, products and their
# count, the categories and families of products, variants, the cascade's manufacturers,
# and those manufacturers' families: one batched statement each.
MAX_STATEMENTS = 12


async def test_nested_catalog_query_runs_the_same_statements_for_2_and_50_families(
    make_client, database
):
    await build_catalog(database, 2)
    with_2, body = await _statements(make_client)
    assert len(body["data"]["productFamilies"]["edges"]) == 2

    await build_catalog(database, 48, start=2)
    with_50, body = await _statements(make_client)
    edges = body["data"]["productFamilies"]["edges"]
    assert len(edges) == 50
    assert all(len(e["node"]["products"]["edges"]) == 2 for e in edges)
    sources = {
        v["resolvedManufacturer"]["source"]
        for e in edges
        for p in e["node"]["products"]["edges"]
        for v in p["node"]["variants"]
    }
    assert sources == {"PRODUCT_OVERRIDE", "CATEGORY_OVERRIDE", "FAMILY_DEFAULT"}

    assert with_2 == with_50
    assert with_50 <= MAX_STATEMENTS


async def test_debug_extension_reports_time_and_is_off_by_default(client, make_client, database):
    await build_catalog(database, 2)
    body = await client.raw("{ productFamilies { totalCount } }")
    assert "debug" not in body.get("extensions", {})
    async with make_client(debug_sql=True) as debug_client:
        body = await debug_client.raw("{ productFamilies { totalCount } }")
    assert body["extensions"]["debug"]["sqlStatements"] == 2  # the page and its count
    assert body["extensions"]["debug"]["sqlMs"] >= 0


async def test_count_sql_helper_counts_a_request(client, database):
    await build_catalog(database, 3)
    async with count_sql() as stats:
        await client("{ productFamilies { edges { node { code } } } }")
    assert stats.count == 1  # totalCount not asked, so not counted


async def test_nodes_batches_per_type(client, database):
    await build_catalog(database, 5)
    data = await client(
        "{ productFamilies { edges { node { id } } } products { edges { node { id } } } }"
    )
    ids = [e["node"]["id"] for e in data["productFamilies"]["edges"] + data["products"]["edges"]]
    async with count_sql() as stats:
        data = await client("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert [n["id"] for n in data["nodes"]] == ids
    assert stats.count == 2  # one per type
