"""Partner API keys (being built)."""

from __future__ import annotations

from auth.actor import Actor
from auth.tokens import InvalidToken
from db.engine import Database


async def authenticate(database: Database, presented: str) -> Actor:
    raise InvalidToken("API keys are not accepted yet")
