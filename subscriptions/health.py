"""Whether the pub/sub backend can be reached, for /readyz."""

from __future__ import annotations

import redis.asyncio as redis

from settings import Settings


class PubSubProbe:
    """In-process pub/sub is always reachable; Redis is pinged on its own client."""

    def __init__(self, settings: Settings) -> None:
        self._client = (
            redis.Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
            if settings.redis_url
            else None
        )

    async def ping(self) -> None:
        if self._client is not None:
            await self._client.ping()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
