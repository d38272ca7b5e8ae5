"""Lists and relations read only the columns their selection needs (schema.execution.projection), and
answer exactly what reading whole rows answers (issue #7)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select, update

from db.models import Customer
from db.reader import Reader
from domain.jobs import JobStatus
from resolvers.ids import decode_id
from resolvers.loaders import Loaders
from schema.execution import projection
from schema.execution.projection import attributes_read
from tests.support import factories
from tests.support.graphql import GraphQLClient
from tests.support.job_support import catalog
from tests.support.spies import spy
from tests.support.sql_counting import count_sql

BOARD = """{ manufacturingJobs(first: 10) { edges { node {
  jobNumber status
  manufacturer { name }
  order { reference total { amount currency } }
  items { quantity variant { sku price { amount } } }
} } } }"""


def _selected(statements: list[str], table: str) -> set[str]:
    """The columns of `table` that the statement reading it selects."""
    (statement,) = [s for s in statements if re.search(rf"\sFROM {table}\b", s)]
    head = re.split(r"\sFROM\s", statement, maxsplit=1)[0]
    return set(re.findall(rf"\b{table}\.(\w+)", head))


async def test_a_list_selects_only_the_columns_its_fields_read(
    client: GraphQLClient, database: Any
) -> None:
    world = await catalog(client, database)
    job = await world.job(items=2)

    async with count_sql() as stats:
        data = await client(BOARD)

    (edge,) = data["manufacturingJobs"]["edges"]
    assert edge["node"]["jobNumber"] == job.job_number
    assert edge["node"]["manufacturer"] == {"name": world.own["name"]}
    assert edge["node"]["order"]["total"]["currency"] == "USD"
    assert len(edge["node"]["items"]) == 2
    assert _selected(stats.statements, "manufacturers") == {"id", "name"}
    jobs = _selected(stats.statements, "manufacturing_jobs")
    # What the fields read, the keys of the relations below, and the sort keys of the page.
    assert {"job_number", "status", "manufacturer_id", "order_id"} <= jobs
    assert not {"notes", "customer_notes", "routing_reason", "quoted_cost"} & jobs
    orders = _selected(stats.statements, "orders")
    assert {"reference", "total", "currency"} <= orders and "metadata" not in orders


async def test_a_field_whose_reads_are_unknown_gets_whole_rows(
    client: GraphQLClient, database: Any
) -> None:
    world = await catalog(client, database)
    await world.job()
    # allowedTransitions takes `info`: what it reads of the job cannot be known.
    query = "{ manufacturingJobs(first: 5) { edges { node { jobNumber allowedTransitions } } } }"

    async with count_sql() as stats:
        data = await client(query)

    assert data["manufacturingJobs"]["edges"][0]["node"]["allowedTransitions"]
    assert {"notes", "customer_notes", "quoted_cost"} <= _selected(
        stats.statements, "manufacturing_jobs"
    )


async def test_projected_and_whole_rows_of_one_record_do_not_mix_in_a_request(
    client: GraphQLClient, database: Any
) -> None:
    world = await catalog(client, database)
    maker = await factories.manufacturer(client, city="Porto", email="ops@porto.example")
    await world.job(manufacturer_id=decode_id(maker["id"])[1])
    # The relation reads the manufacturer's name only; node(id:) then asks for more of the
    # same row, which must not come from the projected cache entry.
    query = """query($id: ID!) {
      manufacturingJobs(first: 5) { edges { node { manufacturer { name } } } }
      node(id: $id) { ... on Manufacturer { name city email } }
    }"""

    data = await client(query, {"id": maker["id"]})

    (edge,) = data["manufacturingJobs"]["edges"]
    assert edge["node"]["manufacturer"] == {"name": maker["name"]}
    assert data["node"] == {"name": maker["name"], "city": "Porto", "email": "ops@porto.example"}


async def test_two_selections_of_one_table_at_once_share_one_statement(
    client: GraphQLClient, database: Any
) -> None:
    world = await catalog(client, database)
    maker = await factories.manufacturer(client, city="Porto")
    await world.job(manufacturer_id=decode_id(maker["id"])[1])
    query = """{ manufacturingJobs(first: 5) { edges { node {
      manufacturer { name } plant: manufacturer { city }
    } } } }"""

    async with count_sql() as stats:
        data = await client(query)

    (edge,) = data["manufacturingJobs"]["edges"]
    assert edge["node"] == {"manufacturer": {"name": maker["name"]}, "plant": {"city": "Porto"}}
    assert _selected(stats.statements, "manufacturers") == {"id", "name", "city"}


def test_what_a_resolver_reads_is_found_in_its_code() -> None:
    class Row:
        a: int
        b: int

        def total(self) -> int:
            return self.a * 2 + self.b

        def delegates(self) -> int:
            return self.total()

        def passes_itself(self) -> int:
            return len(str(self))

        def lends_itself(self) -> int:
            return (lambda: self.a)()

    assert attributes_read(Row.total) == frozenset({"a", "b"})
    assert attributes_read(Row.delegates) is None
    assert attributes_read(Row.passes_itself) is None
    assert attributes_read(Row.lends_itself) is None


@asynccontextmanager
async def _a_customer_and_loaders(
    database: Any, name: str
) -> AsyncIterator[tuple[Customer, Reader, Loaders]]:
    async with database.transaction() as session:
        customer = Customer(name=name)
        session.add(customer)
    reader = Reader(database)
    try:
        yield customer, reader, Loaders(reader)
    finally:
        await reader.close()


async def _rename_customers(database: Any, name: str) -> None:
    async with database.transaction() as session:
        await session.execute(update(Customer).values(name=name))


async def test_rows_a_list_read_are_forgotten_when_the_loaders_are_cleared(database: Any) -> None:
    customers = Customer.__table__
    async with _a_customer_and_loaders(database, "Before") as (customer, reader, loaders):
        loaders.prime(customers, await reader.fetch(select(customers)))
        by_id = loaders.by_id(customers)
        async with count_sql() as stats:
            assert (await by_id.load(customer.id)).name == "Before"  # type: ignore[union-attr]
        assert stats.count == 0  # served by the list's row
        await _rename_customers(database, "After")

        loaders.clear()  # as after a mutation commits

        assert (await by_id.load(customer.id)).name == "After"  # type: ignore[union-attr]


async def test_a_row_read_again_is_served_as_last_read(database: Any) -> None:
    # Lists' rows are indexed by id only when a lookup needs them: in the order they came.
    customers = Customer.__table__
    async with _a_customer_and_loaders(database, "First") as (customer, reader, loaders):
        loaders.prime(customers, await reader.fetch(select(customers)))
        await _rename_customers(database, "Second")
        loaders.prime(customers, await reader.fetch(select(customers)))

        async with count_sql() as stats:
            row = await loaders.by_id(customers).load(customer.id)

        assert stats.count == 0
        assert row is not None and row.name == "Second"


async def test_a_connection_nested_in_a_list_works_out_its_columns_once(
    client: GraphQLClient, database: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await catalog(client, database)
    for _ in range(3):
        await world.job()
    walks = spy(monkeypatch, projection, "_connection_node_columns")
    query = """{ manufacturingJobs(first: 5) { edges { node {
      jobNumber photos(first: 2) { edges { node { url } } }
    } } } }"""

    data = await client(query)

    assert len(data["manufacturingJobs"]["edges"]) == 3
    assert sorted(node_type.__name__ for _, node_type in walks) == [
        "JobPhoto",
        "ManufacturingJob",
    ]


async def test_two_selections_of_one_children_list_share_one_statement(
    client: GraphQLClient, database: Any
) -> None:
    # Each alias reads its own columns of each order's jobs: one statement over both.
    world = await catalog(client, database)
    first, second = await world.job(), await world.job(status=JobStatus.ACCEPTED)
    query = """{ orders(first: 5) { edges { node {
      jobs { jobNumber } states: jobs { status }
    } } } }"""

    async with count_sql() as stats:
        data = await client(query)

    nodes = [edge["node"] for edge in data["orders"]["edges"]]
    assert sorted(n["jobs"][0]["jobNumber"] for n in nodes) == sorted(
        [first.job_number, second.job_number]
    )
    assert sorted(n["states"][0]["status"] for n in nodes) == ["ACCEPTED", "NEW"]
    assert {"job_number", "status"} <= _selected(stats.statements, "manufacturing_jobs")
