"""Persisted queries (API.md): Apollo's automatic persisted queries for our own clients,
trusted documents (a manifest of approved operations) for partners, and the HTTP semantics
around them. README "Persisted queries" tells clients how to use them."""

from __future__ import annotations

from strawberry import Schema

from schema.persisted.extension import PreparedDocuments
from schema.persisted.manifest import ManifestError, build_manifest, load_manifest
from schema.persisted.resolve import PersistedQueries
from schema.persisted.store import RedisQueryStore
from schema.persisted.view import PersistedQueriesGraphQL
from settings import Settings

__all__ = [
    "ManifestError",
    "PersistedQueries",
    "PersistedQueriesGraphQL",
    "PreparedDocuments",
    "build_manifest",
    "persisted_queries_for",
]


def persisted_queries_for(settings: Settings, schema: Schema) -> PersistedQueries:
    """One per app: the manifest loaded and checked (a ManifestError stops start-up), APQ
    texts shared through Redis when `REDIS_URL` is set."""
    store = (
        RedisQueryStore(
            settings.redis_url,
            ttl_seconds=settings.persisted.ttl_seconds,
            max_connections=settings.redis.persisted_pool,
            wait_seconds=settings.redis.pool_wait_seconds,
        )
        if settings.redis_url
        else None
    )
    return PersistedQueries(
        schema._schema,
        load_manifest(schema._schema, settings.persisted.manifest),
        cache_size=settings.persisted.cache_size,
        store=store,
        limits=settings.limits,
    )
