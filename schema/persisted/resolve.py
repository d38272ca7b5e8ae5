"""Which document a request runs: its own text, an APQ hash, or a trusted document.

API.md "Persisted queries":
- `documentId` names a manifest operation (trusted documents, for partners);
- `extensions.persistedQuery {version: 1, sha256Hash}` is Apollo's automatic persisted
  queries: the hash alone runs a text registered before, or a manifest operation (whose id
  is its hash); an unknown hash answers PERSISTED_QUERY_NOT_FOUND, and the client retries
  with the text and the hash, which registers it once the hash is verified;
- the `partner` role runs manifest operations only: anything else is
  PERSISTED_QUERY_REQUIRED.
A registered text is kept parsed and validated (`PreparedDocument`), so a hit skips both;
so is a text sent in full (up to ADHOC_CACHE_MAX_CHARS), in a cache of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from graphql import GraphQLError, GraphQLSchema

from auth.actor import Actor
from auth.permissions import TRUSTED_DOCUMENTS_ONLY
from observability.metrics import PERSISTED_QUERIES
from schema.persisted.documents import PreparedCache, PreparedDocument, prepare, sha256_hex
from schema.persisted.manifest import Manifest
from schema.persisted.store import RedisQueryStore
from settings import QueryLimits

APQ_VERSION = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")

Kind = Literal["adhoc", "apq", "trusted"]
# Ad-hoc texts up to this size are kept parsed (a typical app query is 0.5-5 kB); larger
# ones, rare and possibly hostile, would make the cache's memory depend on the caller.
ADHOC_CACHE_MAX_CHARS = 16_384


class PersistedQueryError(Exception):
    """A request refused before anything runs; `status` is its HTTP status."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def as_graphql_error(self) -> GraphQLError:
        return GraphQLError(self.message, extensions={"code": self.code})


# Apollo Server's answer to a miss, which every APQ client recognises (by message or code).
# HTTP 200: Apollo Client retries with the full text either way; 200 keeps proxies from
# replacing the body.
NOT_FOUND = PersistedQueryError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound", 200)
REQUIRED = PersistedQueryError(
    "PERSISTED_QUERY_REQUIRED",
    "Partners may run approved operations only: send a documentId from the partner manifest.",
    403,
)


def _bad_request(message: str, code: str = "BAD_REQUEST") -> PersistedQueryError:
    return PersistedQueryError(code, message, 400)


@dataclass(frozen=True)
class Resolved:
    """What to run: `query` (None only when the request sent nothing to run; strawberry
    answers that) and, when already known, its prepared document."""

    query: str | None
    prepared: PreparedDocument | None
    kind: Kind

    @property
    def persisted(self) -> bool:
        return self.kind != "adhoc"


class PersistedQueries:
    def __init__(
        self,
        schema: GraphQLSchema,
        manifest: Manifest,
        *,
        cache_size: int,
        store: RedisQueryStore | None = None,
        limits: QueryLimits | None = None,
    ) -> None:
        self._schema = schema
        # Bound what validating a text may cost, as for texts strawberry validates itself.
        self._limits = limits or QueryLimits()
        self.manifest = manifest
        self.cache = PreparedCache(cache_size)
        # Texts sent in full, kept apart so that ad-hoc traffic never evicts registered
        # APQ documents.
        self.adhoc_cache = PreparedCache(cache_size)
        self._store = store

    async def resolve(
        self,
        actor: Actor,
        *,
        query: str | None,
        extensions: dict[str, Any] | None,
        document_id: str | None,
        max_tokens: int,
    ) -> Resolved:
        trusted_only = actor.role in TRUSTED_DOCUMENTS_ONLY
        if document_id is not None:
            if query is not None:
                raise _bad_request("Send either a query or a documentId, not both.")
            trusted = self.manifest.get(document_id)
            PERSISTED_QUERIES.labels("miss" if trusted is None else "hit").inc()
            if trusted is None:
                raise PersistedQueryError(
                    "PERSISTED_QUERY_NOT_FOUND", f"No approved operation {document_id}.", 404
                )
            return Resolved(trusted.prepared.body, trusted.prepared, "trusted")
        sha256 = _apq_hash(extensions)
        if sha256 is None:
            if trusted_only:
                raise REQUIRED
            return self._adhoc(query, max_tokens=max_tokens)
        if query is not None and sha256_hex(query) != sha256:
            raise _bad_request(
                "The persistedQuery sha256Hash is not the SHA-256 of the query.",
                code="PERSISTED_QUERY_HASH_MISMATCH",
            )
        trusted = self.manifest.get(sha256)
        if trusted is not None:
            PERSISTED_QUERIES.labels("hit").inc()
            return Resolved(trusted.prepared.body, trusted.prepared, "trusted")
        if trusted_only:
            PERSISTED_QUERIES.labels("miss").inc()
            raise REQUIRED
        if query is None:
            prepared = await self.lookup(sha256, max_tokens=max_tokens)
            PERSISTED_QUERIES.labels("miss" if prepared is None else "hit").inc()
            if prepared is None:
                raise NOT_FOUND
            return Resolved(prepared.body, prepared, "apq")
        PERSISTED_QUERIES.labels("registered").inc()
        return Resolved(query, await self.register(query, max_tokens=max_tokens), "apq")

    def _adhoc(self, query: str | None, *, max_tokens: int) -> Resolved:
        """A text sent in full: the same text (a client's fixed query, with variables) is
        parsed and validated once per process and reused, like an APQ hit. Large texts and
        those that fail are not kept: the ordinary path reports their errors."""
        if query is None or len(query) > ADHOC_CACHE_MAX_CHARS:
            return Resolved(query, None, "adhoc")
        sha256 = sha256_hex(query)
        prepared = self.adhoc_cache.get(sha256)
        if prepared is None:
            prepared = prepare(self._schema, query, max_tokens=max_tokens, limits=self._limits)
            if prepared is None:
                return Resolved(query, None, "adhoc")
            self.adhoc_cache.put(prepared)
        return Resolved(prepared.body, prepared, "adhoc")

    async def lookup(self, sha256: str, *, max_tokens: int) -> PreparedDocument | None:
        prepared = self.cache.get(sha256)
        if prepared is not None or self._store is None:
            return prepared
        body = await self._store.get(sha256)
        # Checked again: a shared store is only as trustworthy as everyone who writes to it.
        if body is None or sha256_hex(body) != sha256:
            return None
        prepared = prepare(self._schema, body, max_tokens=max_tokens, limits=self._limits)
        if prepared is not None:
            self.cache.put(prepared)
        return prepared

    async def register(self, query: str, *, max_tokens: int) -> PreparedDocument | None:
        """Keep a verified text that parses and validates (None otherwise: it runs as sent,
        and the client sees why it fails). Written to the shared store even when this
        process knows it: the client registers because another process missed it."""
        prepared = self.cache.get(sha256_hex(query)) or prepare(
            self._schema, query, max_tokens=max_tokens, limits=self._limits
        )
        if prepared is None:
            return None
        self.cache.put(prepared)
        if self._store is not None:
            await self._store.put(prepared.sha256, prepared.body)
        return prepared

    async def close(self) -> None:
        if self._store is not None:
            await self._store.close()


def _apq_hash(extensions: dict[str, Any] | None) -> str | None:
    """The requested APQ hash, None when the request is not an APQ one."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != APQ_VERSION:
        raise _bad_request(
            f"Unsupported persistedQuery: version {APQ_VERSION} is supported.",
            code="PERSISTED_QUERY_NOT_SUPPORTED",
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256.lower()):
        raise _bad_request("persistedQuery.sha256Hash must be a SHA-256 in hex.")
    return sha256.lower()
