"""A real database failure reaches the client as INTERNAL_SERVER_ERROR with a request id,
and nothing else: no SQL, no table names, no stack trace, no file path. The log has it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text

from tests.support import factories
from tests.support.db_state import snapshot

LEAKS = ("SELECT", "INSERT", "product_families", "audit_log", "Traceback", ".py", "sqlalchemy")


@asynccontextmanager
async def _table_renamed(database, table: str) -> AsyncIterator[None]:
    """Provoke real database errors: the table the statement needs is gone for a while."""
    async with database.engine.begin() as conn:
        await conn.execute(text(f"ALTER TABLE {table} RENAME TO {table}_away"))
    try:
        yield
    finally:
        async with database.engine.begin() as conn:
            await conn.execute(text(f"ALTER TABLE {table}_away RENAME TO {table}"))


def _assert_masked(body, response, caplog) -> None:
    (error,) = body["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": error["extensions"]["requestId"],
    }
    request_id = error["extensions"]["requestId"]
    assert response.headers["x-request-id"] == request_id
    assert not any(leak in response.text for leak in LEAKS), response.text
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the detail is in the log


async def test_a_failing_query_is_masked(client, database, caplog):
    caplog.set_level(logging.ERROR)
    async with _table_renamed(database, "product_families"):
        response = await client.post("{ productFamilies { totalCount } }")
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    _assert_masked(body, response, caplog)


async def test_a_failing_mutation_is_masked_and_changes_nothing(client, database, caplog):
    family = await factories.family(client)
    before = await snapshot(database)
    caplog.set_level(logging.ERROR)
    async with _table_renamed(database, "audit_log"):
        response = await client.post(
            'mutation($id: ID!) { updateProductFamily(input: {id: $id, name: "Renamed"}) '
            "{ productFamily { name } errors { code } } }",
            {"id": family["id"]},
        )
    _assert_masked(response.json(), response, caplog)
    assert await snapshot(database) == before


async def test_every_response_names_its_request(client):
    response = await client.post("{ viewer { authenticated } }")
    assert len(response.headers["x-request-id"]) == 32
