"""Limits checked before an operation runs: tokens, bytes, depth, aliases, cost, and
introspection; every response reports the operation's cost (API.md "Limits")."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    get_introspection_query,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
)

from resolvers.ids import encode_id
from schema import limits, schema
from schema.cost_map import LIST_SIZES, is_connection, list_size
from tests.support.spies import spy
from tests.support.sql_counting import count_sql


def _limits(settings, **changes):
    return {"limits": replace(settings.limits, **changes)}


def _too_complex(body, limit):
    """The QUERY_TOO_COMPLEX error for `limit`, with its figures."""
    assert body["data"] is None
    (error,) = [e for e in body["errors"] if e["extensions"].get("limit") == limit]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    return error["extensions"]["requested"], error["extensions"]["maximum"]


# Six connections deep, 100 items each: up to 10^12 products.
COST_BOMB = """{ productFamilies(first: 100) { edges { node {
  products(first: 100) { edges { node {
    family { categories(first: 100) { edges { node {
      products(first: 100) { edges { node {
        category { products(first: 100) { edges { node {
          family { products(first: 100) { edges { node { name } } } }
        } } } }
      } } }
    } } } }
  } } }
} } } }"""


def _bomb_cost() -> int:
    """The cost model applied to COST_BOMB from the inside out: a connection is 1 plus 100
    items of (edge 1 + node 1 + what the node selects); `family`/`category` add 1."""
    cost = 1 + 100 * (1 + 1)  # products { edges { node { name } } }
    for hop in (1, 1, 0, 1, 0):  # family, category, -, family, -
        cost = 1 + 100 * (1 + 1 + hop + cost)
    return cost


async def test_a_cost_bomb_is_refused_before_any_sql(client):
    async with count_sql() as stats:
        body = await client.raw(COST_BOMB)
    assert stats.count == 0
    assert _too_complex(body, "cost") == (_bomb_cost(), 10_000)
    assert _bomb_cost() == 2_040_403_040_301
    assert _too_complex(body, "depth") == (22, 12)
    assert body["extensions"]["cost"] == {"requested": _bomb_cost(), "maximum": 10_000}


async def test_an_alias_flood_is_refused_before_any_sql(client):
    flood = "{ " + " ".join(f"a{i}: productFamilies {{ totalCount }}" for i in range(500)) + " }"
    async with count_sql() as stats:
        body = await client.raw(flood)
    assert stats.count == 0
    assert _too_complex(body, "aliases") == (500, 30)
    assert len(body["errors"]) == 1  # 500 x 1 is within the cost limit


async def test_a_one_megabyte_query_is_refused_before_parsing(client):
    huge = json.dumps({"query": "{ " + "__typename " * 100_000 + "}"})
    assert len(huge) > 1_000_000
    async with count_sql() as stats:
        response = await client.http.post(
            "/graphql",
            content=huge,
            headers={**client.headers, "content-type": "application/json"},
        )
    assert stats.count == 0
    assert response.status_code == 413
    assert response.json() == {
        "errors": [
            {
                "message": "The request body is larger than the 100000 bytes allowed.",
                "extensions": {
                    "code": "QUERY_TOO_COMPLEX",
                    "limit": "bytes",
                    "requested": len(huge),
                    "maximum": 100_000,
                },
            }
        ]
    }


async def test_a_streamed_body_is_cut_off_at_the_limit(make_client, settings):
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b" " * 1_000

    async with make_client(**_limits(settings, max_bytes=2_500)) as small:
        response = await small.http.post(
            "/graphql",
            content=chunks(),  # no Content-Length: chunked
            headers={**small.headers, "content-type": "application/json"},
        )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "bytes",
        "requested": 3_000,  # what had arrived when it passed the limit
        "maximum": 2_500,
    }


async def test_too_many_tokens_are_refused_also_over_get(make_client, settings):
    query = "{ " + "__typename " * 60 + "}"
    # Overlaps raised out of the way: the 40 `__typename`s below make 780 pairs.
    async with make_client(**_limits(settings, max_tokens=50, max_overlaps=1_000)) as small:
        body = (
            await small.http.get("/graphql", params={"query": query}, headers=small.headers)
        ).json()
        assert _too_complex(body, "tokens") == (62, 50)
        assert body["extensions"]["cost"] == {"requested": 0, "maximum": 10_000}
        assert "errors" not in await small.raw("{ " + "__typename " * 40 + "}")


async def test_depth_over_the_limit_is_refused(make_client, settings):
    async with make_client(**_limits(settings, max_depth=3)) as shallow:
        async with count_sql() as stats:
            body = await shallow.raw("{ productFamilies { edges { node { code } } } }")
        assert stats.count == 0
        assert _too_complex(body, "depth") == (4, 3)
        # Fragments and introspection fields add no depth.
        ok = await shallow.raw(
            "{ productFamilies { ...F __typename } } fragment F on ProductFamilyConnection "
            "{ edges { cursor } }"
        )
        assert "errors" not in ok


async def test_graphiql_introspection_query_passes_the_default_limits(client):
    body = await client.raw(get_introspection_query())
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    assert body["extensions"]["cost"] == {"requested": 1, "maximum": 10_000}


async def test_introspection_is_refused_when_disabled(make_client):
    async with make_client(introspection=False) as closed:
        for query in (get_introspection_query(), '{ __type(name: "Product") { name } }'):
            async with count_sql() as stats:
                body = await closed.raw(query)
            assert stats.count == 0
            assert body["data"] is None
            assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
        assert await closed("{ __typename }") == {"__typename": "Query"}


def nested(first: int | str, variables: str = "") -> str:
    return (
        f"query{variables} {{ productFamilies(first: {first}) {{ edges {{ node {{ code "
        f"products(first: {first}) {{ edges {{ node {{ name }} }} }} }} }} }} }}"
    )


async def test_every_response_reports_its_cost_which_grows_with_first(client):
    # 1 + first x (edge 1 + node 1 + products (1 + first x (edge 1 + node 1)))
    small = await client.raw(nested(5))
    large = await client.raw(nested(50))
    assert small["extensions"]["cost"] == {"requested": 66, "maximum": 10_000}
    assert large["extensions"]["cost"] == {"requested": 5_151, "maximum": 10_000}
    assert "errors" not in small and "errors" not in large
    invalid = await client.raw("{ nope }")
    assert invalid["errors"]
    assert invalid["extensions"]["cost"] == {"requested": 1, "maximum": 10_000}


async def test_cost_follows_a_variable_used_as_first(client):
    query = nested("$n", "($n: Int = 5)")
    assert (await client.raw(query, {"n": 50}))["extensions"]["cost"]["requested"] == 5_151
    assert (await client.raw(query))["extensions"]["cost"]["requested"] == 66  # its default
    # null: the default page of 20.
    assert (await client.raw(query, {"n": None}))["extensions"]["cost"]["requested"] == 861
    body = await client.raw(nested("$n", "($n: Int!)"), {"n": 100})
    assert _too_complex(body, "cost") == (20_301, 10_000)


async def test_nodes_cost_per_id_and_mutations_have_a_base_cost(client):
    ids = [encode_id("Product", uuid.uuid4()) for _ in range(3)]
    body = await client.raw(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Product { family { code } } } }",
        {"ids": ids},
    )
    assert body["extensions"]["cost"]["requested"] == 3 * (1 + 1)
    body = await client.raw(
        'mutation { createProductFamily(input: {code: "bad code", name: ""}) '
        "{ productFamily { code } errors { code } } }"
    )
    # 10 for the mutation, its payload 1, the family 1, up to 3 errors 1 each.
    assert body["extensions"]["cost"]["requested"] == 10 + 1 + 1 + 3


def test_every_list_and_connection_field_has_a_cost_decision():
    """A new list of objects must get an assumed size in schema/cost_map.py, and a new
    connection must take `first`/`last`, which set its page."""
    undecided = []
    lists = set()
    for graphql_type in schema._schema.type_map.values():
        if graphql_type.name.startswith("__") or not isinstance(
            graphql_type, GraphQLObjectType | GraphQLInterfaceType
        ):
            continue
        for name, field in graphql_type.fields.items():
            item = get_named_type(field.type)
            qualified = f"{graphql_type.name}.{name}"
            if is_leaf_type(item):
                continue  # scalars and enums cost 0, lists of them too
            if is_connection(item):
                if not {"first", "last"} <= set(field.args):
                    undecided.append(f"{qualified} (a connection without first/last)")
            elif is_list_type(get_nullable_type(field.type)):
                lists.add(qualified)
                if (
                    not is_connection(graphql_type)
                    and list_size(graphql_type.name, name, item.name, {}) is None
                ):
                    undecided.append(qualified)
    assert undecided == [], f"add them to schema/cost_map.py: {undecided}"
    assert set(LIST_SIZES) <= lists, f"stale entries: {set(LIST_SIZES) - lists}"


async def test_an_operation_is_measured_once_for_each_set_of_variables(client, monkeypatch):
    walks = spy(monkeypatch, limits, "measure")
    query = nested("$n", "($n: Int = 5)")
    costs = [
        (await client.raw(query, variables))["extensions"]["cost"]["requested"]
        for variables in ({"n": 50}, {"n": 50}, {"n": 7}, {"n": 50})
    ]

    assert costs[0] == costs[1] == costs[3] == 5_151 and costs[2] < 5_151
    assert len(walks) == 2
