"""Hostile or slow clients against the real command line (`app.py`, uvicorn, raw sockets).

A client that trickles its request body holds a connection for as long as it likes unless
the body has a deadline (OPSGRAPH_BODY_READ_TIMEOUT_SECONDS: 408 once it passes), and a
process takes connections until memory or file descriptors run out unless they are capped
(OPSGRAPH_MAX_CONNECTIONS: 503 beyond it). Meanwhile everyone else is served.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from auth.permissions import Role
from settings import Settings
from tests.support.graphql import bearer
from tests.support.live import ServedApp, process_environment

VIEWER = {"query": "{ viewer { role } }"}
# Headers for a 1,000-byte body, and its first byte.
TRICKLED_REQUEST = (
    b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1000\r\n\r\n{"
)


@contextlib.asynccontextmanager
async def served(
    settings: Settings, tmp_path: Path, **environment: str
) -> AsyncIterator[ServedApp]:
    environ = {**process_environment(settings, tmp_path), "OPSGRAPH_GRAPHIQL": "0", **environment}
    process = ServedApp(environ, tmp_path / "app.log")
    try:
        await process.start()
        await process.ready()
        yield process
    finally:
        await process.stop()
    # A slow client is the client's problem: nothing at ERROR, no traceback.
    log = process.log()
    assert not re.search(r"^ERROR|Traceback", log, re.MULTILINE), log[-3000:]


async def trickle(port: int, held: asyncio.Event | None = None, every: float = 0.2) -> bytes:
    """Send the body a byte at a time until the server answers (the answer) or closes the
    connection (b""). `held` is set once the server has let it trickle a while."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(TRICKLED_REQUEST)
        while True:
            try:
                answer = await asyncio.wait_for(reader.read(4096), every)
            except TimeoutError:
                if held is not None:
                    held.set()
            else:
                return answer + await rest_of(reader)
            try:
                writer.write(b" ")
                await writer.drain()
            except ConnectionError:
                return b""
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def rest_of(reader: asyncio.StreamReader) -> bytes:
    """What else arrives within a second (the body after the head)."""
    rest = b""
    with contextlib.suppress(TimeoutError, ConnectionError):
        async with asyncio.timeout(1):
            while chunk := await reader.read(4096):
                rest += chunk
    return rest


async def held_trickler(port: int) -> asyncio.Task[bytes]:
    """A trickler, returned once it is held (or already answered)."""
    held = asyncio.Event()
    task = asyncio.create_task(trickle(port, held))
    waiting = asyncio.create_task(held.wait())
    await asyncio.wait([task, waiting], return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    return task


def status_of(answer: bytes) -> int:
    """The answer's HTTP status; 0 when the connection was closed without one."""
    match = re.match(rb"HTTP/1\.1 (\d{3})", answer)
    return int(match.group(1)) if match else 0


async def viewer_status(process: ServedApp, settings: Settings) -> int:
    headers = bearer(settings, Role.ADMIN)
    async with httpx.AsyncClient(base_url=process.url, headers=headers, timeout=5.0) as http:
        response = await http.post("/graphql", json=VIEWER)
    if response.status_code == 200:
        assert response.json()["data"] == {"viewer": {"role": "ADMIN"}}
    return response.status_code


async def test_a_trickled_body_is_cut_off_at_its_deadline_while_others_are_served(
    settings, tmp_path
):
    deadline = 3.0
    async with served(
        settings, tmp_path, OPSGRAPH_BODY_READ_TIMEOUT_SECONDS=str(deadline)
    ) as process:
        started = time.monotonic()
        tricklers = [asyncio.create_task(trickle(process.port)) for _ in range(20)]
        await asyncio.sleep(0.3)
        assert await viewer_status(process, settings) == 200
        assert time.monotonic() - started < deadline  # served while all 20 were held
        answers = await asyncio.wait_for(asyncio.gather(*tricklers), deadline + 10)
        elapsed = time.monotonic() - started
        assert [status_of(a) for a in answers] == [408] * 20
        assert b'"code":"BAD_REQUEST"' in answers[0]
        assert deadline <= elapsed < deadline + 5
        assert await viewer_status(process, settings) == 200


async def test_connections_beyond_the_cap_are_refused_until_slow_ones_are_cut_off(
    settings, tmp_path
):
    cap, deadline = 8, 4.0
    async with served(
        settings,
        tmp_path,
        OPSGRAPH_BODY_READ_TIMEOUT_SECONDS=str(deadline),
        OPSGRAPH_MAX_CONNECTIONS=str(cap),
    ) as process:
        # One at a time: uvicorn counts connections when a request's headers are in, so
        # connections opened at once could all find the cap reached.
        tricklers = [await held_trickler(process.port) for _ in range(cap)]
        assert await viewer_status(process, settings) == 503
        answers = await asyncio.wait_for(asyncio.gather(*tricklers), deadline + 10)
        statuses = [status_of(a) for a in answers]
        # The cap counts the connection being answered: cap - 1 are held (and cut off at
        # the deadline), the last is refused.
        assert sorted(statuses) == [408] * (cap - 1) + [503], statuses
        assert await viewer_status(process, settings) == 200
