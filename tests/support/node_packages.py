"""Node.js clients the tests drive (Apollo Client, graphql-ws): their pinned packages.

Each client directory holds a package.json and a committed package-lock.json; `npm ci`
installs them into its git-ignored node_modules when that is missing or older than the lock.
Without node/npm the tests skip with the reason (they fail when services are required).
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

from schema.graphiql_command import NPM_CI
from tests.support import services

# One directory per client, each with its package.json and package-lock.json.
CLIENTS = Path(__file__).resolve().parent / "clients"


def installed(directory: Path, what: str) -> str:
    """The `node` executable, once `directory`'s packages are installed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        services.unavailable(what, "`node` and `npm` must be on PATH")
    assert node is not None and npm is not None
    marker = directory / "node_modules" / ".package-lock.json"
    lock = directory / "package-lock.json"
    # pytest-xdist workers may arrive together: one installs while the others wait.
    with (directory / ".install.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
            done = subprocess.run(
                [npm, *NPM_CI],
                cwd=directory,
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
            if done.returncode != 0:
                services.unavailable(what, f"npm ci failed: {done.stderr.strip()[-500:]}")
    return node
