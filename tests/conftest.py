"""Fixtures: a migrated database per test on each backend, the app, and a GraphQL client.

Every database test runs on PostgreSQL and on SQLite (OPSGRAPH_TEST_BACKENDS narrows it).
Isolation: PostgreSQL tables are truncated before each test; SQLite gets a fresh copy of a
database migrated once per session.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

# Tests drive resolvers directly too: register every domain's event handlers first.
import resolvers.subscribers  # noqa: F401
from db.base import Base
from db.engine import Database
from db.migrate import upgrade
from settings import FilesSettings, Settings
from tests.support import services
from tests.support.connection_accounting import no_connection_left_checked_out
from tests.support.graphql import GraphQLClient
from tests.support.secrets import TEST_AUTH, TEST_ENCRYPTION_KEYS


@pytest.fixture(autouse=True)
async def _connections_given_back(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Every test fails if it ends with a database connection it took still checked out
    (issue 23). Set up first, it checks after every other fixture has closed its app; and
    in the test's event loop, before closing that loop finalizes abandoned generators,
    which would give such connections back and hide the leak."""
    with no_connection_left_checked_out(request.node.nodeid):
        yield


@pytest.fixture(scope="session")
def _postgres_migrated() -> str | None:
    reason = services.postgres_reachable()
    if reason is not None:
        return reason

    async def migrate() -> None:
        await services.create_worker_database()
        database = Database(services.TEST_DATABASE_URL)
        try:
            async with database.engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await upgrade(database.engine)
        finally:
            await database.dispose()

    asyncio.run(migrate())
    return None


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"

    async def migrate() -> None:
        database = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(database.engine)
        finally:
            await database.dispose()

    asyncio.run(migrate())
    return path


@pytest.fixture(params=services.BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database on one backend."""
    if request.param == "postgresql":
        reason = request.getfixturevalue("_postgres_migrated")
        if reason is not None:
            services.unavailable("PostgreSQL", reason)
        asyncio.run(_truncate_all(services.TEST_DATABASE_URL))
        yield services.TEST_DATABASE_URL
    else:
        template = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "test.db"
        shutil.copy(template, path)
        yield f"sqlite+aiosqlite:///{path}"


async def _truncate_all(url: str) -> None:
    database = Database(url)
    try:
        names = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with database.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await database.dispose()


def pytest_configure(config: pytest.Config) -> None:
    if services.WORKER is not None:
        # A pytest-xdist worker's temporary files (upload spools among them) in a folder of
        # its own: tests that check nothing was left behind must not see the other worker's.
        own = Path(tempfile.gettempdir()) / f"opsgraph-tests-{os.getpid()}-{services.WORKER}"
        own.mkdir(exist_ok=True)
        tempfile.tempdir = str(own)
        os.environ["TMPDIR"] = str(own)
    config.addinivalue_line(
        "markers",
        "both_executions: run with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION),"
        " expecting the same answers",
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    if services.WORKER is not None and tempfile.tempdir is not None:
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked both_executions (a module's `pytestmark` too) run twice, their settings
    with and without the batched engine; the same assertions hold for both. Tests about the
    engine itself (SQL counts, levels, projection) stay unmarked: batched only."""
    if (
        metafunc.definition.get_closest_marker("both_executions") is not None
        and "batched_execution" in metafunc.fixturenames
    ):
        metafunc.parametrize("batched_execution", [True, False], ids=["batched", "plain"])


@pytest.fixture
def batched_execution() -> bool:
    """Whether the app completes lists with the batched engine (schema/execution/)."""
    return True


TEST_FILES_SIGNING_KEY = "test-files-" + "k" * 40


@pytest.fixture
def files_settings(tmp_path: Path) -> FilesSettings:
    """Stored files in the test's own folder (tests/support/files.py adds S3)."""
    return FilesSettings(directory=tmp_path / "files", signing_key=TEST_FILES_SIGNING_KEY)


@pytest.fixture
def settings(database_url: str, batched_execution: bool, files_settings: FilesSettings) -> Settings:
    return Settings(
        database_url=database_url,
        env="development",
        graphiql=True,
        auth=TEST_AUTH,
        encryption_keys=TEST_ENCRYPTION_KEYS,
        batched_execution=batched_execution,
        files=files_settings,
    )


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = Database(settings.database_url, encryption_keys=settings.encryption_keys)
    yield db
    await db.dispose()


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[GraphQLClient]:
    async with GraphQLClient.for_settings(settings) as gql:
        yield gql


@pytest.fixture
def make_client(settings: Settings) -> Any:
    """Build a client on other settings, e.g. `make_client(debug_sql=True)`."""

    def make(**changes: Any) -> GraphQLClient:
        return GraphQLClient.for_settings(replace(settings, **changes))

    return make


@pytest.fixture
def live_settings(settings: Settings) -> Settings:
    """Settings for a served app whose subscriptions poll the change log often (tests wait
    for events, not for the default poll)."""
    return replace(settings, realtime=replace(settings.realtime, poll_seconds=0.2))


@pytest.fixture
def redis_url() -> str:
    reason = services.redis_reachable()
    if reason is not None:
        services.unavailable("Redis", reason)
    return services.TEST_REDIS_URL
