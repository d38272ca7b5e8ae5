"""What the app's optional Redis features share: how their clients connect, and leaving
Redis alone for a while after it fails, so an outage neither slows every request by a
timeout nor floods the log. The rate limiter and the persisted-query store degrade (pass,
miss) instead of failing requests; pub/sub has its own reconnection (subscriptions/)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis.asyncio as redis
from redis.exceptions import RedisError

RETRY_SECONDS = 5.0
T = TypeVar("T")


def client(url: str) -> redis.Redis:
    """A client that gives up within a second: a request must not wait longer on Redis."""
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


class OutageBreaker:
    """Calls to Redis that answer None instead of failing: after a failure, Redis is left
    alone for RETRY_SECONDS and one warning is logged."""

    def __init__(self, log: logging.Logger, meanwhile: str) -> None:
        self._log = log
        self._meanwhile = meanwhile
        self._skip_until = 0.0

    async def attempt(self, call: Callable[[], Awaitable[T]]) -> T | None:
        """`await call()`, or None while Redis is left alone or if the call fails."""
        if time.monotonic() < self._skip_until:
            return None
        try:
            return await call()
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return None

    def _failed(self, exc: BaseException) -> None:
        self._skip_until = time.monotonic() + RETRY_SECONDS
        self._log.warning(
            "Redis is unreachable (%s: %s): %s for %.0fs",
            type(exc).__name__,
            exc,
            self._meanwhile,
            RETRY_SECONDS,
        )
