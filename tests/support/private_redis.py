"""A redis-server of one test (or benchmark) alone, which it may stop, kill and restart.

Never the shared server on 6379: tests that take Redis away, and benchmarks whose pub/sub
must not mix with other runs (Redis channels ignore database numbers), start their own.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as redis

from tests.support.live import free_port


class PrivateRedis:
    """No persistence, on a fixed free port so a restart comes back at the same URL."""

    def __init__(self, executable: str = "redis-server", port: int | None = None) -> None:
        self.executable = executable
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start it and wait until it answers PING."""
        self._process = await asyncio.create_subprocess_exec(
            self.executable,
            *("--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no"),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        try:
            async with asyncio.timeout(10):
                while True:
                    with contextlib.suppress(redis.ConnectionError, OSError):
                        if await client.ping():
                            return
                    await asyncio.sleep(0.05)
        finally:
            await client.aclose()

    async def stop(self) -> None:
        """Shut it down the polite way (SIGTERM)."""
        await self._end(kill=False)

    async def kill(self) -> None:
        """Take it away without warning (SIGKILL), as a crash would."""
        await self._end(kill=True)

    async def _end(self, *, kill: bool) -> None:
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            if kill:
                process.kill()
            else:
                process.terminate()
            await process.wait()


@asynccontextmanager
async def running_private_redis(executable: str) -> AsyncIterator[PrivateRedis]:
    server = PrivateRedis(executable)
    try:
        await server.start()
        yield server
    finally:
        await server.stop()
