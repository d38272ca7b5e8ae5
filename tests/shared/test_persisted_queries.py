"""Persisted queries (API.md): Apollo's automatic persisted queries, trusted documents for
partners, and the caching of persisted GET queries."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import replace

import pytest
import redis.asyncio as redis

import app as app_module
from app import create_app
from auth.permissions import Role
from schema import schema
from schema.persisted import PreparedDocuments
from schema.persisted.manifest import (
    ManifestError,
    build_manifest,
    load_manifest,
    manifest_json,
)
from schema.persisted.store import KEY_PREFIX
from settings import PersistedQuerySettings, Settings, SettingsError
from tests.support.graphql import GraphQLClient, bearer
from tests.support.parsing import count_parsing
from tests.support.persisted import MANIFEST, PARTNER_VIEWER, PARTNERS
from tests.support.sockets import acknowledged_websocket

CATALOG = next(op["id"] for op in MANIFEST["operations"] if op["name"] == "ProductCatalog")
JOB_STATUS = next(op["id"] for op in MANIFEST["operations"] if op["name"] == "JobStatusChanged")
VIEWER = "{ viewer { authenticated role } }"
CREATE_KEY = """
mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret errors { code } } }"""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apq(text: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


def codes(body: dict[str, object]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]  # type: ignore[attr-defined]


def unique_query() -> str:
    """A text no earlier test (or run, for Redis) registered."""
    return f"{{ x{uuid.uuid4().hex}: viewer {{ authenticated role }} }}"


# -- automatic persisted queries -------------------------------------------------------------


async def test_a_hash_misses_then_registers_with_its_text_then_runs_alone(client):
    query = unique_query()
    alias = query.split(":")[0].removeprefix("{ ")

    miss = await client.http.post("/graphql", json={"extensions": apq(query)})
    assert miss.status_code == 200  # Apollo Server's status: clients retry on the code
    (error,) = miss.json()["errors"]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    registered = await client.http.post("/graphql", json={"query": query, "extensions": apq(query)})
    assert registered.json()["data"] == {alias: {"authenticated": True, "role": "ADMIN"}}

    by_post = await client.http.post("/graphql", json={"extensions": apq(query)})
    by_get = await client.http.get("/graphql", params={"extensions": json.dumps(apq(query))})
    for hit in (by_post, by_get):
        assert hit.status_code == 200
        assert hit.json()["data"] == {alias: {"authenticated": True, "role": "ADMIN"}}


async def test_a_hash_that_is_not_the_texts_is_refused_and_registers_nothing(client):
    query, other = unique_query(), unique_query()
    response = await client.http.post("/graphql", json={"query": query, "extensions": apq(other)})
    assert response.status_code == 400
    assert codes(response.json()) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    for text in (query, other):
        miss = await client.http.post("/graphql", json={"extensions": apq(text)})
        assert codes(miss.json()) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_a_document_that_does_not_validate_is_not_registered(client):
    query = "{ viewer { noSuchField } }"
    response = await client.http.post(
        "/graphql",
        json={"query": query, "extensions": apq(query)},
        headers={"Accept": "application/graphql-response+json"},  # 400: GraphQL over HTTP
    )
    assert response.status_code == 400
    assert "noSuchField" in response.json()["errors"][0]["message"]
    miss = await client.http.post("/graphql", json={"extensions": apq(query)})
    assert codes(miss.json()) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_malformed_persisted_query_extensions_are_bad_requests(client):
    for extension in (
        {"version": 2, "sha256Hash": sha256(VIEWER)},
        {"version": 1, "sha256Hash": "not-a-hash"},
        "a string",
    ):
        response = await client.http.post(
            "/graphql", json={"extensions": {"persistedQuery": extension}}
        )
        assert response.status_code == 400, extension
        assert codes(response.json())[0] in {"PERSISTED_QUERY_NOT_SUPPORTED", "BAD_REQUEST"}


def test_the_prepared_documents_extension_runs_first():
    # The hit path hands strawberry the parsed document before schema/limits.py would parse.
    assert schema.extensions[0] is PreparedDocuments, (
        "add PreparedDocuments first in schema/__init__.py's extensions"
    )


async def test_a_hit_neither_parses_nor_validates_again(client, monkeypatch):
    query = unique_query()
    await client.http.post("/graphql", json={"query": query, "extensions": apq(query)})
    calls = count_parsing(monkeypatch)
    hit = await client.http.post("/graphql", json={"extensions": apq(query)})
    assert hit.json()["data"] is not None
    assert calls == []
    # The same text sent in full is parsed and validated once, then kept like a hit.
    for _ in range(2):
        await client.http.post("/graphql", json={"query": query})
    assert calls.count("parse") == 1 and calls.count("validate") == 1


async def test_each_process_keeps_a_bounded_number_of_registered_queries(make_client):
    async with make_client(persisted=PersistedQuerySettings(cache_size=2)) as client:
        queries = [unique_query() for _ in range(3)]
        for query in queries:
            await client.http.post("/graphql", json={"query": query, "extensions": apq(query)})
        oldest, *recent = [
            (await client.http.post("/graphql", json={"extensions": apq(query)})).json()
            for query in queries
        ]
        assert codes(oldest) == ["PERSISTED_QUERY_NOT_FOUND"]
        assert all(hit["data"] is not None for hit in recent)


async def test_limits_and_rate_limits_apply_to_persisted_operations(make_client, settings):
    query = "{ productFamilies(first: 5) { edges { node { code } } } }"  # costs 11
    strict = replace(settings.limits, max_cost=10, rate_per_minute=30)
    async with make_client(limits=strict) as client:
        too_costly = await client.http.post(
            "/graphql", json={"query": query, "extensions": apq(query)}
        )
        assert codes(too_costly.json()) == ["QUERY_TOO_COMPLEX"]

        cheap = "{ productFamilies(first: 2) { edges { node { code } } } }"  # costs 5
        await client.http.post("/graphql", json={"query": cheap, "extensions": apq(cheap)})
        statuses = [
            (await client.http.post("/graphql", json={"extensions": apq(cheap)})).status_code
            for _ in range(6)
        ]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


async def test_registered_queries_are_shared_by_every_process_through_redis(settings, redis_url):
    shared = replace(
        settings, redis_url=redis_url, persisted=PersistedQuerySettings(ttl_seconds=600)
    )
    query = unique_query()
    first, second = create_app(shared), create_app(shared)
    try:
        async with (
            GraphQLClient(first, bearer(settings, Role.ADMIN), owns_app=False) as one,
            GraphQLClient(second, bearer(settings, Role.ADMIN), owns_app=False) as other,
        ):
            miss = await other.http.post("/graphql", json={"extensions": apq(query)})
            assert codes(miss.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
            await one.http.post("/graphql", json={"query": query, "extensions": apq(query)})
            hit = await other.http.post("/graphql", json={"extensions": apq(query)})
            assert hit.json()["data"] is not None
        direct = redis.Redis.from_url(redis_url)
        try:
            assert await direct.get(KEY_PREFIX + sha256(query)) == query.encode()
            assert 0 < await direct.ttl(KEY_PREFIX + sha256(query)) <= 600
        finally:
            await direct.aclose()
    finally:
        for app in (first, second):
            await _close(app)


async def test_without_redis_hashes_miss_and_full_queries_still_run(settings, caplog):
    unreachable = replace(settings, redis_url="redis://127.0.0.1:1/0")
    query = unique_query()
    caplog.set_level(logging.WARNING)
    app = create_app(unreachable)
    try:
        async with GraphQLClient(app, bearer(settings, Role.ADMIN), owns_app=False) as client:
            miss = await client.http.post("/graphql", json={"extensions": apq(query)})
            assert codes(miss.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
            ran = await client.http.post(
                "/graphql", json={"query": query, "extensions": apq(query)}
            )
            assert ran.status_code == 200 and ran.json()["data"] is not None
    finally:
        await _close(app)
    assert any("Redis is unreachable" in r.getMessage() for r in caplog.records)


async def _close(app):
    await _view(app).persisted_queries.close()
    await app.state.rate_limiter.close()
    await app.state.database.dispose()


def _view(app):
    return next(
        r.app
        for r in app.routes
        if getattr(r, "path", None) == "/graphql" and hasattr(r.app, "persisted_queries")
    )


# -- trusted documents -----------------------------------------------------------------------


async def _partner(client):
    payload = await client.mutate(CREATE_KEY, {"input": {"name": "Acme logistics"}})
    return client.with_headers({"Authorization": f"ApiKey {payload['secret']}"})


async def test_a_partner_key_runs_manifest_operations_and_nothing_else(client):
    partner = await _partner(client)

    by_id = await partner.http.post("/graphql", json={"documentId": PARTNER_VIEWER})
    assert by_id.status_code == 200
    assert by_id.json()["data"]["viewer"] == {
        "authenticated": True,
        "role": "PARTNER",
        "grants": [],
    }
    by_get = await partner.http.get("/graphql", params={"documentId": PARTNER_VIEWER})
    assert by_get.json()["data"]["viewer"]["role"] == "PARTNER"
    # A manifest operation's id is its APQ hash too.
    body = next(op["body"] for op in MANIFEST["operations"] if op["id"] == PARTNER_VIEWER)
    by_hash = await partner.http.post("/graphql", json={"extensions": apq(body)})
    assert by_hash.json()["data"]["viewer"]["role"] == "PARTNER"
    # The catalog runs past the gate (what it returns is the partner role's grants' business).
    catalog = await partner.http.post("/graphql", json={"documentId": CATALOG})
    assert not {"PERSISTED_QUERY_REQUIRED", "PERSISTED_QUERY_NOT_FOUND"} & set(
        codes(catalog.json())
    )
    assert "data" in catalog.json()

    for refused in (
        {"query": VIEWER},
        {"query": VIEWER, "extensions": apq(VIEWER)},
        {"extensions": apq(VIEWER)},
    ):
        response = await partner.http.post("/graphql", json=refused)
        assert response.status_code == 403, refused
        assert codes(response.json()) == ["PERSISTED_QUERY_REQUIRED"]
        assert response.json()["data"] is None


async def test_other_roles_run_manifest_operations_and_their_own_queries(client):
    by_id = await client.http.post("/graphql", json={"documentId": PARTNER_VIEWER})
    assert by_id.json()["data"]["viewer"]["role"] == "ADMIN"
    assert (await client(VIEWER))["viewer"]["role"] == "ADMIN"


async def test_unknown_document_ids_and_ambiguous_requests_are_refused(client):
    unknown = await client.http.post("/graphql", json={"documentId": "0" * 64})
    assert unknown.status_code == 404
    assert codes(unknown.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
    both = await client.http.post("/graphql", json={"documentId": PARTNER_VIEWER, "query": VIEWER})
    assert both.status_code == 400


# -- the manifest ----------------------------------------------------------------------------


def test_the_committed_manifest_is_built_from_the_partner_operations():
    # Fails when an operation no longer validates or manifest.json is stale: run
    # `uv run app.py persisted build persisted/partners`.
    built = build_manifest(schema._schema, PARTNERS)
    assert manifest_json(built) == (PARTNERS / "manifest.json").read_text()
    loaded = load_manifest(schema._schema, PARTNERS / "manifest.json")
    assert {op.name for op in loaded.operations.values()} == {
        "JobStatusChanged",
        "OrderStatus",
        "PartnerViewer",
        "ProductCatalog",
        "StorefrontCoas",
    }


def test_build_refuses_an_operation_the_schema_does_not_accept(tmp_path, capsys):
    (tmp_path / "good.graphql").write_text("query Good { viewer { role } }")
    (tmp_path / "stale.graphql").write_text("query Stale {\n  viewer { removedField }\n}")
    (tmp_path / "anonymous.graphql").write_text("{ viewer { role } }")
    with pytest.raises(ManifestError) as refused:
        build_manifest(schema._schema, tmp_path)
    problems = "\n".join(refused.value.problems)
    assert "stale.graphql: Cannot query field 'removedField'" in problems
    assert "(line 2)" in problems
    assert "anonymous.graphql: must hold exactly one named operation" in problems

    assert app_module.main(["persisted", "build", str(tmp_path)]) == 1
    assert "removedField" in capsys.readouterr().err
    assert not (tmp_path / "manifest.json").exists()


def test_the_build_command_writes_an_apollo_manifest(tmp_path, capsys):
    text = "query Who {\n  viewer {  role }\n}\n"
    (tmp_path / "who.graphql").write_text(text)
    assert app_module.main(["persisted", "build", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (operation,) = manifest["operations"]
    assert manifest["format"] == "apollo-persisted-query-manifest" and manifest["version"] == 1
    assert operation["name"] == "Who" and operation["type"] == "query"
    assert operation["id"] == sha256(operation["body"])
    assert "wrote 1 operations" in capsys.readouterr().out


def test_a_manifest_the_schema_no_longer_accepts_stops_start_up(tmp_path, settings):
    body = "query Gone {\n  viewer {\n    removedField\n  }\n}"
    path = tmp_path / "manifest.json"
    path.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": sha256(body), "name": "Gone", "type": "query", "body": body}],
            }
        )
    )
    with pytest.raises(ManifestError, match="removedField"):
        create_app(replace(settings, persisted=PersistedQuerySettings(manifest=path)))
    tampered = json.loads(path.read_text())
    tampered["operations"][0].update(body="query Gone { viewer { role } }")
    path.write_text(json.dumps(tampered))
    with pytest.raises(ManifestError, match="not the SHA-256"):
        create_app(replace(settings, persisted=PersistedQuerySettings(manifest=path)))


# -- caching of persisted GET queries ---------------------------------------------------------


async def test_persisted_gets_carry_an_etag_and_answer_304_when_unchanged(client):
    first = await client.http.get("/graphql", params={"documentId": PARTNER_VIEWER})
    assert first.status_code == 200
    assert first.headers["cache-control"] == "private, no-cache"
    assert "Authorization" in first.headers["vary"]
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')

    again = await client.http.get(
        "/graphql", params={"documentId": PARTNER_VIEWER}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag

    changed = await client.http.get(
        "/graphql", params={"documentId": PARTNER_VIEWER}, headers={"If-None-Match": '"old"'}
    )
    assert changed.status_code == 200 and changed.json() == first.json()


async def test_anonymous_answers_are_public_and_errors_are_never_stored(client):
    anonymous = client.anonymous()
    public = await anonymous.http.get("/graphql", params={"documentId": PARTNER_VIEWER})
    assert public.json()["data"]["viewer"]["authenticated"] is False
    assert public.headers["cache-control"] == "public, max-age=60"

    refused = await anonymous.http.get("/graphql", params={"documentId": CATALOG})
    assert codes(refused.json()) == ["UNAUTHENTICATED"]
    assert refused.headers["cache-control"] == "no-store" and "etag" not in refused.headers

    miss = await client.http.get("/graphql", params={"extensions": json.dumps(apq(unique_query()))})
    assert miss.headers["cache-control"] == "no-store"
    # Queries sent in full are not persisted ones: no caching headers are promised.
    plain = await client.http.get("/graphql", params={"query": VIEWER})
    assert "etag" not in plain.headers


# -- WebSockets ------------------------------------------------------------------------------


def test_subscribe_messages_accept_document_ids_and_hold_partners_to_them(settings):
    with acknowledged_websocket(settings, "graphql-transport-ws", Role.PARTNER) as ws:
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": VIEWER}})
        refused = ws.receive_json()
        assert refused["id"] == "1" and refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"

        ws.send_json({"id": "2", "type": "subscribe", "payload": {"documentId": PARTNER_VIEWER}})
        message = ws.receive_json()
        assert message["type"] == "next"
        assert message["payload"]["data"]["viewer"]["role"] == "PARTNER"
        assert ws.receive_json() == {"id": "2", "type": "complete"}

        ws.send_json({"id": "3", "type": "subscribe", "payload": {"documentId": "f" * 64}})
        missing = ws.receive_json()
        assert missing["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

        # The manifest's subscription passes the gate and meets the permission check (the
        # partner role holds no jobs:read yet).
        ws.send_json(
            {
                "id": "4",
                "type": "subscribe",
                "payload": {"documentId": JOB_STATUS, "variables": {"id": "Sm9iOjE="}},
            }
        )
        (denied,) = ws.receive_json()["payload"]["errors"]
        assert denied["extensions"] == {"code": "FORBIDDEN", "permission": "jobs:read"}


def test_legacy_graphql_ws_holds_partners_to_the_manifest(settings):
    with acknowledged_websocket(settings, "graphql-ws", Role.PARTNER) as ws:
        ws.send_json({"id": "1", "type": "start", "payload": {"query": VIEWER}})
        refused = ws.receive_json()
        while refused["type"] == "ka":  # the legacy protocol's keep-alive
            refused = ws.receive_json()
        assert refused["type"] == "error" and refused["id"] == "1"
        assert refused["payload"]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"


# -- settings --------------------------------------------------------------------------------


def test_persisted_query_settings_come_from_the_environment(tmp_path):
    manifest = tmp_path / "partners.json"
    manifest.write_text("{}")
    settings = Settings.from_env(
        {
            "OPSGRAPH_PERSISTED_MANIFEST": str(manifest),
            "OPSGRAPH_APQ_CACHE_SIZE": "50",
            "OPSGRAPH_APQ_TTL_SECONDS": "3600",
            "OPSGRAPH_PUBLIC_MAX_AGE": "30",
            "OPSGRAPH_DEV_SECRETS_FILE": str(tmp_path / "secrets.json"),
        }
    )
    assert settings.persisted == PersistedQuerySettings(
        manifest=manifest, cache_size=50, ttl_seconds=3600, public_max_age=30
    )
    defaults = Settings.from_env({"OPSGRAPH_DEV_SECRETS_FILE": str(tmp_path / "secrets.json")})
    assert defaults.persisted.manifest == PARTNERS / "manifest.json"
    with pytest.raises(SettingsError, match="OPSGRAPH_PERSISTED_MANIFEST"):
        Settings.from_env({"OPSGRAPH_PERSISTED_MANIFEST": str(tmp_path / "missing.json")})
    with pytest.raises(SettingsError, match="OPSGRAPH_APQ_CACHE_SIZE"):
        Settings.from_env({"OPSGRAPH_APQ_CACHE_SIZE": "0"})
