"""Serving the app: one process, or several worker processes (`uv run app.py --workers N`).

Python runs one request's code at a time per process, so a process uses at most one core;
several processes use several. With `--workers N` uvicorn starts N processes that each build
their own app from the environment (`app:create_app`, a factory: nothing is shared but the
listening socket): each has its own database pool, rate-limit client and change hub.
Subscriptions and rate limits then need `REDIS_URL` to span processes, as with several
hosts; uvicorn restarts a worker that dies.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette

from observability.logs import logging_config
from observability.metrics import prepare_multiprocess_dir

log = logging.getLogger("opsgraph")

APP_FACTORY = "app:create_app"

_frozen = False


def tune_garbage_collector() -> None:
    """Tune the garbage collector for request-sized bursts of allocation, and move everything
    alive once the app has started (schema, engine, settings: objects that
    live as long as the process) out of the garbage collector's sight. A large query
    allocates enough to trigger full collections, which would otherwise walk all of them
    every time (~15% of the ops board's CPU). Once per process: later apps in the same
    process (tests) gain nothing from it."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    gc.collect()
    gc.freeze()
    # A dashboard query allocates hundreds of thousands of short-lived objects. Each young
    # collection walks every live object of every request in flight (16 ops boards hold
    # ~100k), so its cost is set by how often it runs: per ops board at 16 concurrent, 4.3 ms
    # of GC at a threshold of 50,000, 1.6 ms at 200,000 (700, the default, collected
    # hundreds of times per request). Cycles are still collected, in bigger batches; requests
    # leave few (resolvers.loaders.Loaders.close).
    gc.set_threshold(200_000, 20, 20)


def serve(
    build: Callable[[], Starlette],
    *,
    host: str,
    port: int,
    workers: int,
    max_connections: int,
    shutdown_grace_seconds: int,
    log_format: str = "text",
) -> None:
    """Serve the app `build` returns in this process, or APP_FACTORY in `workers`
    processes (each reads its settings from the environment, as the parent did).

    On SIGTERM, requests and WebSockets still running get `shutdown_grace_seconds` to
    finish and are then cancelled: without a bound, one client trickling a request body
    kept the process "Waiting for background tasks to complete" indefinitely."""
    import uvicorn

    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        # No per-message compression on WebSockets: subscription events are small JSON, and
        # compressing each one for each subscriber cost more CPU than sending it.
        "ws_per_message_deflate": False,
        # Per process: beyond it uvicorn answers 503 (and logs a warning) instead of
        # taking connections until memory or file descriptors run out.
        "limit_concurrency": max_connections,
        "timeout_graceful_shutdown": shutdown_grace_seconds,
        # The app's log format for uvicorn's lines too, in every worker process.
        "log_config": logging_config(log_format),
        # Our access line is per GraphQL operation (schema/observation.py); uvicorn's
        # per HTTP request only in the readable form.
        "access_log": log_format == "text",
        # A worker answers the supervisor's health check once it has imported the app:
        # 12 s on 2 busy cores, where uvicorn's default of 5 s killed every worker in turn.
        "timeout_worker_healthcheck": 60,
    }
    if workers <= 1:
        uvicorn.run(build(), **options)
        return
    # Each worker records its metrics in files a scrape of any worker reads together.
    metrics_dir = prepare_multiprocess_dir()
    log.info("starting %d worker processes (metrics in %s)", workers, metrics_dir)
    uvicorn.run(APP_FACTORY, factory=True, workers=workers, **options)
