"""Everything a resolver may use for one request."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from starlette.requests import HTTPConnection

from auth.actor import Actor
from auth.rate_limit import RateLimiter
from db.engine import Database
from db.reader import Reader
from resolvers.loaders import Loaders
from settings import Settings

if TYPE_CHECKING:
    from subscriptions.hub import ChangeHub


@dataclass
class RequestContext:
    settings: Settings
    db: Database
    actor: Actor
    request: HTTPConnection | None = None
    response: Any = None
    # The WebSocket `connection_init` payload (strawberry sets it).
    connection_params: Any = None
    # The app's rate limiter (one per app), charged by schema/limits.py.
    rate_limiter: RateLimiter | None = None
    # The process's change hub, which subscriptions follow (None in the CLI).
    hub: ChangeHub | None = None
    reader: Reader = field(init=False)
    loaders: Loaders = field(init=False)
    # Answers worked out from the operation's selection (schema.execution.projection): they cannot
    # change within an operation, and a field nested in a list asks once per parent.
    selections: dict[Hashable, Any] = field(init=False, default_factory=dict)
    # Tasks tied to a WebSocket connection (its token's expiry), cancelled when it ends.
    _connection_tasks: list[asyncio.Task[None]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.reader = Reader(self.db)
        self.loaders = Loaders(self.reader)

    async def close(self) -> None:
        self.loaders.close()
        await self.reader.close()

    def on_connection_end(self, task: asyncio.Task[None]) -> None:
        self._connection_tasks.append(task)

    def for_operation(self) -> RequestContext:
        """A context for one operation of a WebSocket connection: the connection's caller,
        with its own read connection and loaders, so concurrent operations on one socket
        neither share a database connection nor each other's cached rows."""
        # replace() copies the constructor fields; __post_init__ gives the copy its own
        # reader and loaders, and it starts with no connection tasks of its own.
        return replace(self)

    async def release(self) -> None:
        """Between two events of a subscription: forget cached rows (the next event must see
        the newest data) and give the read connection back to the pool."""
        self.loaders.clear()
        await self.reader.release()

    def end_connection(self) -> None:
        for task in self._connection_tasks:
            task.cancel()
