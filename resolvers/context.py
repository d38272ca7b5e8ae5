"""Everything a resolver may use for one request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import HTTPConnection

from auth.actor import Actor
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
    reader: Reader = field(init=False)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.reader = Reader(self.db)
        self.loaders = Loaders(self.reader)

    async def close(self) -> None:
        await self.reader.close()
