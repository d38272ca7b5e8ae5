"""Settings come from the environment; a bad value stops start-up naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.engine import Database
from settings import DEFAULT_DATABASE_URL, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_the_embedded_setup():
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite+aiosqlite:///opsgraph.db"
    assert settings.redis_url is None
    assert settings.env == "development"
    assert settings.graphiql is True
    assert settings.debug_sql is False
    assert settings.batched_execution is True


def test_batched_execution_can_be_turned_off():
    assert Settings.from_env({"OPSGRAPH_BATCHED_EXECUTION": "0"}).batched_execution is False


# What production needs at least: every secret from the environment.
PRODUCTION = {
    "OPSGRAPH_ENV": "production",
    "OPSGRAPH_JWT_SECRET": "s" * 40,
    "OPSGRAPH_ENCRYPTION_KEYS": "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "OPSGRAPH_FILES_SIGNING_KEY": "f" * 40,
}


def test_production_turns_graphiql_and_introspection_off_unless_asked():
    production = Settings.from_env(PRODUCTION)
    assert (production.graphiql, production.introspection) == (False, False)
    assert Settings.from_env({**PRODUCTION, "OPSGRAPH_GRAPHIQL": "1"}).graphiql
    assert Settings.from_env({**PRODUCTION, "OPSGRAPH_INTROSPECTION": "1"}).introspection


@pytest.mark.parametrize(
    "missing", ["OPSGRAPH_JWT_SECRET", "OPSGRAPH_ENCRYPTION_KEYS", "OPSGRAPH_FILES_SIGNING_KEY"]
)
def test_production_stops_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env)
    assert missing in str(raised.value)


def test_development_generates_its_secrets_once(tmp_path):
    env = {"OPSGRAPH_DEV_SECRETS_FILE": str(tmp_path / "dev.json")}
    first, second = Settings.from_env(env), Settings.from_env(env)
    assert first.auth.jwt_secret and len(first.auth.jwt_secret) >= 32
    assert len(first.files.signing_key) >= 32
    assert (first.auth, first.encryption_keys, first.files) == (
        second.auth,
        second.encryption_keys,
        second.files,
    )
    assert (tmp_path / "dev.json").stat().st_mode & 0o077 == 0  # owner-only


def test_rs256_public_key_from_a_file(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "jwt.pub").write_bytes(pem)
    settings = Settings.from_env(
        {
            **PRODUCTION,
            "OPSGRAPH_JWT_SECRET": "",
            "OPSGRAPH_JWT_PUBLIC_KEY": str(tmp_path / "jwt.pub"),
        }
    )
    assert settings.auth.algorithm == "RS256"


def test_plain_postgres_urls_use_asyncpg():
    settings = Settings.from_env({"DATABASE_URL": "postgresql://u@h:5432/db"})
    assert settings.database_url == "postgresql+asyncpg://u@h:5432/db"


async def test_the_connection_pool_keeps_the_configured_connections():
    settings = Settings.from_env(
        {"DATABASE_URL": "postgresql://u@h:5432/db", "OPSGRAPH_DB_POOL_SIZE": "32"}
    )
    database = Database(settings.database_url, pool_size=settings.db_pool_size)
    try:
        pool = database.engine.pool
        assert (pool.size(), pool._max_overflow) == (32, 32)  # type: ignore[attr-defined]
    finally:
        await database.dispose()
    assert Settings.from_env({}).db_pool_size == 20


def test_the_shutdown_grace_period_is_whole_seconds():
    assert Settings.from_env({}).shutdown_grace_seconds == 10
    assert Settings.from_env({"OPSGRAPH_SHUTDOWN_GRACE_SECONDS": "3"}).shutdown_grace_seconds == 3


def test_connection_limits_default_and_read_from_the_environment():
    assert Settings.from_env({}).connections.body_read_timeout_seconds == 15.0
    assert Settings.from_env({}).connections.max_connections == 2_048
    configured = Settings.from_env(
        {"OPSGRAPH_BODY_READ_TIMEOUT_SECONDS": "2.5", "OPSGRAPH_MAX_CONNECTIONS": "64"}
    )
    assert configured.connections.body_read_timeout_seconds == 2.5
    assert configured.connections.max_connections == 64


def test_validation_work_limits_are_read():
    limits = Settings.from_env(
        {"OPSGRAPH_MAX_QUERY_FIELDS": "300", "OPSGRAPH_MAX_FIELD_OVERLAPS": "40"}
    ).limits
    assert (limits.max_fields, limits.max_overlaps) == (300, 40)


def test_change_log_poll_interval_is_seconds():
    assert Settings.from_env({"OPSGRAPH_CHANGE_POLL_SECONDS": "2.5"}).realtime.poll_seconds == 2.5


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"OPSGRAPH_ENV": "staging"}, "OPSGRAPH_ENV"),
        ({"OPSGRAPH_GRAPHIQL": "maybe"}, "OPSGRAPH_GRAPHIQL"),
        ({"OPSGRAPH_DEBUG_SQL": "2"}, "OPSGRAPH_DEBUG_SQL"),
        ({"OPSGRAPH_BATCHED_EXECUTION": "sometimes"}, "OPSGRAPH_BATCHED_EXECUTION"),
        ({"OPSGRAPH_JWT_SECRET": "short"}, "OPSGRAPH_JWT_SECRET"),
        ({"OPSGRAPH_JWT_PUBLIC_KEY": "/no/such/key.pem"}, "OPSGRAPH_JWT_PUBLIC_KEY"),
        ({"OPSGRAPH_ENCRYPTION_KEYS": "not-a-key"}, "OPSGRAPH_ENCRYPTION_KEYS"),
        ({"OPSGRAPH_MAX_QUERY_COST": "lots"}, "OPSGRAPH_MAX_QUERY_COST"),
        ({"OPSGRAPH_MAX_QUERY_DEPTH": "0"}, "OPSGRAPH_MAX_QUERY_DEPTH"),
        ({"OPSGRAPH_MAX_QUERY_FIELDS": "many"}, "OPSGRAPH_MAX_QUERY_FIELDS"),
        ({"OPSGRAPH_MAX_FIELD_OVERLAPS": "-1"}, "OPSGRAPH_MAX_FIELD_OVERLAPS"),
        ({"OPSGRAPH_DB_POOL_SIZE": "0"}, "OPSGRAPH_DB_POOL_SIZE"),
        ({"OPSGRAPH_CHANGE_POLL_SECONDS": "soon"}, "OPSGRAPH_CHANGE_POLL_SECONDS"),
        ({"OPSGRAPH_CHANGE_POLL_SECONDS": "0"}, "OPSGRAPH_CHANGE_POLL_SECONDS"),
        ({"OPSGRAPH_SHUTDOWN_GRACE_SECONDS": "soon"}, "OPSGRAPH_SHUTDOWN_GRACE_SECONDS"),
        ({"OPSGRAPH_SHUTDOWN_GRACE_SECONDS": "0"}, "OPSGRAPH_SHUTDOWN_GRACE_SECONDS"),
        ({"OPSGRAPH_BODY_READ_TIMEOUT_SECONDS": "-1"}, "OPSGRAPH_BODY_READ_TIMEOUT_SECONDS"),
        ({"OPSGRAPH_BODY_READ_TIMEOUT_SECONDS": "nan"}, "OPSGRAPH_BODY_READ_TIMEOUT_SECONDS"),
        ({"OPSGRAPH_MAX_CONNECTIONS": "0"}, "OPSGRAPH_MAX_CONNECTIONS"),
        ({"OPSGRAPH_MAX_CONNECTIONS": "many"}, "OPSGRAPH_MAX_CONNECTIONS"),
    ],
)
def test_invalid_settings_name_the_variable(env, variable):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env)
    message = str(raised.value)
    assert message.startswith(variable)
    assert "\n" not in message


def test_start_up_stops_with_one_line(tmp_path):
    env = {**os.environ, "OPSGRAPH_ENV": "staging"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "migrate"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "OPSGRAPH_ENV" in result.stderr


def test_files_settings_name_a_folder_by_default_or_an_s3_bucket():
    default = Settings.from_env(PRODUCTION).files
    assert (default.s3, default.max_upload_bytes, default.url_ttl_seconds) == (
        None,
        10 * 1024 * 1024,
        900,
    )
    s3 = Settings.from_env(
        {
            **PRODUCTION,
            "OPSGRAPH_MAX_UPLOAD_BYTES": "5000000",
            "OPSGRAPH_FILES_DIR": "/srv/files",
            "OPSGRAPH_FILES_S3_BUCKET": "coa",
            "OPSGRAPH_FILES_S3_ENDPOINT_URL": "http://minio:9000",
            "OPSGRAPH_FILES_S3_REGION": "eu-west-1",
            "OPSGRAPH_FILES_S3_ACCESS_KEY_ID": "id",
            "OPSGRAPH_FILES_S3_SECRET_ACCESS_KEY": "secret",
            "OPSGRAPH_FILES_URL_TTL": "60",
            "OPSGRAPH_FILES_ORPHAN_HOURS": "2",
        }
    ).files
    assert s3.s3 is not None and (s3.s3.bucket, s3.s3.endpoint_url, s3.s3.region) == (
        "coa",
        "http://minio:9000",
        "eu-west-1",
    )
    assert (s3.max_upload_bytes, str(s3.directory), s3.url_ttl_seconds, s3.orphan_hours) == (
        5_000_000,
        "/srv/files",
        60,
        2,
    )
    assert "secret" not in repr(s3) and PRODUCTION["OPSGRAPH_FILES_SIGNING_KEY"] not in repr(s3)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"OPSGRAPH_FILES_SIGNING_KEY": "short"}, "OPSGRAPH_FILES_SIGNING_KEY"),
        (
            {"OPSGRAPH_FILES_S3_BUCKET": "b", "OPSGRAPH_FILES_S3_ENDPOINT_URL": "minio:9000"},
            "OPSGRAPH_FILES_S3_ENDPOINT_URL",
        ),
        ({"OPSGRAPH_MAX_UPLOAD_BYTES": "0"}, "OPSGRAPH_MAX_UPLOAD_BYTES"),
        ({"OPSGRAPH_FILES_URL_TTL": "soon"}, "OPSGRAPH_FILES_URL_TTL"),
    ],
)
def test_bad_files_settings_stop_start_up_naming_the_variable(env, named):
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({**PRODUCTION, **env})
    assert named in str(raised.value)
