"""The real app on a local port, and a small graphql-transport-ws / graphql-ws client.

Subscriptions need the whole stack (lifespan starts the change hub; uvicorn speaks
WebSocket), so these tests serve the app with uvicorn inside the test's event loop, or in OS
processes of its own (`serve_in_processes`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any, Self

import httpx
import uvicorn
import websockets

from app import create_app
from auth.permissions import Role
from settings import Settings
from tests.support.graphql import GraphQLClient, bearer

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    def __init__(self, url: str, app: Any) -> None:
        self.url = url
        self.app = app

    async def subscribed(self, channel: str, count: int = 1, wait: float = 5.0) -> None:
        """Wait until `count` subscriptions follow `channel` (so a change made now reaches
        them: a subscription without `after` starts at the moment it joins)."""
        fanout = self.app.state.hub._local
        async with asyncio.timeout(wait):
            # Polls the hub's state: it has no event to await for a joining subscriber.
            while len(fanout._channels.get(channel, _NoChannel).receivers) < count:  # noqa: ASYNC110
                await asyncio.sleep(0.01)


class _NoChannel:
    receivers: frozenset[Any] = frozenset()


@asynccontextmanager
async def serve(settings: Settings, port: int | None = None) -> AsyncIterator[Server]:
    """Serve the app on a local port until the block ends."""
    port = port or free_port()
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        await task


class Subscription:
    """One subscription on its own WebSocket."""

    def __init__(self, ws: Any, protocol: str) -> None:
        self.ws = ws
        self.protocol = protocol

    async def next(self, wait: float = 5.0) -> dict[str, Any]:
        """The next message for the operation: {"data": ...} or {"errors": [...]}, or
        {"complete": True} when the server completed it."""
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), wait))
            kind = message["type"]
            if kind in ("next", "data"):
                payload: dict[str, Any] = message["payload"]
                return payload
            if kind == "error":
                errors = message["payload"]
                return {"errors": errors if isinstance(errors, list) else [errors]}
            if kind == "complete":
                return {"complete": True}
            if kind in ("ka", "ping", "pong"):
                if kind == "ping":
                    await self.ws.send(json.dumps({"type": "pong"}))
                continue
            raise AssertionError(f"unexpected message {message}")

    async def data(self, wait: float = 5.0) -> dict[str, Any]:
        payload = await self.next(wait)
        assert "errors" not in payload and "complete" not in payload, payload
        data: dict[str, Any] = payload["data"]
        return data

    async def nothing_within(self, seconds: float) -> None:
        try:
            message = await asyncio.wait_for(self.ws.recv(), seconds)
        except TimeoutError:
            return
        raise AssertionError(f"expected no message, got {message}")

    async def complete(self) -> None:
        kind = "complete" if self.protocol == TRANSPORT_WS else "stop"
        await self.ws.send(json.dumps({"type": kind, "id": "1"}))


@asynccontextmanager
async def subscribe(
    base_url: str,
    authorization: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    protocol: str = TRANSPORT_WS,
    origin: str | None = None,
) -> AsyncIterator[Subscription]:
    url = base_url.replace("http://", "ws://") + "/graphql"
    headers = {"Origin": origin} if origin else None
    async with websockets.connect(
        url,
        subprotocols=[websockets.Subprotocol(protocol)],
        additional_headers=headers,
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": authorization}})
        )
        ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert ack["type"] == "connection_ack", ack
        start = "subscribe" if protocol == TRANSPORT_WS else "start"
        payload = {"query": query, "variables": variables or {}}
        await ws.send(json.dumps({"type": start, "id": "1", "payload": payload}))
        yield Subscription(ws, protocol)


# -- the app in OS processes of its own ---------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# Root logger at INFO: the app's own INFO lines (e.g. the pub/sub reconnection) show, which
# uvicorn's default logging config leaves out.
_PROCESS_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
}


def process_environment(settings: Settings, work_dir: Path) -> dict[str, str]:
    """The environment that makes `Settings.from_env` in a child process read back
    `settings`' database, Redis, secrets and change-log poll interval (no demo data)."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("OPSGRAPH_") and name not in ("DATABASE_URL", "REDIS_URL")
    }
    environ = {
        **inherited,
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": settings.database_url,
        "OPSGRAPH_JWT_SECRET": settings.auth.jwt_secret or "",
        "OPSGRAPH_ENCRYPTION_KEYS": ",".join(settings.encryption_keys),
        "OPSGRAPH_FILES_SIGNING_KEY": settings.files.signing_key,
        "OPSGRAPH_FILES_DIR": str(settings.files.directory),
        "OPSGRAPH_SEED_DEMO_DATA": "0",
        "OPSGRAPH_DEV_SECRETS_FILE": str(work_dir / "dev-secrets.json"),
        "OPSGRAPH_CHANGE_POLL_SECONDS": str(settings.realtime.poll_seconds),
    }
    if settings.redis_url:
        environ["REDIS_URL"] = settings.redis_url
    return environ


class AppProcess:
    """`uvicorn app:create_app --factory` in a child process (settings from its
    environment), its stdout and stderr in `log_path`."""

    def __init__(
        self, environ: dict[str, str], log_path: Path, extra_args: Sequence[str] = ()
    ) -> None:
        self.environ = environ
        self.log_path = log_path
        self.extra_args = tuple(extra_args)  # more uvicorn options
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: asyncio.subprocess.Process | None = None

    def command(self) -> list[str]:
        config = self.log_path.with_suffix(".logging.json")
        config.write_text(json.dumps(_PROCESS_LOGGING), encoding="utf-8")
        return [
            sys.executable,
            *("-m", "uvicorn", "app:create_app", "--factory"),
            *("--host", "127.0.0.1", "--port", str(self.port)),
            *("--log-level", "info", "--no-access-log", "--log-config", str(config)),
            *self.extra_args,
        ]

    async def start(self) -> None:
        command = self.command()
        log = _open_for_append(self.log_path)
        try:
            self._process = await asyncio.create_subprocess_exec(
                *command,
                cwd=ROOT,
                env=self.environ,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        finally:
            log.close()  # the child has its own copy

    async def ready(self, wait: float = 60.0) -> None:
        """Until GET /readyz answers 200 (database and pub/sub reachable, lifespan done)."""
        async with httpx.AsyncClient(base_url=self.url, timeout=5.0) as http, asyncio.timeout(wait):
            while True:
                if self._process is None or self._process.returncode is not None:
                    raise AssertionError(f"the app process exited:\n{self.log()[-3000:]}")
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/readyz")).status_code == 200:
                        return
                await asyncio.sleep(0.1)

    @property
    def pid(self) -> int:
        assert self._process is not None, "not started"
        return self._process.pid

    def log(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def __aenter__(self) -> Self:
        """Started and ready; stopped (killed if need be) when the block ends, however it ends."""
        try:
            await self.start()
            await self.ready()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


class ServedApp(AppProcess):
    """`app.py --port P`, the command line that serves in production (it migrates first,
    and passes serving options such as the connection cap and the shutdown grace period to
    uvicorn: serving.py), rather than uvicorn's own command line."""

    def command(self) -> list[str]:
        return [
            sys.executable,
            *("app.py", "--host", "127.0.0.1", "--port", str(self.port)),
            *self.extra_args,
        ]

    async def terminate(self) -> None:
        """SIGTERM, as an orchestrator stops it."""
        assert self._process is not None, "not started"
        self._process.terminate()

    async def exited(self, wait: float) -> bool:
        """Whether it exits within `wait` seconds."""
        assert self._process is not None, "not started"
        try:
            await asyncio.wait_for(self._process.wait(), wait)
        except TimeoutError:
            return False
        return True


def _open_for_append(path: Path) -> IO[bytes]:
    return path.open("ab")


@asynccontextmanager
async def serve_in_processes(
    environ: dict[str, str], log_paths: Sequence[Path]
) -> AsyncIterator[list[AppProcess]]:
    """One app process per log path, all ready, each on its own port; stopped (killed if
    need be) when the block ends, however it ends."""
    processes = [AppProcess(environ, path) for path in log_paths]
    try:
        for process in processes:
            await process.start()
        await asyncio.gather(*(process.ready() for process in processes))
        yield processes
    finally:
        await asyncio.gather(*(process.stop() for process in processes))


class HttpGraphQLClient(GraphQLClient):
    """GraphQLClient's `client(query)` and `mutate` over real HTTP, to an app in another
    process. Only those: there is no app object here (`as_role` and friends need one)."""

    def __init__(self, base_url: str, settings: Settings, role: Role = Role.ADMIN) -> None:
        # Not GraphQLClient.__init__: that one wraps an app in this process.
        self.role = role
        self.settings = settings
        self.headers = bearer(settings, role)
        self._owns_app = False
        self.trusted_documents = False
        self.http = httpx.AsyncClient(base_url=base_url, headers=self.headers, timeout=30.0)
