"""Typed settings read from the environment.

Every variable is parsed and validated here, once, so that a bad value stops start-up with
one line naming the variable instead of failing later deep inside a request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, TypeVar, cast, get_args

from dev_secrets import DevSecrets

T = TypeVar("T")
N = TypeVar("N", int, float)


def _env(default: N, variable: str) -> N:
    """A positive number setting, `default` unless the environment `variable` gives it
    (Settings.from_env reads it; a whole number where the default is one)."""
    return field(default=default, metadata={"env": variable})


Environment = Literal["development", "production"]
# Where GraphiQL's browser assets come from: served by the app (installed with
# `uv run app.py graphiql install`) or a public CDN.
GraphiQLAssets = Literal["local", "cdn"]
# What the rate limiter does while Redis cannot be reached (README "Operating OpsGraph").
RateLimitOnRedisDown = Literal["open", "closed", "local"]
# Log lines: one JSON object each (production's default) or readable text (development's).
LogFormat = Literal["json", "text"]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///opsgraph.db"
DEV_SECRETS_FILE = Path(".opsgraph-dev-secrets.json")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting is invalid; the message is one line and names the variable."""


DEFAULT_DB_POOL_SIZE = 20


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # PostgreSQL connections each app process keeps open (a request reads on one).
    db_pool_size: int = DEFAULT_DB_POOL_SIZE
    # On SIGTERM, how long requests and WebSockets still running may take to finish before
    # they are cancelled (a trickling upload or a stuck subscription must not hold exit).
    shutdown_grace_seconds: int = 10
    redis_url: str | None = None
    env: Environment = "development"
    graphiql: bool = True
    graphiql_assets: GraphiQLAssets = "local"
    debug_sql: bool = False
    # Lists completed a level at a time (schema/execution/); off: graphql-core's own executor.
    batched_execution: bool = True
    # `uv run app.py` loads the demo data into an empty database unless this is off.
    seed_demo_data: bool = True
    # Without a secret or key every token is refused (from_env always provides one).
    auth: AuthSettings = field(default_factory=lambda: AuthSettings())
    # Fernet keys for encrypted columns, newest first (older ones still decrypt: rotation).
    encryption_keys: tuple[str, ...] = ()
    introspection: bool = True
    limits: QueryLimits = field(default_factory=lambda: QueryLimits())
    realtime: RealtimeSettings = field(default_factory=lambda: RealtimeSettings())
    persisted: PersistedQuerySettings = field(default_factory=lambda: PersistedQuerySettings())
    connections: ConnectionLimits = field(default_factory=lambda: ConnectionLimits())
    files: FilesSettings = field(default_factory=lambda: FilesSettings())
    fulfillment: FulfillmentSettings = field(default_factory=lambda: FulfillmentSettings())
    payments: PaymentsSettings = field(default_factory=lambda: PaymentsSettings())
    # Operability (README "Operating OpsGraph").
    log_format: LogFormat = "text"
    metrics: MetricsSettings = field(default_factory=lambda: MetricsSettings())
    redis: RedisSettings = field(default_factory=lambda: RedisSettings())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        app_env = _parse_env(env.get("OPSGRAPH_ENV", "development"))
        development = app_env == "development"
        dev = DevSecrets(Path(env.get("OPSGRAPH_DEV_SECRETS_FILE") or DEV_SECRETS_FILE))
        return cls(
            database_url=_parse_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
            db_pool_size=_parse_number(env, "OPSGRAPH_DB_POOL_SIZE", Settings.db_pool_size),
            shutdown_grace_seconds=_parse_number(
                env, "OPSGRAPH_SHUTDOWN_GRACE_SECONDS", Settings.shutdown_grace_seconds
            ),
            redis_url=_parse_redis_url(env.get("REDIS_URL")),
            env=app_env,
            graphiql=_parse_bool(
                "OPSGRAPH_GRAPHIQL", env.get("OPSGRAPH_GRAPHIQL"), app_env == "development"
            ),
            graphiql_assets=_parse_graphiql_assets(env.get("OPSGRAPH_GRAPHIQL_ASSETS", "local")),
            debug_sql=_parse_bool("OPSGRAPH_DEBUG_SQL", env.get("OPSGRAPH_DEBUG_SQL"), False),
            batched_execution=_parse_bool(
                "OPSGRAPH_BATCHED_EXECUTION", env.get("OPSGRAPH_BATCHED_EXECUTION"), True
            ),
            seed_demo_data=_parse_bool(
                "OPSGRAPH_SEED_DEMO_DATA", env.get("OPSGRAPH_SEED_DEMO_DATA"), True
            ),
            auth=_parse_auth(env, dev if development else None),
            encryption_keys=_parse_encryption_keys(env, dev if development else None),
            introspection=_parse_bool(
                "OPSGRAPH_INTROSPECTION", env.get("OPSGRAPH_INTROSPECTION"), development
            ),
            limits=_numbers(QueryLimits, env),
            realtime=_numbers(
                RealtimeSettings,
                env,
                allowed_origins=_parse_origins(env.get("OPSGRAPH_WS_ALLOWED_ORIGINS")),
            ),
            persisted=_numbers(
                PersistedQuerySettings,
                env,
                manifest=_parse_manifest(env.get("OPSGRAPH_PERSISTED_MANIFEST")),
            ),
            connections=_numbers(ConnectionLimits, env),
            files=_parse_files(env, dev if development else None),
            fulfillment=_numbers(FulfillmentSettings, env),
            payments=_parse_payments(env, production=not development),
            log_format=_parse_log_format(
                env.get("OPSGRAPH_LOG_FORMAT") or ("text" if development else "json")
            ),
            metrics=_parse_metrics(env, development),
            redis=_numbers(
                RedisSettings,
                env,
                rate_limit_on_down=_parse_on_redis_down(
                    env.get("OPSGRAPH_RATE_LIMIT_ON_REDIS_DOWN") or "local"
                ),
            ),
        )


@dataclass(frozen=True)
class RedisSettings:
    """Each process's Redis connection pools, one per purpose (redis_outage.py): at most
    so many connections each, a call waiting up to `pool_wait_seconds` for a free one; and
    what the rate limiter does while Redis is down: `open` (everything passes), `closed`
    (everything is refused as RATE_LIMITED) or `local` (each process keeps its own budgets,
    as without Redis)."""

    # A charge holds a connection for one short script: 20 serve thousands a second, and
    # each connection more is one more to open in a burst.
    rate_limit_pool: int = _env(20, "OPSGRAPH_REDIS_RATE_LIMIT_POOL")
    persisted_pool: int = _env(20, "OPSGRAPH_REDIS_APQ_POOL")
    publish_pool: int = _env(20, "OPSGRAPH_REDIS_PUBLISH_POOL")
    pool_wait_seconds: float = _env(2.0, "OPSGRAPH_REDIS_POOL_WAIT_SECONDS")
    rate_limit_on_down: RateLimitOnRedisDown = "local"


@dataclass(frozen=True)
class MetricsSettings:
    """`/metrics` (Prometheus text format): served only when `enabled`, and then only to a
    scrape bearing `token` when one is set (required in production)."""

    enabled: bool = False
    token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ConnectionLimits:
    """What one client may hold of a process: a request body must arrive whole within
    `body_read_timeout_seconds` (else 408; a client trickling it would keep its connection
    and memory for ever), and the process serves at most `max_connections` connections at
    once, HTTP and WebSocket (uvicorn answers 503 beyond them; serving.py)."""

    body_read_timeout_seconds: float = _env(15.0, "OPSGRAPH_BODY_READ_TIMEOUT_SECONDS")
    max_connections: int = _env(2_048, "OPSGRAPH_MAX_CONNECTIONS")


@dataclass(frozen=True)
class S3Settings:
    """An S3-compatible bucket: AWS, or any server speaking its API (`endpoint_url`)."""

    bucket: str
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)


DEFAULT_FILES_DIR = Path("var/files")


@dataclass(frozen=True)
class FilesSettings:
    """Uploaded files (README "Files"): the largest upload, where objects are stored (a
    folder, or an S3 bucket when `s3` is set), how long a signed download link lives, after
    how many hours an upload no record took is pruned, and the key download links are
    signed with (from the environment; a generated one in development)."""

    max_upload_bytes: int = _env(10 * 1024 * 1024, "OPSGRAPH_MAX_UPLOAD_BYTES")
    directory: Path = DEFAULT_FILES_DIR
    s3: S3Settings | None = None
    url_ttl_seconds: int = _env(15 * 60, "OPSGRAPH_FILES_URL_TTL")
    orphan_hours: int = _env(24, "OPSGRAPH_FILES_ORPHAN_HOURS")
    signing_key: str = field(default="", repr=False)


@dataclass(frozen=True)
class RealtimeSettings:
    """Subscriptions: how long the change log keeps events for `after` replay, how far a
    subscriber may fall behind before it is closed (it resumes by cursor), WebSocket
    keep-alive, and which browser origins may open a WebSocket (empty: any)."""

    retention_days: int = _env(7, "OPSGRAPH_CHANGE_RETENTION_DAYS")
    max_queue: int = _env(1_000, "OPSGRAPH_SUBSCRIBER_MAX_QUEUE")
    keepalive_seconds: int = _env(15, "OPSGRAPH_WS_KEEPALIVE_SECONDS")
    allowed_origins: tuple[str, ...] = ()
    # How often each process reads the change log for what pub/sub did not bring (a
    # publisher that died between commit and publish; Redis down).
    poll_seconds: float = _env(1.0, "OPSGRAPH_CHANGE_POLL_SECONDS")


@dataclass(frozen=True)
class FulfillmentSettings:
    """The 3PL: adjustments of more units than this wait for an admin's approval (BR-16);
    stock that has not moved for this many days is aging (BR-18); an inbound shipment still
    on its way this many days after its expected date is flagged lost (BR-23)."""

    adjustment_approval_units: int = _env(50, "OPSGRAPH_ADJUSTMENT_APPROVAL_UNITS")
    inventory_aging_days: int = _env(90, "OPSGRAPH_INVENTORY_AGING_DAYS")
    shipment_lost_days: int = _env(7, "OPSGRAPH_SHIPMENT_LOST_DAYS")


# The partners' approved operations, built by `app.py persisted build persisted/partners`.
DEFAULT_PERSISTED_MANIFEST = Path(__file__).resolve().parent / "persisted/partners/manifest.json"


@dataclass(frozen=True)
class PersistedQuerySettings:
    """Persisted queries (API.md): the trusted-document manifest partners are held to; how
    many parsed APQ documents each process keeps; how long Redis keeps a registered APQ
    query (refreshed on every hit); the CDN lifetime of public GET responses."""

    manifest: Path = DEFAULT_PERSISTED_MANIFEST
    cache_size: int = _env(1_000, "OPSGRAPH_APQ_CACHE_SIZE")
    ttl_seconds: int = _env(7 * 24 * 3600, "OPSGRAPH_APQ_TTL_SECONDS")
    public_max_age: int = _env(60, "OPSGRAPH_PUBLIC_MAX_AGE")


@dataclass(frozen=True)
class AuthSettings:
    """How bearer tokens are verified: HS256 with a shared secret, or RS256 with the
    identity provider's public key (PEM)."""

    jwt_secret: str | None = None
    jwt_public_key: str | None = None
    # Only the `token` command uses it, to sign RS256 development tokens.
    jwt_private_key: str | None = None
    issuer: str = "opsgraph"
    audience: str = "opsgraph-api"

    @property
    def algorithm(self) -> str:
        return "RS256" if self.jwt_public_key else "HS256"


@dataclass(frozen=True)
class QueryLimits:
    """Checked before an operation runs (API.md "Limits"). Cost is in the units of
    schema/cost_map.py; the rate limit is cost per identity per minute."""

    max_depth: int = _env(12, "OPSGRAPH_MAX_QUERY_DEPTH")
    max_aliases: int = _env(30, "OPSGRAPH_MAX_ALIASES")
    max_tokens: int = _env(5_000, "OPSGRAPH_MAX_QUERY_TOKENS")
    max_bytes: int = _env(100_000, "OPSGRAPH_MAX_QUERY_BYTES")
    max_cost: int = _env(10_000, "OPSGRAPH_MAX_QUERY_COST")
    # What validating a document may cost (schema/validation_work.py).
    max_fields: int = _env(2_000, "OPSGRAPH_MAX_QUERY_FIELDS")
    max_overlaps: int = _env(500, "OPSGRAPH_MAX_FIELD_OVERLAPS")
    rate_per_minute: int = _env(60_000, "OPSGRAPH_RATE_LIMIT_PER_MINUTE")
    anonymous_rate_per_minute: int = _env(6_000, "OPSGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE")


def _parse_number(env: Mapping[str, str], name: str, default: N) -> N:
    """A positive number (a whole one where `default` is), `default` when `name` is unset."""
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    whole = isinstance(default, int)
    try:
        parsed = type(default)(value)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise SettingsError(f"{name} must be {kind}, got {value!r}") from None
    if whole and parsed <= 0:
        raise SettingsError(f"{name} must be positive, got {parsed}")
    if not whole and (not parsed > 0 or parsed == float("inf")):  # also refuses nan
        raise SettingsError(f"{name} must be a positive number, got {value!r}")
    return parsed


def _numbers(cls: type[T], env: Mapping[str, str], **given: Any) -> T:
    """`cls` with its `_env` fields read from the environment and the `given` ones."""
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        variable = f.metadata.get("env")
        if variable is not None:
            values[f.name] = _parse_number(env, variable, f.default)  # type: ignore[type-var]
    return cls(**values, **given)


def _read_pem(name: str, value: str | None) -> str | None:
    """A PEM key given inline or as a path to a file."""
    if not value:
        return None
    if "-----BEGIN" in value:
        return value
    path = Path(value)
    if not path.is_file():
        raise SettingsError(f"{name} must be a PEM key or the path of a file holding one")
    return path.read_text(encoding="utf-8")


def _parse_auth(env: Mapping[str, str], dev: DevSecrets | None) -> AuthSettings:
    secret = env.get("OPSGRAPH_JWT_SECRET") or None
    public_key = _read_pem("OPSGRAPH_JWT_PUBLIC_KEY", env.get("OPSGRAPH_JWT_PUBLIC_KEY"))
    private_key = _read_pem("OPSGRAPH_JWT_PRIVATE_KEY", env.get("OPSGRAPH_JWT_PRIVATE_KEY"))
    if secret and public_key:
        raise SettingsError(
            "OPSGRAPH_JWT_SECRET and OPSGRAPH_JWT_PUBLIC_KEY are exclusive: "
            "set one (HS256 or RS256)"
        )
    if secret is not None and len(secret) < 32:
        raise SettingsError("OPSGRAPH_JWT_SECRET must be at least 32 characters")
    if secret is None and public_key is None:
        if dev is None:
            raise SettingsError(
                "OPSGRAPH_JWT_SECRET (or OPSGRAPH_JWT_PUBLIC_KEY) must be set in production"
            )
        # Development: a random secret kept in a local file, so `app.py token` and the
        # server agree without anyone configuring anything.
        secret = dev.get("jwt_secret")
    return AuthSettings(
        jwt_secret=secret,
        jwt_public_key=public_key,
        jwt_private_key=private_key,
        issuer=env.get("OPSGRAPH_JWT_ISSUER") or AuthSettings.issuer,
        audience=env.get("OPSGRAPH_JWT_AUDIENCE") or AuthSettings.audience,
    )


def _parse_encryption_keys(env: Mapping[str, str], dev: DevSecrets | None) -> tuple[str, ...]:
    from cryptography.fernet import Fernet

    raw = env.get("OPSGRAPH_ENCRYPTION_KEYS", "")
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    if not keys:
        if dev is None:
            raise SettingsError("OPSGRAPH_ENCRYPTION_KEYS must be set in production")
        return (dev.get("encryption_key"),)
    for index, key in enumerate(keys):
        try:
            Fernet(key)
        except ValueError:
            raise SettingsError(
                f"OPSGRAPH_ENCRYPTION_KEYS entry {index + 1} is not a Fernet key "
                "(32 url-safe base64-encoded bytes)"
            ) from None
    return keys


def _parse_files(env: Mapping[str, str], dev: DevSecrets | None) -> FilesSettings:
    key = env.get("OPSGRAPH_FILES_SIGNING_KEY") or None
    if key is None:
        if dev is None:
            raise SettingsError("OPSGRAPH_FILES_SIGNING_KEY must be set in production")
        key = dev.get("files_signing_key")
    if len(key) < 32:
        raise SettingsError("OPSGRAPH_FILES_SIGNING_KEY must be at least 32 characters")
    bucket = env.get("OPSGRAPH_FILES_S3_BUCKET") or None
    endpoint = env.get("OPSGRAPH_FILES_S3_ENDPOINT_URL") or None
    if endpoint is not None and not endpoint.startswith(("http://", "https://")):
        raise SettingsError("OPSGRAPH_FILES_S3_ENDPOINT_URL must start with http:// or https://")
    s3 = (
        S3Settings(
            bucket=bucket,
            endpoint_url=endpoint,
            region=env.get("OPSGRAPH_FILES_S3_REGION") or None,
            access_key_id=env.get("OPSGRAPH_FILES_S3_ACCESS_KEY_ID") or None,
            secret_access_key=env.get("OPSGRAPH_FILES_S3_SECRET_ACCESS_KEY") or None,
        )
        if bucket
        else None
    )
    return _numbers(
        FilesSettings,
        env,
        directory=Path(env.get("OPSGRAPH_FILES_DIR") or DEFAULT_FILES_DIR),
        s3=s3,
        signing_key=key,
    )


DEFAULT_PUBLIC_ORIGIN = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class PaymentsSettings:
    """Customer checkout with Stripe (README "Checkout"): the secret API key (unset: checkout
    answers PAYMENTS_NOT_CONFIGURED, the rest of the app works), the webhook endpoint's
    signing secret, the origin customers return to after paying, where the Stripe API is
    (tests point it at a local fake) and how old a signed webhook may be."""

    stripe_secret_key: str | None = field(default=None, repr=False)
    stripe_webhook_secret: str | None = field(default=None, repr=False)
    public_origin: str = DEFAULT_PUBLIC_ORIGIN
    stripe_api_base: str | None = None
    webhook_tolerance_seconds: int = _env(300, "STRIPE_WEBHOOK_TOLERANCE_SECONDS")
    # Network retries the stripe library makes itself, with the same idempotency key.
    max_network_retries: int = 2

    @property
    def configured(self) -> bool:
        return self.stripe_secret_key is not None


def _parse_payments(env: Mapping[str, str], *, production: bool) -> PaymentsSettings:
    key = env.get("STRIPE_SECRET_KEY") or None
    secret = env.get("STRIPE_WEBHOOK_SECRET") or None
    if key is not None and secret is None and production:
        raise SettingsError(
            "STRIPE_WEBHOOK_SECRET must be set in production when STRIPE_SECRET_KEY is"
        )
    origin = (env.get("OPSGRAPH_PUBLIC_ORIGIN") or DEFAULT_PUBLIC_ORIGIN).rstrip("/")
    if not origin.startswith(("http://", "https://")):
        raise SettingsError("OPSGRAPH_PUBLIC_ORIGIN must start with http:// or https://")
    base = env.get("STRIPE_API_BASE") or None
    if base is not None and not base.startswith(("http://", "https://")):
        raise SettingsError("STRIPE_API_BASE must start with http:// or https://")
    return _numbers(
        PaymentsSettings,
        env,
        stripe_secret_key=key,
        stripe_webhook_secret=secret,
        public_origin=origin,
        stripe_api_base=base.rstrip("/") if base else None,
    )


def _parse_manifest(value: str | None) -> Path:
    if not value:
        return DEFAULT_PERSISTED_MANIFEST
    path = Path(value)
    if not path.is_file():
        raise SettingsError(f"OPSGRAPH_PERSISTED_MANIFEST must name a manifest file, got {value!r}")
    return path


def _parse_origins(value: str | None) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in (value or "").split(",") if o.strip())
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise SettingsError(
                f"OPSGRAPH_WS_ALLOWED_ORIGINS entries must start with http:// or https://, "
                f"got {origin!r}"
            )
    return origins


def _parse_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value in choices:
        return value
    listed = " or ".join(repr(choice) for choice in choices)
    raise SettingsError(f"{name} must be {listed}, got {value!r}")


def _parse_env(value: str) -> Environment:
    return cast(Environment, _parse_choice("OPSGRAPH_ENV", value, get_args(Environment)))


def _parse_graphiql_assets(value: str) -> GraphiQLAssets:
    choices = get_args(GraphiQLAssets)
    return cast(GraphiQLAssets, _parse_choice("OPSGRAPH_GRAPHIQL_ASSETS", value, choices))


def _parse_on_redis_down(value: str) -> RateLimitOnRedisDown:
    choices = get_args(RateLimitOnRedisDown)
    return cast(
        RateLimitOnRedisDown, _parse_choice("OPSGRAPH_RATE_LIMIT_ON_REDIS_DOWN", value, choices)
    )


def _parse_log_format(value: str) -> LogFormat:
    return cast(LogFormat, _parse_choice("OPSGRAPH_LOG_FORMAT", value, get_args(LogFormat)))


def _parse_metrics(env: Mapping[str, str], development: bool) -> MetricsSettings:
    enabled = _parse_bool("OPSGRAPH_METRICS", env.get("OPSGRAPH_METRICS"), False)
    token = env.get("OPSGRAPH_METRICS_TOKEN") or None
    if enabled and token is None and not development:
        raise SettingsError(
            "OPSGRAPH_METRICS_TOKEN must be set in production when OPSGRAPH_METRICS is on "
            "(the scrape sends it as a bearer token)"
        )
    if token is not None and len(token) < 16:
        raise SettingsError("OPSGRAPH_METRICS_TOKEN must be at least 16 characters")
    return MetricsSettings(enabled=enabled, token=token)


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
