"""Where registered APQ texts live when several processes must share them: Redis.

Without `REDIS_URL` each process keeps its own (the in-process `PreparedCache` is then the
store). With it, a text registered through one process is found by every other; each
process still keeps its parsed copy in its own cache. Entries expire `ttl_seconds` after
their last use. A Redis outage is a miss, never a failed request: the client sends the
full text again, which runs and is registered once Redis is back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis.asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger("opsgraph.persisted")

KEY_PREFIX = "opsgraph:apq:"
# After a failure Redis is left alone this long, so an outage costs no timeout per request.
REDIS_RETRY_SECONDS = 5.0


class RedisQueryStore:
    def __init__(
        self,
        url: str,
        *,
        ttl_seconds: int,
        key_prefix: str = KEY_PREFIX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self._ttl_seconds = ttl_seconds
        self._key_prefix = key_prefix
        self._clock = clock
        self._skip_until = 0.0

    async def get(self, sha256: str) -> str | None:
        """The text registered under `sha256`, its expiry pushed back (None: unknown)."""
        if self._clock() < self._skip_until:
            return None
        try:
            value = await self._redis.getex(self._key_prefix + sha256, ex=self._ttl_seconds)
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return None
        return value.decode() if isinstance(value, bytes) else None

    async def put(self, sha256: str, body: str) -> None:
        if self._clock() < self._skip_until:
            return
        try:
            await self._redis.set(self._key_prefix + sha256, body.encode(), ex=self._ttl_seconds)
        except (RedisError, OSError) as exc:
            self._failed(exc)

    async def close(self) -> None:
        await self._redis.aclose()

    def _failed(self, exc: BaseException) -> None:
        self._skip_until = self._clock() + REDIS_RETRY_SECONDS
        log.warning(
            "persisted queries: Redis is unreachable for %.0fs (%s: %s); hashes miss meanwhile",
            REDIS_RETRY_SECONDS,
            type(exc).__name__,
            exc,
        )
