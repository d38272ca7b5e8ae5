"""Graceful shutdown: what a process does between SIGTERM and exit, so that a rolling restart
loses no subscriber and fails no request.

On SIGTERM (before uvicorn's own handling, which it then calls):
1. `/readyz` answers 503 `draining`, so a load balancer stops sending new work here;
2. WebSockets opened from now on are closed at once with 1012;
3. each subscription is given up to DRAIN_FLUSH_SECONDS to send the events already queued
   for it (nothing new is taken from the hub after that);
4. every WebSocket is closed with 1012 ("service restart"): graphql-ws clients reconnect,
   to another process, and resume each subscription with its last `cursor` as `after`,
   which replays what they missed from the change log, each event once;
5. uvicorn stops accepting connections and lets requests in flight finish, for at most
   OPSGRAPH_SHUTDOWN_GRACE_SECONDS (serving.py), then the app shuts down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from health import Readiness
from observability import metrics
from subscriptions.hub import ChangeHub

log = logging.getLogger("opsgraph.shutdown")

SERVICE_RESTART = 1012
DRAIN_FLUSH_SECONDS = 2.0

SignalHandler = Callable[[int, FrameType | None], Any]


class Drain:
    def __init__(self, readiness: Readiness, hub: ChangeHub) -> None:
        self._readiness = readiness
        self._hub = hub
        self._websockets: set[WebSocket] = set()
        self._previous: SignalHandler | int | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def draining(self) -> bool:
        return self._readiness.draining

    def opened(self, websocket: WebSocket) -> None:
        self._websockets.add(websocket)

    def closed(self, websocket: WebSocket) -> None:
        self._websockets.discard(websocket)

    def install(self) -> None:
        """Run before the SIGTERM handler uvicorn installed (at start-up, in the lifespan);
        not in a thread other than the main one, where signals cannot be handled."""
        previous = signal.getsignal(signal.SIGTERM)
        if not callable(previous):
            return  # not served by uvicorn's signal handling (e.g. under a test's loop)
        loop = asyncio.get_running_loop()

        def on_sigterm(signum: int, frame: FrameType | None) -> None:
            if self._task is None:
                self._task = loop.create_task(self._drain_then(previous, signum, frame))

        try:
            signal.signal(signal.SIGTERM, on_sigterm)
        except ValueError:  # not the main thread
            return
        self._previous = previous

    def uninstall(self) -> None:
        if self._previous is not None:
            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGTERM, self._previous)
            self._previous = None

    async def _drain_then(
        self, previous: SignalHandler, signum: int, frame: FrameType | None
    ) -> None:
        try:
            await self.drain()
        except Exception:  # draining is best effort; stopping must still happen
            log.exception("draining failed; stopping anyway")
        previous(signum, frame)

    async def drain(self) -> None:
        started = time.monotonic()
        self._readiness.draining = True
        log.info("SIGTERM: draining %d WebSockets (readiness now 503)", len(self._websockets))
        deadline = started + DRAIN_FLUSH_SECONDS
        # Polled: the fan-out has no event for "every queue is empty", and this runs once.
        while self._hub.queued() and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # the last events taken are being sent
        sockets = list(self._websockets)
        await asyncio.gather(*(close_for_restart(ws) for ws in sockets))
        log.info(
            "closed %d WebSockets with 1012 in %.2f s; stopping",
            len(sockets),
            time.monotonic() - started,
        )


async def close_for_restart(websocket: WebSocket) -> None:
    """Close with 1012: the client reconnects (elsewhere) and resumes by cursor."""
    if websocket.application_state is not WebSocketState.CONNECTED:
        return
    # RuntimeError / OSError: the client left at the same moment.
    with contextlib.suppress(RuntimeError, OSError):
        await websocket.close(SERVICE_RESTART, "service restart")
        metrics.WEBSOCKETS_CLOSED_FOR_RESTART.inc()
