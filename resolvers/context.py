"""Everything a resolver may use for one request."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import HTTPConnection

from auth.actor import Actor
from auth.rate_limit import RateLimiter
from db.engine import Database
from db.reader import Reader
from resolvers.loaders import Loaders
from settings import Settings


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
    reader: Reader = field(init=False)
    loaders: Loaders = field(init=False)
    # Tasks tied to a WebSocket connection (its token's expiry), cancelled when it ends.
    _connection_tasks: list[asyncio.Task[None]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.reader = Reader(self.db)
        self.loaders = Loaders(self.reader)

    async def close(self) -> None:
        await self.reader.close()

    def on_connection_end(self, task: asyncio.Task[None]) -> None:
        self._connection_tasks.append(task)

    def end_connection(self) -> None:
        for task in self._connection_tasks:
            task.cancel()
