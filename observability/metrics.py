"""Prometheus metrics: the series every process records, and `/metrics`, which exposes them.

Recording is always on and costs a dictionary lookup and an addition per event; exposing is
off unless OPSGRAPH_METRICS=1 (then only to a scrape bearing OPSGRAPH_METRICS_TOKEN when it
is set). With several worker processes (`--workers N`) prometheus-client's multiprocess mode
is used: each process writes its values to files in PROMETHEUS_MULTIPROC_DIR (serving.py
creates one when it is unset) and a scrape, answered by any worker, reads every process's.

Labels never carry IDs, tokens or query text: an operation is labelled by its name, which
the client chooses, so a name that does not look like one (`[A-Za-z_][A-Za-z0-9_]{0,63}`)
is `invalid`, and past MAX_OPERATION_NAMES distinct names a process labels new ones `other`
(a client inventing names cannot grow the series without bound).
"""

from __future__ import annotations

import hmac
import os
import re
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import Response

MULTIPROC_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
NAMESPACE = "opsgraph"

# -- operations -----------------------------------------------------------------------------

OPERATIONS = Counter(
    "operations",
    "GraphQL operations served, by operation name, type and transport (http, websocket).",
    ["operation", "type", "transport"],
    namespace=NAMESPACE,
)
OPERATION_SECONDS = Histogram(
    "operation_duration_seconds",
    "Time to answer a query or mutation (a subscription: from subscribe to its end).",
    ["operation", "type", "transport"],
    namespace=NAMESPACE,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
ERRORS = Counter(
    "errors",
    "Errors answered, by code (INTERNAL_SERVER_ERROR is ours; the rest the client's).",
    ["code"],
    namespace=NAMESPACE,
)
SQL_STATEMENTS = Histogram(
    "sql_statements_per_operation",
    "SQL statements one query or mutation ran.",
    ["type"],
    namespace=NAMESPACE,
    buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233),
)
RATE_LIMITED = Counter(
    "rate_limit_refusals", "Operations refused as RATE_LIMITED.", namespace=NAMESPACE
)
PERSISTED_QUERIES = Counter(
    "persisted_queries",
    "Persisted-query lookups: hit, miss (the client must send the text) or registered.",
    ["result"],
    namespace=NAMESPACE,
)

# -- database -------------------------------------------------------------------------------

DB_POOL = Gauge(
    "db_pool_connections",
    "Database connections of this process's pool: in_use (checked out), waiting (tasks "
    "waiting for one).",
    ["state"],
    namespace=NAMESPACE,
    multiprocess_mode="livesum",
)

# -- realtime -------------------------------------------------------------------------------

WEBSOCKETS = Gauge(
    "websockets", "Open WebSocket connections.", namespace=NAMESPACE, multiprocess_mode="livesum"
)
SUBSCRIPTIONS = Gauge(
    "subscriptions",
    "Active subscriptions, by subscription field.",
    ["field"],
    namespace=NAMESPACE,
    multiprocess_mode="livesum",
)
CHANGE_LOG_LAG = Gauge(
    "change_log_lag",
    "Change-log cursors this process knows committed and has not yet handed to its "
    "subscribers (per process).",
    namespace=NAMESPACE,
    multiprocess_mode="all",
)
EVENTS_DELIVERED = Counter(
    "events_delivered",
    "Change events handed to subscribers (one per subscriber per event).",
    namespace=NAMESPACE,
)
SUBSCRIBERS_TOO_SLOW = Counter(
    "subscribers_closed_too_slow",
    "Subscribers closed with SUBSCRIBER_TOO_SLOW.",
    namespace=NAMESPACE,
)
WEBSOCKETS_CLOSED_FOR_RESTART = Counter(
    "websockets_closed_for_restart",
    "WebSockets closed with 1012 (service restart) on shutdown.",
    namespace=NAMESPACE,
)

# -- Redis ----------------------------------------------------------------------------------

REDIS_RECONNECTS = Counter(
    "redis_reconnects", "Reconnections of the Redis pub/sub reader.", namespace=NAMESPACE
)
REDIS_POOL_EXHAUSTED = Counter(
    "redis_pool_exhausted",
    "Times a Redis call found its pool's every connection in use and waited for one, by pool.",
    ["pool"],
    namespace=NAMESPACE,
)
REDIS_UNAVAILABLE = Counter(
    "redis_unavailable",
    "Redis calls that failed (the feature then degrades as documented), by pool.",
    ["pool"],
    namespace=NAMESPACE,
)

# -- labels ---------------------------------------------------------------------------------

MAX_OPERATION_NAMES = 500
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_seen_names: set[str] = set()


def operation_label(name: str | None) -> str:
    """A bounded label for a client-chosen operation name."""
    if not name:
        return "anonymous"
    if not _NAME.fullmatch(name):
        return "invalid"
    if name not in _seen_names:
        if len(_seen_names) >= MAX_OPERATION_NAMES:
            return "other"
        _seen_names.add(name)
    return name


# -- exposing -------------------------------------------------------------------------------


def prepare_multiprocess_dir() -> Path:
    """Before starting worker processes: the folder they write their values to
    (PROMETHEUS_MULTIPROC_DIR, or a new temporary one set in the environment they inherit),
    emptied of a previous run's files, which would otherwise still be counted."""
    given = os.environ.get(MULTIPROC_DIR_VARIABLE)
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="opsgraph-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_DIR_VARIABLE] = str(folder)
    return folder


def multiprocess_mode() -> bool:
    return bool(os.environ.get(MULTIPROC_DIR_VARIABLE))


def exposition() -> bytes:
    """Every series in the Prometheus text format: this process's, or with multiprocess
    mode every live and past process's of this server."""
    if multiprocess_mode():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def metrics_route(token: str | None) -> Callable[[Request], Awaitable[Response]]:
    """The `/metrics` endpoint; with `token`, a scrape must send `Authorization: Bearer
    <token>` (others get 401, compared in constant time)."""
    expected = f"Bearer {token}".encode() if token else None

    async def metrics(request: Request) -> Response:
        if expected is not None:
            given = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                return Response(
                    "metrics need the bearer token\n",
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
        return Response(exposition(), media_type=CONTENT_TYPE_LATEST)

    return metrics
