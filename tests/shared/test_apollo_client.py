"""Apollo Client (npm @apollo/client, its persisted-queries link, under node) against the real
app served by uvicorn: the first request sends only the hash and misses, the link retries
with the text, which registers it, and later requests send only the hash.

Needs node and npm; `npm ci` installs tests/clients/apollo/node_modules (git-ignored) on
first use. Without node or npm the test skips, unless OPSGRAPH_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from app import create_app
from auth.permissions import Role
from auth.tokens import issue
from settings import Settings
from tests.support import node_packages
from tests.support.live import free_port

CLIENT_DIR = node_packages.CLIENTS / "apollo"


@pytest.fixture(scope="module")
def node() -> str:
    return node_packages.installed(CLIENT_DIR, "Apollo Client under node")


@pytest.fixture
def served(settings: Settings) -> Iterator[str]:
    """The app on a free localhost port, in a thread, for as long as the test runs."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def _run_apollo(
    node: str, url: str, settings: Settings, method: str
) -> dict[str, list[dict[str, Any]]]:
    token = issue(settings.auth, role=Role.ADMIN, subject="apollo-client")
    finished = subprocess.run(
        [node, "apq.mjs", url, token, method],
        cwd=CLIENT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    result: dict[str, list[dict[str, Any]]] = json.loads(finished.stdout)
    return result


VIEWER = {"__typename": "Viewer", "authenticated": True, "role": "ADMIN"}


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_apollo_client_registers_once_then_sends_only_the_hash(node, served, settings, method):
    """By POST or by GET (useGETForHashedQueries): the hash alone misses, the retry with the
    text registers it (always a POST), and later requests send only the hash."""
    run = _run_apollo(node, served, settings, method.lower())
    assert run["requests"] == [
        {"method": method, "sentQuery": False, "sentHash": True, "status": 200},  # miss
        {"method": "POST", "sentQuery": True, "sentHash": True, "status": 200},  # registers
        {"method": method, "sentQuery": False, "sentHash": True, "status": 200},
        {"method": method, "sentQuery": False, "sentHash": True, "status": 200},
    ]
    assert run["results"] == [{"viewer": VIEWER}] * 3
