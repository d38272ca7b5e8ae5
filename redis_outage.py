"""What the app's optional Redis features share: one connection pool per purpose, sized by
a setting and waiting for a free connection rather than failing, and leaving Redis alone
for a while after it fails, so an outage neither slows every request by a timeout nor
floods the log. The rate limiter and the persisted-query store degrade (a documented
policy, a miss) instead of failing requests; pub/sub has its own reconnection
(subscriptions/).

Why pools that wait: redis-py's default async pool refuses the 101st concurrent call with
MaxConnectionsError. 1,000 dashboards subscribing at once each charge the rate limiter, so
the limiter saw "Redis is unreachable" and switched itself off for everyone although Redis
was fine. A call that finds its pool busy now waits (up to `wait_seconds`) for a connection;
that is counted (`opsgraph_redis_pool_exhausted_total{pool}`), and only a wait that times
out fails that one call, without taking the feature off for the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import redis.asyncio as redis
from redis.asyncio.connection import BlockingConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from observability.metrics import REDIS_POOL_EXHAUSTED, REDIS_UNAVAILABLE

RETRY_SECONDS = 5.0
CONNECT_SECONDS = 3.0
T = TypeVar("T")


class PoolTimeout(Exception):
    """Every connection of a pool stayed busy for its whole wait: Redis is up, we are busy."""


class MeasuredPool(BlockingConnectionPool):
    """A pool of at most `max_connections` that makes a caller wait for a free connection
    (at most `timeout` seconds), counting each time one had to."""

    def __init__(self, purpose: str = "redis", **kwargs: Any) -> None:
        self.purpose = purpose
        super().__init__(**kwargs)

    async def get_connection(self, *args: Any, **kwargs: Any) -> Any:
        if not self.can_get_connection():
            REDIS_POOL_EXHAUSTED.labels(self.purpose).inc()
        try:
            return await super().get_connection(*args, **kwargs)  # type: ignore[no-untyped-call]
        except RedisConnectionError as exc:
            if isinstance(exc.__cause__, TimeoutError):  # the wait, not the network
                free = f"no {self.purpose} connection free within {self.timeout}s"
                raise PoolTimeout(free) from None
            raise


def client(url: str, *, purpose: str, max_connections: int, wait_seconds: float) -> redis.Redis:
    """A client on a pool of its own for `purpose`, whose calls give up within a second once
    connected: a request must not wait longer on Redis. Opening a connection may take up
    to CONNECT_SECONDS: during a burst (1,000 WebSockets subscribing) the event loop itself
    runs late, and a 1 s connect timeout took a busy process for an unreachable Redis."""
    pool = MeasuredPool.from_url(
        url,
        purpose=purpose,
        max_connections=max_connections,
        timeout=wait_seconds,
        socket_connect_timeout=CONNECT_SECONDS,
        socket_timeout=1,
    )
    return redis.Redis.from_pool(pool)  # owns it: aclose() closes its connections


class OutageBreaker:
    """Calls to Redis that answer None instead of failing: after a failure, Redis is left
    alone for RETRY_SECONDS and one warning is logged. A pool that stayed busy (PoolTimeout)
    fails only that call."""

    def __init__(self, log: logging.Logger, meanwhile: str, purpose: str = "redis") -> None:
        self._log = log
        self._meanwhile = meanwhile
        self._purpose = purpose
        self._skip_until = 0.0
        self._busy_logged_at = float("-inf")

    @property
    def open(self) -> bool:
        """Whether Redis is being left alone now (after a failure)."""
        return time.monotonic() < self._skip_until

    async def attempt(self, call: Callable[[], Awaitable[T]]) -> T | None:
        """`await call()`, or None while Redis is left alone or if the call fails."""
        if time.monotonic() < self._skip_until:
            return None
        try:
            return await call()
        except PoolTimeout as exc:
            REDIS_UNAVAILABLE.labels(self._purpose).inc()
            now = time.monotonic()
            if now - self._busy_logged_at >= RETRY_SECONDS:
                self._busy_logged_at = now
                self._log.warning("Redis pool busy (%s): %s for this call", exc, self._meanwhile)
            return None
        except (RedisError, OSError) as exc:
            REDIS_UNAVAILABLE.labels(self._purpose).inc()
            self._failed(exc)
            return None

    def _failed(self, exc: BaseException) -> None:
        if self.open:
            return  # calls that were already under way when Redis failed: logged once
        self._skip_until = time.monotonic() + RETRY_SECONDS
        self._log.warning(
            "Redis is unreachable (%s: %s): %s for %.0fs",
            type(exc).__name__,
            exc,
            self._meanwhile,
            RETRY_SECONDS,
        )
