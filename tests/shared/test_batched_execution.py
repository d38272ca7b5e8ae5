"""Lists completed a level at a time (schema.execution.batched) answer exactly as graphql-core does:
the same data, the same errors at the same paths, the same nulls where errors propagate,
with one loader call per relation per level however long the list (issue #7)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from graphql import GraphQLInt
from sqlalchemy import update

from app import create_app
from db.models import JobNote, Product
from domain.jobs import JobStatus, NoteAuthorRole
from resolvers.ids import encode_id
from schema import connections
from schema.execution import levels, relations
from schema.execution.batched import BatchedLists
from schema.node import build_nodes
from settings import QueryLimits
from tests.support.graphql import GraphQLClient
from tests.support.job_support import Catalog, catalog
from tests.support.spies import spy
from tests.support.sql_counting import count_sql

BOARD = """query Board($withOrder: Boolean!) {
  manufacturingJobs(first: 50) { totalCount edges { cursor node {
    __typename id jobNumber status dueDate quantity isUrgent daysUntilDue
    allowedTransitions quotedCost { amount currency }
    maker: manufacturer { id name }
    manufacturer { name families { priority } }
    order @include(if: $withOrder) { ...OrderParts }
    items { quantity size technique
      variant { sku price { amount } product { name family { code } } } }
    jobNotes { content authorRole }
    replacesJob { id }
    photos(first: 2) { totalCount }
  } } }
}
fragment OrderParts on Order {
  reference status total { amount currency }
  customer { name }
  lineItems { position variant { sku } }
  jobs { jobNumber items { quantity } }
}"""

NODES = """query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on ManufacturingJob { jobNumber items { variant { product { name } } } }
    ... on Manufacturer { name }
  }
}"""


async def _world(client: GraphQLClient, database: Any) -> Catalog:
    world = await catalog(client, database)
    for n in range(6):
        job = await world.job(
            JobStatus.NEW if n % 2 else JobStatus.IN_PRODUCTION,
            manufacturer_id=world.own_id if n < 4 else world.other_id,
            items=1 + n % 3,
        )
        async with database.transaction() as session:
            for k in range(n % 3):
                session.add(
                    JobNote(
                        job_id=job.id, content=f"note {n}.{k}", author_role=NoteAuthorRole.ADMIN
                    )
                )
    return world


async def _both(
    client: GraphQLClient,
    query: str,
    variables: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The response with lists batched, and graphql-core's own: the same request, with the
    same credentials, to an app whose settings turn the batched engine off."""
    batched = await client.raw(query, variables)
    plain_app = create_app(replace(client.settings, batched_execution=False))
    async with GraphQLClient(plain_app, client.headers, role=client.role) as plain:
        reference = await plain.raw(query, variables)
    return batched, reference


def _errors(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (tuple(e.get("path") or ()), e["message"], (e.get("extensions") or {}).get("code"))
        for e in body.get("errors", [])
    )


def _same(batched: dict[str, Any], reference: dict[str, Any]) -> None:
    assert batched.get("data") == reference.get("data")
    assert _errors(batched) == _errors(reference)


@pytest.fixture
async def admin(make_client: Any) -> Any:
    async with make_client(limits=QueryLimits(max_cost=1_000_000)) as client:
        yield client


async def test_the_setting_turns_the_engine_off_for_its_app_alone(
    admin, database, make_client, monkeypatch
):
    """OPSGRAPH_BATCHED_EXECUTION off: graphql-core completes every list itself, while an
    app of the same process with the setting on still batches."""
    await _world(admin, database)
    whole_lists = spy(monkeypatch, BatchedLists, "_complete_whole_list")
    async with make_client(batched_execution=False, limits=admin.settings.limits) as plain:
        plain_board = await plain.raw(BOARD, {"withOrder": True})
    assert whole_lists == []

    batched_board = await admin.raw(BOARD, {"withOrder": True})
    assert whole_lists  # the jobs' edges, their items, ...
    _same(batched_board, plain_board)


async def test_an_admin_board_is_the_same_as_graphql_cores(admin, database, monkeypatch):
    await _world(admin, database)

    batched, reference = await _both(admin, BOARD, {"withOrder": True})

    _same(batched, reference)
    edges = batched["data"]["manufacturingJobs"]["edges"]
    assert len(edges) == 6 and "errors" not in batched
    # Lines are cut back to their own jobs, and aliases and fragments keep their keys.
    assert sorted(len(e["node"]["items"]) for e in edges) == [1, 1, 2, 2, 3, 3]
    first = edges[0]["node"]
    assert first["maker"]["name"] == first["manufacturer"]["name"]
    assert first["order"]["jobs"][0]["items"][0]["quantity"] == 5
    assert list(first)[:4] == ["__typename", "id", "jobNumber", "status"]


async def test_skipped_fragments_are_left_out_as_graphql_core_leaves_them(
    admin, database, monkeypatch
):
    await _world(admin, database)

    batched, reference = await _both(admin, BOARD, {"withOrder": False})

    _same(batched, reference)
    assert "order" not in batched["data"]["manufacturingJobs"]["edges"][0]["node"]


async def test_a_manufacturer_gets_the_same_denials_at_the_same_paths(admin, database, monkeypatch):
    world = await _world(admin, database)
    manufacturer = world.manufacturer()

    batched, reference = await _both(manufacturer, BOARD, {"withOrder": True})

    _same(batched, reference)
    edges = batched["data"]["manufacturingJobs"]["edges"]
    assert len(edges) == 4  # its own jobs only
    # Cost fields and orders are refused on every job, each at its own path.
    denied = {(e["path"][-1], e["extensions"]["code"]) for e in batched["errors"]}
    assert ("quotedCost", "FORBIDDEN") in denied and ("order", "FORBIDDEN") in denied
    paths = [tuple(e["path"]) for e in batched["errors"] if e["path"][-1] == "quotedCost"]
    assert len(set(paths)) == len(edges)
    assert all(e["node"]["quotedCost"] is None and e["node"]["order"] is None for e in edges)


async def test_a_missing_required_relation_nulls_the_nearest_nullable_parent(
    admin, database, monkeypatch
):
    world = await _world(admin, database)
    # A soft-deleted product: every variant's non-null `product` finds no row.
    async with database.transaction() as session:
        await session.execute(update(Product).values(deleted_at=datetime.now(UTC)))

    batched, reference = await _both(admin, BOARD, {"withOrder": True})

    _same(batched, reference)
    edges = batched["data"]["manufacturingJobs"]["edges"]
    # `variant` is nullable: it becomes null; the job and its other fields stay.
    assert all(item["variant"] is None for e in edges for item in e["node"]["items"])
    assert all(e["node"]["manufacturer"]["name"] for e in edges)
    product_errors = [e for e in batched["errors"] if e["path"][-1] == "product"]
    assert len(product_errors) == sum(len(e["node"]["items"]) for e in edges)
    assert world.variant["sku"]  # the variant exists; only its product is gone


async def test_a_level_of_rows_read_with_different_columns_answers_as_graphql_core_does(
    admin, database, monkeypatch
):
    """`node(id:)` reads the first manufacturer's whole row; the board's manufacturer level
    then finds that row held and reads the other's with only the columns it selects. Those
    rows place their columns differently, and the level still reads each one right."""
    world = await _world(admin, database)
    layouts: list[Any] = []
    shared_fields = levels._shared_fields

    def recorded(rows: Any) -> Any:
        layouts.append(shared_fields(rows))
        return layouts[-1]

    monkeypatch.setattr(levels, "_shared_fields", recorded)
    query = """query Mixed($id: ID!) {
      first: node(id: $id) { id }
      manufacturingJobs(first: 50) { edges { node {
        manufacturer { id name country families { priority } }
      } } }
    }"""

    batched, reference = await _both(admin, query, {"id": world.own["id"]})

    _same(batched, reference)
    makers = {
        e["node"]["manufacturer"]["name"] for e in batched["data"]["manufacturingJobs"]["edges"]
    }
    assert makers == {world.own["name"], world.other["name"]}
    assert None in layouts  # the manufacturers' rows came in two layouts


async def test_a_level_of_rows_builds_nodes_only_for_fields_that_need_them(
    admin, database, monkeypatch
):
    """Below the jobs (nodes of the connection), columns and resolvers that only read
    columns are answered from the rows; `allowedTransitions` takes each order's node."""
    await _world(admin, database)
    calls = spy(monkeypatch, levels, "build_nodes")

    def built() -> list[str]:
        return [node_type.__name__ for node_type, _rows in calls]

    columns_only = await admin(
        """{ manufacturingJobs(first: 50) { edges { node {
          manufacturer { id name } order { reference total { amount } }
          items { quantity variant { sku price { amount } product { name } } }
        } } } }"""
    )
    assert built() == []
    with_resolver = await admin(
        "{ manufacturingJobs(first: 50) { edges { node { order { allowedTransitions } } } } }"
    )
    assert built() == ["Order"]

    jobs = columns_only["manufacturingJobs"]["edges"]
    assert all(e["node"]["order"]["total"]["amount"] for e in jobs)
    assert all(
        e["node"]["order"]["allowedTransitions"]
        for e in with_resolver["manufacturingJobs"]["edges"]
    )


async def test_a_relation_refused_under_a_level_of_rows_is_denied_at_each_path(
    admin, database, monkeypatch
):
    """A manufacturer may not read orders: each line's `orderItem` is refused at its own
    path, as graphql-core refuses it, though the lines were never built as nodes."""
    world = await _world(admin, database)
    query = """{ manufacturingJobs(first: 50) { edges { node {
      items { quantity orderItem { id } }
    } } } }"""

    batched, reference = await _both(world.manufacturer(), query, {})

    _same(batched, reference)
    lines = [i for e in batched["data"]["manufacturingJobs"]["edges"] for i in e["node"]["items"]]
    denied = [e for e in batched["errors"] if e["path"][-1] == "orderItem"]
    assert lines and all(line["orderItem"] is None for line in lines)
    assert len({tuple(e["path"]) for e in denied}) == len(lines)
    assert {e["extensions"]["code"] for e in denied} == {"FORBIDDEN"}


async def test_a_list_of_an_interface_completes_each_member_by_its_type(
    admin, database, monkeypatch
):
    world = await _world(admin, database)
    jobs = (await admin("{ manufacturingJobs(first: 3) { edges { node { id } } } }"))[
        "manufacturingJobs"
    ]["edges"]
    missing = encode_id("Manufacturer", uuid.uuid4())
    ids = [e["node"]["id"] for e in jobs] + [world.own["id"], missing]

    batched, reference = await _both(admin, NODES, {"ids": ids})

    _same(batched, reference)
    nodes = batched["data"]["nodes"]
    assert [n and n["__typename"] for n in nodes][-2:] == ["Manufacturer", None]


async def test_each_relation_is_loaded_once_per_level_however_long_the_list(
    admin, database, monkeypatch
):
    world = await _world(admin, database)
    loads = [spy(monkeypatch, kind, "load") for kind in (relations.ToOne, relations.Children)]

    def loaded() -> list[str]:
        """Each relation load as Parent.field, whichever kind of relation."""
        return sorted(
            f"{info._raw_info.parent_type.name}.{info.field_name}"
            for calls in loads
            for (_, info, *_) in calls
        )

    query = """{ manufacturingJobs(first: 50) { edges { node {
      manufacturer { name } items { variant { product { name } } } } } } }"""

    await admin(query)
    with_6 = loaded()
    for _ in range(6):
        await world.job(items=3)
    for calls in loads:
        calls.clear()
    body = await admin(query)

    assert len(body["manufacturingJobs"]["edges"]) == 12
    assert (
        loaded()
        == with_6
        == [
            "JobItem.variant",
            "ManufacturingJob.items",
            "ManufacturingJob.manufacturer",
            "Variant.product",
        ]
    )


async def test_a_level_asking_for_children_already_read_in_the_request_reads_them_once(
    admin, database
):
    """Each job's items, read for the page, are the items each order's jobs ask for again
    a level further down: the request's rows answer them, as its DataLoaders would."""
    await _world(admin, database)
    shape = """{ manufacturingJobs(first: 50) { edges { node {
      items { quantity } order { jobs { jobNumber %s } } } } } }"""
    async with count_sql() as asked_once:
        once = await admin(shape % "")
    async with count_sql() as asked_again:
        again = await admin(shape % "items { quantity }")

    edges = again["manufacturingJobs"]["edges"]
    assert len(edges) == len(once["manufacturingJobs"]["edges"]) == 6
    for edge in edges:
        assert edge["node"]["order"]["jobs"][0]["items"] == edge["node"]["items"]
    assert asked_again.count == asked_once.count


async def test_leaves_not_already_their_output_are_coerced_or_refused_as_graphql_core_does(
    admin, database, monkeypatch
):
    """Strings, IDs, booleans, 32-bit ints and enum members complete without a call;
    anything else still goes through the type's coercion, with its error at its own path."""
    await _world(admin, database)
    real = build_nodes
    refuse = False
    too_big = False

    def odd_values(node_type: Any, rows: Any) -> list[Any]:
        nodes = real(node_type, rows)
        if node_type.__name__ == "ManufacturingJob":
            nodes[0].job_number = 42  # a String given an int: coerced to "42"
            nodes[2].status = JobStatus.IN_PRODUCTION.value  # the member's value: its name
            nodes[3].quantity = 7.0  # an Int given an integral float: 7
            nodes[4].quantity = True  # an Int given a bool: 1, as graphql-core answers
            if refuse:
                nodes[1].status = "NOT_A_STATUS"  # an enum given what it cannot represent
            if too_big:
                nodes[5].quantity = 2**31  # beyond GraphQL's 32-bit Int
        return nodes

    monkeypatch.setattr(connections, "build_nodes", odd_values)
    query = "{ manufacturingJobs(first: 10) { edges { node { jobNumber status quantity } } } }"
    coerced = spy(monkeypatch, GraphQLInt, "coerce_output_value")

    batched = await admin.raw(query)
    assert sorted(map(repr, (value for (value,) in coerced))) == ["7.0", "True"]
    _, reference = await _both(admin, query, {})
    _same(batched, reference)
    nodes = [e["node"] for e in batched["data"]["manufacturingJobs"]["edges"]]
    assert nodes[0]["jobNumber"] == "42" and nodes[2]["status"] == "IN_PRODUCTION"
    assert (nodes[3]["quantity"], nodes[4]["quantity"]) == (7, 1)
    assert "errors" not in batched

    too_big = True
    batched, reference = await _both(admin, query, {})
    _same(batched, reference)
    (error,) = batched["errors"]
    assert error["path"] == ["manufacturingJobs", "edges", 5, "node", "quantity"]
    assert "32-bit" in error["message"]
    too_big = False

    refuse = True
    batched, reference = await _both(admin, query, {})
    _same(batched, reference)
    assert batched["data"] is None  # the non-null status nulls everything up to the root
    (error,) = batched["errors"]
    assert error["path"] == ["manufacturingJobs", "edges", 1, "node", "status"]
    assert "NOT_A_STATUS" in error["message"]
