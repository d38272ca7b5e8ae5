"""Apply Alembic migrations from code (the CLI and the tests), on an async engine."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    def _upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    def _downgrade(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), revision)

    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # SQLite drops a column with a foreign key by rebuilding its table; with rows
            # pointing at that table (an order's lines, a shipment's order) the rebuild fails
            # while enforcement is on, and the switch works only outside a transaction.
            # Downgrading removes what the upgrade added, so nothing is left dangling.
            await conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
            await conn.commit()
        try:
            async with conn.begin():
                await conn.run_sync(_downgrade)
        finally:
            if sqlite:
                await conn.exec_driver_sql("PRAGMA foreign_keys = ON")
                await conn.commit()


@dataclass(frozen=True)
class MigrationState:
    """Where the database's schema stands against the code's migrations."""

    database: tuple[str, ...]
    code: tuple[str, ...]
    # The database is at a revision the code does not know: a newer release migrated it
    # (a rolling deploy's old processes keep serving; only "behind" refuses).
    ahead: bool

    @property
    def behind(self) -> bool:
        return not self.ahead and set(self.database) != set(self.code)

    def describe(self) -> str:
        at = ", ".join(self.database) or "no revision"
        return f"database at {at}, code at {', '.join(self.code)}"


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


async def migration_state(conn: AsyncConnection) -> MigrationState:
    """One statement: the revisions recorded in the database against the code's heads."""

    def current(connection: Connection) -> tuple[str, ...]:
        return tuple(MigrationContext.configure(connection).get_current_heads())

    script = _script()
    database = await conn.run_sync(current)
    known = {revision.revision for revision in script.walk_revisions()}
    return MigrationState(
        database=database,
        code=tuple(script.get_heads()),
        ahead=any(revision not in known for revision in database),
    )
