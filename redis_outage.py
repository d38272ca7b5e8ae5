"""What the app's optional Redis features share: how their clients connect, and leaving
Redis alone for a while after it fails, so an outage neither slows every request by a
timeout nor floods the log. The rate limiter and the persisted-query store degrade (pass,
miss) instead of failing requests; pub/sub has its own reconnection (subscriptions/)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis.asyncio as redis

RETRY_SECONDS = 5.0


def client(url: str) -> redis.Redis:
    """A client that gives up within a second: a request must not wait longer on Redis."""
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


class OutageBreaker:
    """After a failure, `skipping` is true for RETRY_SECONDS and one warning is logged."""

    def __init__(
        self, log: logging.Logger, meanwhile: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._log = log
        self._meanwhile = meanwhile
        self._clock = clock
        self._skip_until = 0.0

    @property
    def skipping(self) -> bool:
        return self._clock() < self._skip_until

    def failed(self, exc: BaseException) -> None:
        self._skip_until = self._clock() + RETRY_SECONDS
        self._log.warning(
            "Redis is unreachable (%s: %s): %s for %.0fs",
            type(exc).__name__,
            exc,
            self._meanwhile,
            RETRY_SECONDS,
        )
