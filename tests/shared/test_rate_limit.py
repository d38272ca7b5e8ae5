"""Rate limits: each identity spends query cost from a budget per minute; in process, or
shared by every app process through Redis (API.md "Limits")."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from functools import partial

import redis.asyncio as redis

from auth.permissions import Role
from auth.rate_limit import KEY_PREFIX, MemoryRateLimiter
from tests.support.graphql import GraphQLClient, bearer
from tests.support.sql_counting import count_sql

# Costs 5: the connection 1, then 2 x (edge 1 + node 1).
QUERY = "{ productFamilies(first: 2) { edges { node { code } } } }"
COST = 5


def _budget(settings, per_minute=3 * COST, anonymous=3 * COST, **changes):
    limits = replace(
        settings.limits, rate_per_minute=per_minute, anonymous_rate_per_minute=anonymous
    )
    return replace(settings, limits=limits, **changes)


def _assert_rate_limited(response, most=60):
    assert response.status_code == 429
    body = response.json()
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    retry_after = error["extensions"]["retryAfter"]
    assert isinstance(retry_after, int) and 0 < retry_after <= most
    assert response.headers["retry-after"] == str(retry_after)
    assert body["extensions"]["cost"]["requested"] == COST


async def test_a_spent_budget_is_refused_with_429_and_nothing_runs(settings):
    async with GraphQLClient.for_settings(_budget(settings)) as client:
        for _ in range(3):
            response = await client.post(QUERY)
            assert response.status_code == 200
            assert "errors" not in response.json()
        async with count_sql() as stats:
            response = await client.post(QUERY)
        assert stats.count == 0
        # A third of the budget (5 of 15 a minute) comes back after 20 seconds.
        _assert_rate_limited(response, most=20)


async def test_identities_have_separate_budgets(settings):
    async with GraphQLClient.for_settings(_budget(settings, per_minute=COST)) as alice:
        assert (await alice.post(QUERY)).status_code == 200
        _assert_rate_limited(await alice.post(QUERY))
        bob = alice.with_headers(bearer(alice.settings, Role.ADMIN, subject="bob"))
        assert (await bob.post(QUERY)).status_code == 200
        anonymous = alice.anonymous()
        assert await anonymous("{ __typename }") == {"__typename": "Query"}


async def test_anonymous_callers_spend_the_smaller_anonymous_budget(settings):
    async with GraphQLClient.for_settings(_budget(settings, per_minute=100, anonymous=2)) as admin:
        anonymous = admin.anonymous()
        for _ in range(2):
            assert (await anonymous.post("{ __typename }")).status_code == 200
        refused = await anonymous.post("{ __typename }")
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert (await admin.post("{ __typename }")).status_code == 200


async def test_retry_after_is_when_the_budget_has_refilled_enough():
    """A sliding window: the budget refills continuously, and waiting `retry_after`
    seconds is exactly enough."""
    now = [1_000.0]
    limiter = MemoryRateLimiter(clock=lambda: now[0])
    assert (await limiter.charge("user:a", 60, per_minute=60)).allowed
    refused = await limiter.charge("user:a", 15, per_minute=60)
    assert (refused.allowed, refused.retry_after) == (False, 15)
    now[0] += 14
    assert not (await limiter.charge("user:a", 15, per_minute=60)).allowed
    now[0] += 1
    assert (await limiter.charge("user:a", 15, per_minute=60)).allowed
    # An operation above the whole budget still runs on a full budget, then holds a minute.
    assert (await limiter.charge("user:b", 500, per_minute=60)).allowed
    assert (await limiter.charge("user:b", 1, per_minute=60)).retry_after == 1
    now[0] += 60
    assert (await limiter.charge("user:b", 60, per_minute=60)).allowed


async def test_app_instances_on_one_redis_share_one_budget(settings, redis_url):
    shared = _budget(settings, redis_url=redis_url)
    subject, other = f"rate-test-{uuid.uuid4()}", f"rate-test-{uuid.uuid4()}"
    keys = [f"{KEY_PREFIX}user:{subject}", f"{KEY_PREFIX}user:{other}"]
    store = redis.Redis.from_url(redis_url)
    try:
        async with (
            GraphQLClient.for_settings(shared) as first,
            GraphQLClient.for_settings(shared) as second,
        ):
            a = first.with_headers(bearer(shared, Role.ADMIN, subject=subject))
            b = second.with_headers(bearer(shared, Role.ADMIN, subject=subject))
            for _ in range(3):
                assert (await a.post(QUERY)).status_code == 200
            async with count_sql() as stats:
                response = await b.post(QUERY)
            assert stats.count == 0
            _assert_rate_limited(response, most=20)
            # Another identity on the same Redis has its own budget.
            c = second.with_headers(bearer(shared, Role.ADMIN, subject=other))
            assert (await c.post(QUERY)).status_code == 200
        assert 0 < await store.pttl(keys[0]) <= 60_000  # forgotten once the budget is full
    finally:
        await store.delete(*keys)
        await store.aclose()


async def test_an_unreachable_redis_lets_requests_through_and_warns_when_open(settings, caplog):
    caplog.set_level(logging.WARNING, logger="opsgraph.rate_limit")
    unreachable = _budget(settings, per_minute=COST, redis_url="redis://127.0.0.1:1/0")
    # OPSGRAPH_RATE_LIMIT_ON_REDIS_DOWN=open (the default, local, is in test_redis_pools.py)
    unreachable = replace(unreachable, redis=replace(unreachable.redis, rate_limit_on_down="open"))
    async with GraphQLClient.for_settings(unreachable) as client:
        for _ in range(3):  # three times the budget
            response = await client.post(QUERY)
            assert response.status_code == 200
            assert "errors" not in response.json()
    warnings = [r for r in caplog.records if r.name == "opsgraph.rate_limit"]
    assert len(warnings) == 1  # once, then Redis is left alone for a few seconds
    assert "Redis is unreachable" in warnings[0].getMessage()


async def test_a_whole_budget_is_accepted_at_once_whatever_the_clock_reads():
    """A full budget costs exactly a minute. Computed as cost x (60 / budget), it came out
    a hair over, and a first request on a machine whose clock read a few seconds was
    refused with retryAfter 1."""
    for start in (0.5, 3.7, 250.25, 1_000.0, 86_400.125):
        for budget in (60, 6_000, 60_000, 999_983):
            limiter = MemoryRateLimiter(clock=partial(float, start))
            assert (await limiter.charge("user:a", budget, per_minute=budget)).allowed, (
                start,
                budget,
            )
