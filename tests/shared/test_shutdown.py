"""Stopping the server (issue 23, defect 6): after SIGTERM the process exits within its
grace period, whatever its clients are still doing."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

from auth.permissions import Role
from settings import Settings
from tests.support.graphql import bearer
from tests.support.live import ServedApp, process_environment, subscribe

GRACE_SECONDS = 2
# Past the grace period: cancelling what still runs, the app's own shutdown (change hub,
# pools) and the interpreter's exit.
MARGIN_SECONDS = 4
SUBSCRIPTION = "subscription { jobChanged { cursor } }"


async def test_sigterm_exits_within_the_grace_period_whatever_is_running(
    settings: Settings, tmp_path: Path
) -> None:
    environ = {
        **process_environment(settings, tmp_path),
        "OPSGRAPH_SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
        "OPSGRAPH_GRAPHIQL": "0",  # nothing to install on a first run
    }
    app = ServedApp(environ, tmp_path / "app.log")
    authorization = bearer(settings, Role.ADMIN)["Authorization"]
    try:
        await app.start()
        await app.ready()
        async with contextlib.AsyncExitStack() as stack:
            for _ in range(3):
                await stack.enter_async_context(subscribe(app.url, authorization, SUBSCRIPTION))
            # A client trickling a request body: without a bound, the server waits for it.
            _, trickle = await asyncio.open_connection("127.0.0.1", app.port)
            stack.callback(trickle.close)
            trickle.write(
                b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                b'Content-Length: 1000\r\n\r\n{"query": '
            )
            await trickle.drain()
            await asyncio.sleep(0.5)  # the request is in the app, reading its body
            stopping = time.monotonic()
            await app.terminate()
            limit = GRACE_SECONDS + MARGIN_SECONDS
            exited = await app.exited(limit)
            took = time.monotonic() - stopping
            assert exited, f"still running {limit} s after SIGTERM:\n{app.log()[-3000:]}"
            assert took >= GRACE_SECONDS * 0.9, f"exited after {took:.1f} s: not the trickle"
    finally:
        with contextlib.suppress(Exception):  # the subscriptions' sockets are gone already
            await app.stop()
