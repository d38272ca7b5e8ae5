"""The entry point's subcommands on a fresh embedded database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py"), *args],
        env={**environment, **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_seed_and_reset(tmp_path):
    assert run(tmp_path, "migrate").returncode == 0
    assert (tmp_path / "opsgraph.db").exists()  # the default lives in the working directory
    first = run(tmp_path, "seed")
    assert first.returncode == 0 and "179 rows added" in first.stdout
    again = run(tmp_path, "seed")
    assert "0 rows added" in again.stdout
    reset = run(tmp_path, "seed", "--reset")
    assert reset.returncode == 0 and "179 rows added" in reset.stdout


def test_seed_reset_is_refused_in_production(tmp_path):
    result = run(tmp_path, "seed", "--reset", OPSGRAPH_ENV="production")
    assert result.returncode == 2
    assert "production" in result.stderr


def test_export_schema(tmp_path):
    target = tmp_path / "out.graphql"
    assert run(tmp_path, "export-schema", "--output", str(target)).returncode == 0
    assert "type ProductFamily implements Node" in target.read_text()
