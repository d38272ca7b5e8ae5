"""Validation cannot be made to burn the CPU (issue 23, defect 3): the work validating a
document may cost is bounded on the parsed document, before graphql-core validates it, on
every path a document arrives by (POST, GET, APQ, WebSocket), and fragments cannot hide it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest
import strawberry.schema.schema as strawberry_schema
from starlette.testclient import TestClient

from app import create_app
from auth.permissions import Role
from tests.support.graphql import bearer
from tests.support.hostile_load import FLOOD
from tests.support.spies import spy


def _refusal(body):
    """The one QUERY_TOO_COMPLEX error's (limit, requested, maximum)."""
    (error,) = body["errors"]
    extensions = error["extensions"]
    assert extensions["code"] == "QUERY_TOO_COMPLEX", error
    return extensions["limit"], extensions["requested"], extensions["maximum"]


@pytest.fixture
def validations(monkeypatch):
    """Every graphql-core validation run, by strawberry or by the persisted-query path."""
    return spy(monkeypatch, strawberry_schema, "validate")


def _apq(text: str) -> dict[str, object]:
    return {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(text.encode()).hexdigest()}
    }


async def test_the_issue_flood_is_refused_before_validation(client, validations):
    assert 13_000 <= len(FLOOD) < 14_000
    body = await client.raw(FLOOD)
    limit, requested, maximum = _refusal(body)
    assert (limit, maximum) == ("overlaps", 500)
    assert requested > maximum
    assert validations == []


SPREAD = " ".join(["...F"] * 40)
HIDDEN_BY_FRAGMENTS = {
    # One fragment spread many times at one place.
    "spread many times": (
        f"{{ viewer {{ {SPREAD} }} }} fragment F on Viewer {{ role grants {{ permission }} }}",
        "overlaps",
    ),
    # Each fragment spreads the next twice: 2^30 `role`s once expanded, in 1 KB.
    "nested fragments": (
        "{ viewer { ...F0 } } "
        + " ".join(f"fragment F{i} on Viewer {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30))
        + " fragment F30 on Viewer { role }",
        "overlaps",
    ),
    "inline fragments": (
        "{ viewer { " + " ".join(["... on Viewer { role }"] * 40) + " } }",
        "overlaps",
    ),
    "nested inline fragments": (
        "{ " + " ".join(["... { ... { viewer { role } } }"] * 40) + " }",
        "overlaps",
    ),
    # Validation checks fragments nobody spreads and operations the request does not run.
    "an unused fragment": (
        "{ viewer { role } } fragment X on Query { " + FLOOD[1:],
        "overlaps",
    ),
    "another operation": ("query A { viewer { role } } query B " + FLOOD, "overlaps"),
}


@pytest.mark.parametrize("name", HIDDEN_BY_FRAGMENTS)
async def test_fragments_and_other_definitions_do_not_hide_the_work(client, validations, name):
    document, limit = HIDDEN_BY_FRAGMENTS[name]
    async with client.anonymous() as anonymous:
        body = (
            await anonymous.http.post("/graphql", json={"query": document, "operationName": "A"})
            if name == "another operation"
            else await anonymous.http.post("/graphql", json={"query": document})
        ).json()
    assert _refusal(body)[0] == limit
    assert validations == []


async def test_the_limits_are_settings_and_count_fields_and_pairs(make_client, settings):
    twice = "{ viewer { role } viewer { role } }"  # 4 fields; pairs: viewer and role
    strict = replace(settings.limits, max_fields=4, max_overlaps=2)
    async with make_client(limits=strict) as client:
        assert (await client(twice))["viewer"]["role"] == "ADMIN"
        assert _refusal(await client.raw("{ viewer { role role role } }")) == ("overlaps", 3, 2)
        five = "{ viewer { role } __typename x: __typename y: __typename }"
        assert _refusal(await client.raw(five))[:2] == ("fields", 5)


async def test_get_and_persisted_queries_are_bounded_the_same_way(client, validations):
    by_get = await client.http.get("/graphql", params={"query": FLOOD})
    assert _refusal(by_get.json())[0] == "overlaps"
    registered = await client.http.post(
        "/graphql", json={"query": FLOOD, "extensions": _apq(FLOOD)}
    )
    assert _refusal(registered.json())[0] == "overlaps"
    # A refused text is never kept: its hash alone is still unknown.
    by_hash = await client.http.post("/graphql", json={"extensions": _apq(FLOOD)})
    assert by_hash.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert validations == []


def test_websocket_subscriptions_are_bounded_the_same_way(settings, validations):
    flood = "subscription " + FLOOD.replace("viewer{role}", "jobChanged{ cursor }")
    with (
        TestClient(create_app(settings)) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        token = bearer(settings, Role.ADMIN)["Authorization"]
        ws.send_json({"type": "connection_init", "payload": {"authorization": token}})
        assert ws.receive_json()["type"] == "connection_ack"
        validations.clear()  # the partner manifest's, at start-up
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": flood}})
        refused = ws.receive_json()
    assert refused["id"] == "1" and refused["type"] == "error", json.dumps(refused)[:300]
    assert [e["extensions"]["code"] for e in refused["payload"]] == ["QUERY_TOO_COMPLEX"]
    assert validations == []
