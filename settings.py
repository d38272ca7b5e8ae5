"""Typed settings read from the environment.

Every variable is parsed and validated here, once, so that a bad value stops start-up with
one line naming the variable instead of failing later deep inside a request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Environment = Literal["development", "production"]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///opsgraph.db"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting is invalid; the message is one line and names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    env: Environment = "development"
    graphiql: bool = True
    debug_sql: bool = False
    # `uv run app.py` loads the demo data into an empty database unless this is off.
    seed_demo_data: bool = True

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        app_env = _parse_env(env.get("OPSGRAPH_ENV", "development"))
        return cls(
            database_url=_parse_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
            redis_url=_parse_redis_url(env.get("REDIS_URL")),
            env=app_env,
            graphiql=_parse_bool(
                "OPSGRAPH_GRAPHIQL", env.get("OPSGRAPH_GRAPHIQL"), app_env == "development"
            ),
            debug_sql=_parse_bool("OPSGRAPH_DEBUG_SQL", env.get("OPSGRAPH_DEBUG_SQL"), False),
            seed_demo_data=_parse_bool(
                "OPSGRAPH_SEED_DEMO_DATA", env.get("OPSGRAPH_SEED_DEMO_DATA"), True
            ),
        )


def _parse_env(value: str) -> Environment:
    if value == "development":
        return "development"
    if value == "production":
        return "production"
    raise SettingsError(f"OPSGRAPH_ENV must be 'development' or 'production', got {value!r}")


def _parse_bool(name: str, value: str | None, default: bool) -> bool:
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def _parse_database_url(value: str) -> str:
    """Accept the async drivers we ship, and upgrade plain PostgreSQL URLs to asyncpg."""
    for plain in ("postgres://", "postgresql://"):
        if value.startswith(plain):
            return "postgresql+asyncpg://" + value[len(plain) :]
    if value.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        return value
    if value.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + value[len("sqlite://") :]
    raise SettingsError(
        "DATABASE_URL must be a postgresql:// (asyncpg) or sqlite:// (aiosqlite) URL, "
        f"got scheme {value.split(':', 1)[0]!r}"
    )


def _parse_redis_url(value: str | None) -> str | None:
    if not value:
        return None
    if value.startswith(("redis://", "rediss://", "unix://")):
        return value
    raise SettingsError(
        f"REDIS_URL must start with redis://, rediss:// or unix://, got {value.split(':', 1)[0]!r}"
    )
