"""Health: `/healthz` (the process lives), `/readyz` (it should be sent traffic) and the
start-up check that refuses to serve a database whose migrations are behind the code.

`/readyz` answers a JSON body naming every dependency and its state, so whoever looks at a
failing probe sees which one failed: `database`, `pubsub` (Redis when REDIS_URL is set),
`migrations` (`behind` while the database lacks a migration this code needs) and
`shutdown` (`draining` once SIGTERM arrived: the load balancer stops sending new requests
while those in flight finish; serving.py). The detail of a failure goes to the log, never
to the body.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.engine import Database
from db.migrate import MigrationState, migration_state
from subscriptions.health import PubSubProbe

log = logging.getLogger("opsgraph.health")

PROBE_TIMEOUT_SECONDS = 3.0
MIGRATE_HINT = "run `uv run app.py migrate`"


class Readiness:
    def __init__(self, database: Database, pubsub: PubSubProbe) -> None:
        self._database = database
        self._pubsub = pubsub
        # Set on SIGTERM (serving.py): ready no more, whatever the dependencies say.
        self.draining = False

    async def migrations(self) -> MigrationState:
        async with self._database.read_connection() as conn:
            return await migration_state(conn)

    async def check(self) -> tuple[bool, dict[str, Any]]:
        """(ready, the body): every dependency's state, the failed ones named."""
        checks: dict[str, str] = {}
        body: dict[str, Any] = {}
        checks["database"] = await _probe("database", self._database.ping)
        checks["pubsub"] = await _probe("pubsub", self._pubsub.ping)
        if checks["database"] == "ok":
            state: MigrationState | None = None

            async def read_state() -> None:
                nonlocal state
                state = await self.migrations()

            checks["migrations"] = await _probe("migrations", read_state)
            if state is not None and state.behind:
                checks["migrations"] = "behind"
                body["migrations"] = {"database": list(state.database), "code": list(state.code)}
        else:
            checks["migrations"] = "unknown"
        checks["shutdown"] = "draining" if self.draining else "ok"
        failed = [name for name, value in checks.items() if value != "ok"]
        ready = not failed
        status = "draining" if self.draining else ("ready" if ready else "unavailable")
        return ready, {"status": status, "checks": checks, "failed": failed, **body}

    async def readyz(self, _: Request) -> JSONResponse:
        ready, body = await self.check()
        return JSONResponse(body, status_code=200 if ready else 503)


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def _probe(name: str, probe: Callable[[], Awaitable[None]]) -> str:
    try:
        await asyncio.wait_for(probe(), timeout=PROBE_TIMEOUT_SECONDS)
    except Exception:  # any failure means "not ready"; the detail goes to the log
        log.warning("readiness check %s failed", name, exc_info=True)
        return "unavailable"
    return "ok"


class RefuseWhenBehind:
    """ASGI wrapper: at start-up (the lifespan's startup message) the database's migrations
    are compared with the code's, and a database behind fails the start-up with one line
    saying what to run; uvicorn then exits instead of serving a schema the code does not
    match. Everything else passes through untouched."""

    def __init__(self, app: ASGIApp, readiness: Readiness) -> None:
        self.app = app
        self._readiness = readiness

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        startup = await receive()
        state = await self._readiness.migrations()
        if state.behind:
            message = f"migrations are behind the code ({state.describe()}): {MIGRATE_HINT}"
            log.error(message)
            await send({"type": "lifespan.startup.failed", "message": message})
            return
        replayed = False

        async def receive_after_check() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return startup
            return await receive()

        await self.app(scope, receive_after_check, send)
