"""The entry point's subcommands on a fresh embedded database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
    assert first.returncode == 0 and "184 rows added" in first.stdout
    # The demo photos went through the upload path into the default folder.
    photos = sorted((tmp_path / "var" / "files").rglob("*.jpg"))
    assert photos and all(p.stat().st_size > 0 for p in photos)
    verified = run(tmp_path, "files", "verify")
    assert verified.returncode == 0, verified.stderr
    assert " 0 mismatched, 0 missing (filesystem)" in verified.stdout
    pruned = run(tmp_path, "files", "prune")
    assert pruned.returncode == 0 and "files: 0 unattached uploads" in pruned.stdout
    again = run(tmp_path, "seed")
    assert "0 rows added" in again.stdout
    reset = run(tmp_path, "seed", "--reset")
    assert reset.returncode == 0 and "184 rows added" in reset.stdout


PRODUCTION = {
    "OPSGRAPH_ENV": "production",
    "OPSGRAPH_JWT_SECRET": "p" * 40,
    "OPSGRAPH_ENCRYPTION_KEYS": "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "OPSGRAPH_FILES_SIGNING_KEY": "f" * 40,
}


def test_seed_reset_is_refused_in_production(tmp_path):
    result = run(tmp_path, "seed", "--reset", **PRODUCTION)
    assert result.returncode == 2
    assert "seed --reset is refused" in result.stderr


def test_production_without_a_jwt_secret_does_not_start(tmp_path):
    result = run(
        tmp_path,
        "migrate",
        OPSGRAPH_ENV="production",
        OPSGRAPH_ENCRYPTION_KEYS=PRODUCTION["OPSGRAPH_ENCRYPTION_KEYS"],
    )
    assert result.returncode == 2
    assert "OPSGRAPH_JWT_SECRET" in result.stderr


def test_production_without_a_files_signing_key_does_not_start(tmp_path):
    environment = {k: v for k, v in PRODUCTION.items() if k != "OPSGRAPH_FILES_SIGNING_KEY"}
    result = run(tmp_path, "migrate", **environment)
    assert result.returncode == 2
    assert "OPSGRAPH_FILES_SIGNING_KEY must be set in production" in result.stderr


def test_token_prints_a_token_the_server_accepts(tmp_path):
    from auth.permissions import Role
    from auth.tokens import verify
    from settings import AuthSettings

    manufacturer = "5b2f6f2e-7f1c-4c55-9d57-0a0e4c7b3c11"
    result = run(
        tmp_path,
        "token",
        "--role",
        "manufacturer",
        "--manufacturer",
        manufacturer,
        "--ttl",
        "30m",
        OPSGRAPH_JWT_SECRET="t" * 40,
    )
    assert result.returncode == 0, result.stderr
    actor = verify(result.stdout.strip(), AuthSettings(jwt_secret="t" * 40))
    assert (actor.role, str(actor.manufacturer_id), actor.id) == (
        Role.MANUFACTURER,
        manufacturer,
        "dev-manufacturer",
    )
    assert actor.expires_at is not None


def test_token_refuses_incomplete_requests(tmp_path):
    for args, message in [
        (("--role", "manufacturer"), "--manufacturer"),
        (("--role", "admin", "--ttl", "forever"), "--ttl"),
        (("--role", "customer", "--customer", "nope"), "--customer"),
    ]:
        result = run(tmp_path, "token", *args, OPSGRAPH_JWT_SECRET="t" * 40)
        assert result.returncode == 2 and message in result.stderr


def test_export_schema(tmp_path):
    target = tmp_path / "out.graphql"
    assert run(tmp_path, "export-schema", "--output", str(target)).returncode == 0
    assert "type ProductFamily implements Node" in target.read_text()
