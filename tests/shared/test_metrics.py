"""Metrics (issue 30, item 1): `/metrics` in the Prometheus text format, parsed with the
Prometheus client's own parser, counts what the app served; with `--workers 2` a scrape
answered by either worker counts the requests both served."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from auth.permissions import Role
from settings import MetricsSettings
from tests.support.graphql import bearer
from tests.support.live import ServedApp, process_environment
from tests.support.metrics import scrape, summed, value
from tests.support.realtime import PRIORITY, draft_order, following_order, live, token

METRICS_TOKEN = "metrics-" + "t" * 24
WHO = "query WhoAmI { viewer { role } }"
FORBIDDEN = "query Keys { apiKeys { totalCount } }"


@pytest.fixture
def metrics_settings(live_settings):
    return replace(live_settings, metrics=MetricsSettings(enabled=True, token=METRICS_TOKEN))


def _apq(text: str) -> dict[str, object]:
    return {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(text.encode()).hexdigest()}
    }


async def test_a_scrape_counts_operations_errors_sql_and_subscriptions(metrics_settings):
    async with live(metrics_settings) as (server, admin):
        http = admin.http
        before = await scrape(http, METRICS_TOKEN)
        for _ in range(3):
            assert (await admin.post(WHO)).status_code == 200
        sales = admin.as_role(Role.SALES)
        async with sales:
            await sales.post(FORBIDDEN)
        # An APQ registration, then a hit and a miss.
        apq = "query Cached { viewer { role } }"
        await http.post("/graphql", json={"query": apq, "extensions": _apq(apq)})
        await http.post("/graphql", json={"extensions": _apq(apq)})
        await http.post("/graphql", json={"extensions": _apq("query Never { viewer { role } }")})
        order = await draft_order(admin)
        async with following_order(server, token(metrics_settings), order["id"]) as stream:
            await admin.mutate(PRIORITY, {"input": {"id": order["id"], "priority": "RUSH"}})
            await stream.data()
            during = await scrape(http, METRICS_TOKEN)
            checked_out = server.app.state.database.engine.pool.checkedout()
        # The server ends the subscription on its own turn after the client leaves: give it
        # up to 5 s to come off the gauge (one that never ends still fails below).
        for _ in range(100):
            after = await scrape(http, METRICS_TOKEN)
            subscribed = value(after, "opsgraph_subscriptions", field="orderChanged")
            if subscribed == value(before, "opsgraph_subscriptions", field="orderChanged"):
                break
            await asyncio.sleep(0.05)

    def grew(name: str, **labels: object) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    who = {"operation": "WhoAmI", "type": "query", "transport": "http"}
    assert grew("opsgraph_operations_total", **who) == 3
    assert grew("opsgraph_operation_duration_seconds_count", **who) == 3
    assert grew("opsgraph_operation_duration_seconds_sum", **who) > 0
    assert grew("opsgraph_errors_total", code="FORBIDDEN") == 1
    assert grew("opsgraph_persisted_queries_total", result="registered") == 1
    assert grew("opsgraph_persisted_queries_total", result="hit") == 1
    assert grew("opsgraph_persisted_queries_total", result="miss") == 1
    # The draft order's mutations wrote; every query and mutation observed its SQL count.
    assert grew("opsgraph_sql_statements_per_operation_count", type="mutation") >= 3
    assert grew("opsgraph_sql_statements_per_operation_sum", type="mutation") > 0
    # While subscribed: one WebSocket, one orderChanged subscription; none once it ended.
    assert (
        value(during, "opsgraph_subscriptions", field="orderChanged")
        - value(before, "opsgraph_subscriptions", field="orderChanged")
        == 1
    )
    assert value(during, "opsgraph_websockets") - value(before, "opsgraph_websockets") == 1
    assert value(after, "opsgraph_subscriptions", field="orderChanged") == value(
        before, "opsgraph_subscriptions", field="orderChanged"
    )
    assert grew("opsgraph_events_delivered_total") >= 1
    assert (
        grew(
            "opsgraph_operations_total",
            operation="anonymous",
            type="subscription",
            transport="websocket",
        )
        == 1
    )
    # Every series this process exposes, by name (values above); labels carry no IDs.
    names = {name for name, _ in after}
    assert {
        "opsgraph_rate_limit_refusals_total",
        "opsgraph_change_log_lag",
        "opsgraph_subscribers_closed_too_slow_total",
        "opsgraph_redis_reconnects_total",
    } <= names
    assert not any(order["id"] in str(labels) for _, labels in after)
    if metrics_settings.database_url.startswith("postgresql"):
        # The pool's gauges (PostgreSQL's pool; SQLite's is not ours to size).
        in_use = ("opsgraph_db_pool_connections", frozenset({("state", "in_use")}))
        waiting = ("opsgraph_db_pool_connections", frozenset({("state", "waiting")}))
        assert in_use in during and waiting in during
        assert (during[in_use], during[waiting]) == (checked_out, 0)


async def test_metrics_need_their_token_and_are_off_by_default(metrics_settings, live_settings):
    async with live(metrics_settings) as (_, admin):
        anonymous = await admin.http.get("/metrics", headers={"Authorization": ""})
        wrong = await admin.http.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert (anonymous.status_code, wrong.status_code) == (401, 401)
    async with live(live_settings) as (_, admin):
        assert (await admin.http.get("/metrics")).status_code == 404


async def test_a_rate_limit_refusal_is_counted(metrics_settings):
    stingy = replace(metrics_settings, limits=replace(metrics_settings.limits, rate_per_minute=1))
    async with live(stingy) as (_, admin):
        before = await scrape(admin.http, METRICS_TOKEN)
        await admin.post(WHO)
        assert (await admin.post(WHO)).status_code == 429
        after = await scrape(admin.http, METRICS_TOKEN)
    assert (
        value(after, "opsgraph_rate_limit_refusals_total")
        - value(before, "opsgraph_rate_limit_refusals_total")
        == 1
    )


REQUESTS = 40
# Under load the kernel may hand a long run of connections to one worker: go on until both
# have served (or give up: then the assertion below reports it).
MAX_REQUESTS = 400


def served_by(app: ServedApp) -> Counter[int]:
    return Counter(
        line["pid"]
        for line in map(json.loads, app.log().splitlines())
        if line.get("logger") == "opsgraph.access"
    )


async def test_with_two_workers_a_scrape_counts_what_both_served(settings, tmp_path: Path):
    environ = {
        **process_environment(settings, tmp_path),
        "OPSGRAPH_GRAPHIQL": "0",
        "OPSGRAPH_LOG_FORMAT": "json",
        "OPSGRAPH_METRICS": "1",
        "OPSGRAPH_METRICS_TOKEN": METRICS_TOKEN,
    }
    app = ServedApp(environ, tmp_path / "app.log", extra_args=("--workers", "2"))
    sent = 0
    async with app:
        while sent < REQUESTS or (len(served_by(app)) < 2 and sent < MAX_REQUESTS):
            # A connection each: the kernel spreads them over the workers' shared socket.
            async with httpx.AsyncClient(
                base_url=app.url, headers=bearer(settings, Role.ADMIN)
            ) as http:
                assert (await http.post("/graphql", json={"query": WHO})).status_code == 200
            sent += 1
        scrapes = []
        for _ in range(4):
            async with httpx.AsyncClient(base_url=app.url) as http:
                scrapes.append(await scrape(http, METRICS_TOKEN))
    workers = served_by(app)
    assert len(workers) == 2, f"one worker served everything: {workers}"
    for samples in scrapes:
        assert summed(samples, "opsgraph_operations_total", operation="WhoAmI") == sent
