"""Redis under connection bursts (issue 30, item 6): each purpose has a pool of its own whose
callers wait for a free connection instead of failing, so a burst larger than the pool never
looks like an outage (rate limiting stays on for everyone), and each wait is counted; what
the limiter does while Redis is really down is the documented choice
OPSGRAPH_RATE_LIMIT_ON_REDIS_DOWN."""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid

import pytest

from auth.rate_limit import RedisRateLimiter
from observability.metrics import exposition
from settings import Settings, SettingsError
from tests.support.metrics import parse, value

UNREACHABLE = "redis://127.0.0.1:1/0"
BURST = 300


def _exhausted(pool: str) -> float:
    return value(parse(exposition().decode()), "opsgraph_redis_pool_exhausted_total", pool=pool)


async def test_a_burst_larger_than_the_pool_waits_and_keeps_rate_limiting_on(redis_url, caplog):
    caplog.set_level(logging.WARNING, logger="opsgraph.rate_limit")
    limiter = RedisRateLimiter(redis_url, max_connections=5, wait_seconds=5.0, on_redis_down="open")
    key = f"burst-{uuid.uuid4().hex}"
    before = _exhausted("rate_limit")
    started = time.monotonic()
    try:
        # 300 charges at once of a budget of 200: with the old pool the 101st failed, the
        # limiter called Redis unreachable and let everything through ("open" here).
        decisions = await asyncio.gather(
            *(limiter.charge(key, cost=1, per_minute=200) for _ in range(BURST))
        )
    finally:
        await limiter.close()
    # Redis decided every one: the budget, plus what refilled while the burst ran.
    refilled = math.ceil((time.monotonic() - started) * 200 / 60)
    assert 200 <= sum(d.allowed for d in decisions) <= 200 + refilled < BURST
    assert [r.getMessage() for r in caplog.records] == []
    assert _exhausted("rate_limit") - before > 0  # the waits are counted


async def test_a_busy_pool_fails_one_call_not_the_feature(redis_url, caplog):
    caplog.set_level(logging.WARNING, logger="opsgraph.rate_limit")
    limiter = RedisRateLimiter(
        redis_url, max_connections=1, wait_seconds=0.05, on_redis_down="closed"
    )
    key = f"busy-{uuid.uuid4().hex}"
    try:

        async def hold_the_connection() -> None:
            await limiter._redis.blpop([f"{key}-never"], timeout=0.5)

        holding = asyncio.create_task(hold_the_connection())
        await asyncio.sleep(0.1)  # the only connection is held
        refused = await limiter.charge(key, cost=1, per_minute=100)
        await holding
        after = await limiter.charge(key, cost=1, per_minute=100)
    finally:
        await limiter.close()
    assert not refused.allowed  # the policy for that call (closed)
    assert after.allowed  # Redis was never left alone: the next call reached it
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.startswith("Redis pool busy")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("open", [True, True, True]),
        ("closed", [False, False, False]),
        ("local", [True, True, False]),
    ],
)
async def test_the_limiter_follows_its_policy_while_redis_is_down(policy, expected, caplog):
    caplog.set_level(logging.WARNING, logger="opsgraph.rate_limit")
    limiter = RedisRateLimiter(UNREACHABLE, on_redis_down=policy)
    try:
        decisions = [await limiter.charge("someone", cost=1, per_minute=2) for _ in range(3)]
    finally:
        await limiter.close()
    assert [d.allowed for d in decisions] == expected
    if policy == "closed":
        assert decisions[0].retry_after == 5
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.startswith("Redis is unreachable")
    assert {"open": "is off", "closed": "refused", "local": "per process"}[policy] in warning


def test_the_pools_and_the_policy_are_settings():
    settings = Settings.from_env(
        {
            "OPSGRAPH_REDIS_RATE_LIMIT_POOL": "250",
            "OPSGRAPH_REDIS_POOL_WAIT_SECONDS": "0.5",
            "OPSGRAPH_RATE_LIMIT_ON_REDIS_DOWN": "closed",
        }
    )
    assert settings.redis.rate_limit_pool == 250
    assert settings.redis.pool_wait_seconds == 0.5
    assert settings.redis.rate_limit_on_down == "closed"
    assert Settings.from_env({}).redis.rate_limit_on_down == "local"
    with pytest.raises(SettingsError, match="OPSGRAPH_RATE_LIMIT_ON_REDIS_DOWN"):
        Settings.from_env({"OPSGRAPH_RATE_LIMIT_ON_REDIS_DOWN": "maybe"})


async def test_closing_the_limiter_closes_its_pool(redis_url):
    limiter = RedisRateLimiter(redis_url, max_connections=3)
    await asyncio.gather(*(limiter.charge("closing", cost=1, per_minute=100) for _ in range(6)))
    pool = limiter._redis.connection_pool
    opened = list(pool._available_connections)
    assert opened and all(c.is_connected for c in opened)
    await limiter.close()
    assert not any(c.is_connected for c in opened)  # not left open until garbage collection
