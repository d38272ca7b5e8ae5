"""Where registered APQ texts live when several processes must share them: Redis.

Without `REDIS_URL` each process keeps its own (the in-process `PreparedCache` is then the
store). With it, a text registered through one process is found by every other; each
process still keeps its parsed copy in its own cache. Entries expire `ttl_seconds` after
their last use. A Redis outage is a miss, never a failed request: the client sends the
full text again, which runs and is registered once Redis is back.
"""

from __future__ import annotations

import logging

import redis_outage

log = logging.getLogger("opsgraph.persisted")

KEY_PREFIX = "opsgraph:apq:"


class RedisQueryStore:
    def __init__(
        self,
        url: str,
        *,
        ttl_seconds: int,
        key_prefix: str = KEY_PREFIX,
        max_connections: int = 20,
        wait_seconds: float = 2.0,
    ) -> None:
        self._redis = redis_outage.client(
            url, purpose="persisted", max_connections=max_connections, wait_seconds=wait_seconds
        )
        self._ttl_seconds = ttl_seconds
        self._key_prefix = key_prefix
        self._outage = redis_outage.OutageBreaker(
            log, "persisted-query hashes miss", purpose="persisted"
        )

    async def get(self, sha256: str) -> str | None:
        """The text registered under `sha256`, its expiry pushed back (None: unknown)."""
        key = self._key_prefix + sha256
        value = await self._outage.attempt(lambda: self._redis.getex(key, ex=self._ttl_seconds))
        return value.decode() if isinstance(value, bytes) else None

    async def put(self, sha256: str, body: str) -> None:
        key = self._key_prefix + sha256
        await self._outage.attempt(
            lambda: self._redis.set(key, body.encode(), ex=self._ttl_seconds)
        )

    async def close(self) -> None:
        await self._redis.aclose()
