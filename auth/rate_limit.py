"""Rate limits: each identity (`Actor.rate_key`) spends query cost from a budget per minute.

The algorithm is GCRA (the generic cell rate algorithm), a sliding window without buckets: an
identity's state is one timestamp, its "theoretical arrival time" (TAT). A budget of L per
minute means each unit of cost pushes the TAT 60/L seconds ahead; a charge is accepted while
the new TAT stays at most a minute ahead of now, so a whole minute's budget can be spent at
once and then refills smoothly. Unlike a fixed minute bucket there is no boundary at which
twice the budget can be spent, and the refusal says exactly how long to wait (`retry_after`).
One operation never charges more than a full budget, so it still runs when the budget is
full and then holds the identity for a minute.

With Redis every app process shares one budget (the step runs atomically in a Lua script,
on Redis's clock); without it the budget is per process, owned by the app instance.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis_outage
from settings import RateLimitOnRedisDown, Settings

log = logging.getLogger("opsgraph.rate_limit")

PERIOD_SECONDS = 60.0
KEY_PREFIX = "opsgraph:rate:"


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    # Whole seconds until the same charge would be accepted (0 when allowed).
    retry_after: int = 0


ALLOWED = RateDecision(allowed=True)


class RateLimiter(Protocol):
    async def charge(self, key: str, cost: int, per_minute: int) -> RateDecision:
        """Spend `cost` from `key`'s budget of `per_minute`, or refuse and spend nothing."""
        ...

    async def close(self) -> None: ...


def rate_limiter_for(settings: Settings) -> RateLimiter:
    if settings.redis_url:
        pools = settings.redis
        return RedisRateLimiter(
            settings.redis_url,
            max_connections=pools.rate_limit_pool,
            wait_seconds=pools.pool_wait_seconds,
            on_redis_down=pools.rate_limit_on_down,
        )
    return MemoryRateLimiter()


def gcra(tat: float | None, now: float, cost: int, per_minute: int) -> tuple[float | None, int]:
    """One GCRA step: (the new TAT, or None when refused; seconds to wait when refused)."""
    new_tat = max(tat or now, now) + PERIOD_SECONDS * min(cost, per_minute) / per_minute
    allowed_at = new_tat - PERIOD_SECONDS
    # Within a microsecond counts as now: on a small clock reading (time.monotonic() soon
    # after boot) (now + 60) - 60 rounds a hair above now and refused a full budget.
    if allowed_at > now + 1e-6:
        return None, max(1, math.ceil(allowed_at - now))
    return new_tat, 0


class MemoryRateLimiter:
    """Budgets of this process only."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tats: dict[str, float] = {}
        self._next_prune = clock() + PERIOD_SECONDS

    async def charge(self, key: str, cost: int, per_minute: int) -> RateDecision:
        now = self._clock()
        self._prune(now)
        new_tat, retry_after = gcra(self._tats.get(key), now, cost, per_minute)
        if new_tat is None:
            return RateDecision(allowed=False, retry_after=retry_after)
        self._tats[key] = new_tat
        return ALLOWED

    def _prune(self, now: float) -> None:
        """Forget identities whose budget is full again, once a minute."""
        if now < self._next_prune:
            return
        self._tats = {key: tat for key, tat in self._tats.items() if tat > now}
        self._next_prune = now + PERIOD_SECONDS

    async def close(self) -> None:
        return None


# The GCRA step of `gcra` above, atomically on Redis. KEYS[1]: the identity's key;
# ARGV: budget per minute, cost, period in seconds. Returns {1, 0} or {0, retry_after_ms}.
_GCRA_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local per_minute = tonumber(ARGV[1])
local cost = math.min(tonumber(ARGV[2]), per_minute)
local period = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + cost * period / per_minute
local allowed_at = new_tat - period
if allowed_at > now then
  return {0, math.ceil((allowed_at - now) * 1000)}
end
redis.call('SET', KEYS[1], string.format('%.6f', new_tat),
  'PX', math.max(1, math.ceil((new_tat - now) * 1000)))
return {1, 0}
"""


# What the limiter says it does while Redis is away, by OPSGRAPH_RATE_LIMIT_ON_REDIS_DOWN.
_MEANWHILE: dict[RateLimitOnRedisDown, str] = {
    "open": "rate limiting is off",
    "closed": "every request is refused (RATE_LIMITED)",
    "local": "rate limits are kept per process",
}


class RedisRateLimiter:
    """Budgets shared by every process on one Redis. While Redis cannot be reached, the
    documented choice `on_redis_down` applies: `open` lets requests pass, `closed` refuses
    them, `local` (the default) spends this process's own budgets (MemoryRateLimiter)."""

    def __init__(
        self,
        url: str,
        *,
        key_prefix: str = KEY_PREFIX,
        max_connections: int = 20,
        wait_seconds: float = 2.0,
        on_redis_down: RateLimitOnRedisDown = "local",
    ) -> None:
        self._redis = redis_outage.client(
            url, purpose="rate_limit", max_connections=max_connections, wait_seconds=wait_seconds
        )
        self._script = self._redis.register_script(_GCRA_SCRIPT)
        self._key_prefix = key_prefix
        self._on_redis_down = on_redis_down
        self._local = MemoryRateLimiter()
        self._outage = redis_outage.OutageBreaker(
            log, _MEANWHILE[on_redis_down], purpose="rate_limit"
        )

    async def charge(self, key: str, cost: int, per_minute: int) -> RateDecision:
        answer = await self._outage.attempt(
            lambda: self._script(
                keys=[self._key_prefix + key], args=[per_minute, cost, PERIOD_SECONDS]
            )
        )
        if answer is None:  # Redis unreachable (or its pool stayed busy): the policy
            if self._on_redis_down == "open":
                return ALLOWED
            if self._on_redis_down == "closed":
                return RateDecision(
                    allowed=False, retry_after=math.ceil(redis_outage.RETRY_SECONDS)
                )
            return await self._local.charge(key, cost, per_minute)
        allowed, retry_after_ms = answer
        if allowed:
            return ALLOWED
        return RateDecision(
            allowed=False, retry_after=max(1, math.ceil(int(retry_after_ms) / 1000))
        )

    async def close(self) -> None:
        await self._redis.aclose()
