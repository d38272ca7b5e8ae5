"""`uv run app.py --workers N`: production serving in several processes.

The real command line, as an OS process: it migrates once, starts N uvicorn workers that each
build the app from the environment, and all of them answer GraphQL on the one port.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from auth.permissions import Role
from settings import AuthSettings, Settings
from tests.support.graphql import bearer
from tests.support.live import free_port
from tests.support.secrets import TEST_AUTH, TEST_ENCRYPTION_KEYS

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
STARTUP_SECONDS = 60


def _log(path: Path) -> str:
    return path.read_text()


def _pids_started(log: str) -> set[int]:
    return {int(pid) for pid in re.findall(r"Started server process \[(\d+)\]", log)}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """`app.py --workers 2` on a free port and a fresh SQLite file, stopped at the end."""
    port = free_port()
    log_path = tmp_path / "app.log"
    auth: AuthSettings = TEST_AUTH
    assert auth.jwt_secret is not None
    environ = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'workers.db'}",
        "OPSGRAPH_ENV": "development",
        "OPSGRAPH_SEED_DEMO_DATA": "0",
        "OPSGRAPH_GRAPHIQL": "0",
        "OPSGRAPH_JWT_SECRET": auth.jwt_secret,
        "OPSGRAPH_ENCRYPTION_KEYS": ",".join(TEST_ENCRYPTION_KEYS),
        "OPSGRAPH_DEV_SECRETS_FILE": str(tmp_path / "dev-secrets.json"),
    }
    environ.pop("REDIS_URL", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port), "--workers", str(WORKERS)],
            cwd=ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{port}", log_path, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def _wait_ready(url: str, log_path: Path, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=2) as http:
        for _ in range(STARTUP_SECONDS * 10):
            if process.poll() is not None:
                pytest.fail(f"app.py exited early:\n{_log(log_path)}")
            started = _log(log_path).count("Application startup complete")
            try:
                if started >= WORKERS and (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail(f"app.py --workers {WORKERS} did not start:\n{_log(log_path)}")


async def test_workers_serve_graphql_in_separate_processes(
    served: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    url, log_path, process = served
    await _wait_ready(url, log_path, process)

    workers = _pids_started(_log(log_path))
    assert len(workers) == WORKERS, _log(log_path)
    assert process.pid not in workers  # the parent supervises; the workers serve
    assert all(_alive(pid) for pid in workers)

    settings = Settings(auth=TEST_AUTH)
    headers = bearer(settings, Role.OPS)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10) as http:
        responses = await asyncio.gather(
            *(
                http.post("/graphql", json={"query": "{ viewer { role } }"})
                for _ in range(4 * WORKERS)
            )
        )
    for response in responses:
        assert response.status_code == 200
        assert response.json() == {
            "data": {"viewer": {"role": "OPS"}},
            "extensions": {"cost": {"requested": 1, "maximum": 10000}},
        }

    # Stopping the parent stops every worker: none is left serving the port.
    process.send_signal(signal.SIGINT)
    process.wait(timeout=20)
    for _ in range(50):
        if not any(_alive(pid) for pid in workers):
            break
        await asyncio.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
