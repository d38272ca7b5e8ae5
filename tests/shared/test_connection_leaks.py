"""Database connections go back to the pool whatever a request's resolvers do (issue 23,
defect 1): a `nodes` lookup mixing a type the caller may not read with one it may read
returned its FORBIDDEN error while the other lookup went on to open a connection that no
one gave back, until the pool was exhausted and the API froze."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import text

from auth.permissions import Role
from db.engine import Database
from db.reader import Reader, ReaderClosed
from resolvers.ids import encode_id
from settings import Settings
from tests.support import seeding, services
from tests.support.graphql import GraphQLClient
from tests.support.job_support import Catalog, catalog

NODES = "query($i: [ID!]!) { nodes(ids: $i) { id } }"

pytestmark = pytest.mark.skipif(
    "postgresql" not in services.BACKENDS, reason="the pool under test is PostgreSQL's"
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("the pool under test is PostgreSQL's")
    return replace(settings, db_pool_size=2)


@pytest.fixture
async def world(client: GraphQLClient, database: Any) -> AsyncIterator[Catalog]:
    yield await catalog(client, database)


def checked_out(client: GraphQLClient) -> int:
    count: int = client.app.state.database.engine.pool.checkedout()
    return count


async def mixed_ids(world: Catalog) -> list[str]:
    """A manufacturer may not read variants but may read its own job."""
    job = await world.job()
    return [world.variant["id"], encode_id("ManufacturingJob", job.id)]


async def caller_and_mix(
    world: Catalog, client: GraphQLClient, role: Role
) -> tuple[GraphQLClient, list[str]]:
    """A client acting as `role` and IDs of which it may read the second, not the first."""
    if role is Role.MANUFACTURER:
        return world.manufacturer(), await mixed_ids(world)
    if role is Role.CUSTOMER:
        customer = await seeding.customer(world.database)
        order = await seeding.order(world.database, customer_id=customer.id)
        ids = [world.variant["id"], encode_id("Order", order.id)]
        return client.as_role(role, customer_id=customer.id), ids
    job = await world.job()  # sales reads jobs, not manufacturers
    return client.as_role(role), [world.own["id"], encode_id("ManufacturingJob", job.id)]


@pytest.mark.parametrize("role", [Role.MANUFACTURER, Role.CUSTOMER, Role.SALES])
async def test_a_mixed_nodes_lookup_gives_its_connection_back(
    world: Catalog, client: GraphQLClient, role: Role
) -> None:
    caller, ids = await caller_and_mix(world, client, role)
    for _ in range(3):
        answer = await caller.raw(NODES, {"i": ids})
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"]
    await asyncio.sleep(0.05)  # anything the requests left running has run by now
    assert checked_out(client) == 0


async def test_500_mixed_lookups_on_a_pool_of_two_leave_it_empty_and_ready(
    world: Catalog, client: GraphQLClient
) -> None:
    ids = await mixed_ids(world)
    manufacturer = world.manufacturer()
    pending = asyncio.Semaphore(25)

    async def lookup() -> dict[str, Any]:
        async with pending:
            return await manufacturer.raw(NODES, {"i": ids})

    answers = await asyncio.gather(*(lookup() for _ in range(500)))
    codes = {error["extensions"]["code"] for answer in answers for error in answer["errors"]}
    assert codes == {"FORBIDDEN"}
    await asyncio.sleep(0.05)
    assert checked_out(client) == 0
    ready = await client.http.get("/readyz")
    assert ready.status_code == 200, ready.text


async def test_a_read_asked_for_after_its_request_ended_takes_no_connection(
    database: Database,
) -> None:
    reader = Reader(database)
    await reader.fetch(text("SELECT 1"))
    await reader.close()
    with pytest.raises(ReaderClosed):
        await reader.fetch(text("SELECT 1"))
    assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_a_read_in_progress_when_its_request_ends_gives_its_connection_back(
    database: Database,
) -> None:
    reader = Reader(database)
    slow = asyncio.ensure_future(reader.fetch(text("SELECT pg_sleep(0.2)")))
    await asyncio.sleep(0.05)
    await reader.close()  # waits for the read, then gives its connection back
    assert slow.done()
    assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
