"""Settings come from the environment; a bad value stops start-up naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from settings import DEFAULT_DATABASE_URL, Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_are_the_embedded_setup():
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite+aiosqlite:///opsgraph.db"
    assert settings.redis_url is None
    assert settings.env == "development"
    assert settings.graphiql is True
    assert settings.debug_sql is False


def test_production_turns_graphiql_off_unless_asked():
    assert Settings.from_env({"OPSGRAPH_ENV": "production"}).graphiql is False
    assert Settings.from_env({"OPSGRAPH_ENV": "production", "OPSGRAPH_GRAPHIQL": "1"}).graphiql


def test_plain_postgres_urls_use_asyncpg():
    settings = Settings.from_env({"DATABASE_URL": "postgresql://u@h:5432/db"})
    assert settings.database_url == "postgresql+asyncpg://u@h:5432/db"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"OPSGRAPH_ENV": "staging"}, "OPSGRAPH_ENV"),
        ({"OPSGRAPH_GRAPHIQL": "maybe"}, "OPSGRAPH_GRAPHIQL"),
        ({"OPSGRAPH_DEBUG_SQL": "2"}, "OPSGRAPH_DEBUG_SQL"),
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
