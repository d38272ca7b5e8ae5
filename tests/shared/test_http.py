"""The HTTP surface: health, readiness, GraphiQL, WebSocket protocols, error masking."""

from __future__ import annotations

import logging
from dataclasses import replace

from tests.support.graphql import GraphQLClient
from tests.support.sockets import acknowledged_websocket


async def test_healthz(client):
    response = await client.http.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_with_in_process_pubsub(client):
    response = await client.http.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["pubsub"] == "ok"


async def test_readyz_pings_redis(settings, redis_url):
    async with GraphQLClient.for_settings(replace(settings, redis_url=redis_url)) as client:
        response = await client.http.get("/readyz")
    assert response.status_code == 200


async def test_readyz_is_503_when_redis_is_unreachable(settings, caplog):
    unreachable = replace(settings, redis_url="redis://127.0.0.1:1/0")
    caplog.set_level(logging.WARNING)
    async with GraphQLClient.for_settings(unreachable) as client:
        response = await client.http.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["pubsub"]
    assert response.json()["checks"]["pubsub"] == "unavailable"
    assert "ConnectionError" not in response.text  # detail stays in the log


async def test_graphiql_on_browser_get_and_not_when_disabled(make_client):
    # CDN assets: the same page whether or not the local ones are installed (test_graphiql).
    async with make_client(graphiql_assets="cdn") as cdn:
        page = await cdn.http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    # It opens with how to authenticate, and a header template in the Headers tab.
    assert "uv run app.py token --role admin" in page.text
    assert "Bearer &lt;paste" in page.text or "Bearer <paste" in page.text
    async with make_client(graphiql=False) as closed:
        page = await closed.http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 404


async def test_queries_over_get(client):
    response = await client.http.get(
        "/graphql", params={"query": "{ productFamilies { totalCount } }"}
    )
    assert response.json() == {
        "data": {"productFamilies": {"totalCount": 0}},
        "extensions": {"cost": {"requested": 1, "maximum": 10_000}},
    }


async def test_mutations_are_refused_over_get(client):
    # GET is for queries only (API.md); the exact status (405) is the persisted-queries
    # issue's GraphQL-over-HTTP work.
    response = await client.http.get(
        "/graphql",
        params={"query": 'mutation { createCategory(input: {name: "x"}) { errors { code } } }'},
    )
    assert response.status_code >= 400
    assert (await client("{ categories { totalCount } }"))["categories"]["totalCount"] == 0


def test_graphql_transport_ws_answers_a_query(settings):
    with acknowledged_websocket(settings, "graphql-transport-ws") as ws:
        assert ws.accepted_subprotocol == "graphql-transport-ws"
        ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": "{ productFamilies { totalCount } }"},
            }
        )
        message = ws.receive_json()
        assert message == {
            "id": "1",
            "type": "next",
            "payload": {
                "data": {"productFamilies": {"totalCount": 0}},
                "extensions": {"cost": {"requested": 1, "maximum": 10_000}},
            },
        }
        assert ws.receive_json() == {"id": "1", "type": "complete"}


def test_legacy_graphql_ws_handshake(settings):
    with acknowledged_websocket(settings, "graphql-ws") as ws:
        assert ws.accepted_subprotocol == "graphql-ws"


def _receive(ws, *, skipping=("ka", "ping", "pong")):
    """The next message that is not a keep-alive."""
    while True:
        message = ws.receive_json()
        if message["type"] not in skipping:
            return message


def _errors_logged(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_legacy_graphql_ws_runs_queries_and_mutations(settings, caplog):
    caplog.set_level(logging.INFO)
    mutation = 'mutation { createCategory(input: {name: "Tops"}) { errors { code } } }'
    with acknowledged_websocket(settings, "graphql-ws") as ws:
        for operation_id, query, data in (
            ("1", "{ viewer { role } }", {"viewer": {"role": "ADMIN"}}),
            ("2", mutation, {"createCategory": {"errors": []}}),
            ("3", "{ categories { totalCount } }", {"categories": {"totalCount": 1}}),
        ):
            ws.send_json({"type": "start", "id": operation_id, "payload": {"query": query}})
            message = _receive(ws)
            assert (message["type"], message["id"]) == ("data", operation_id), message
            assert message["payload"]["data"] == data
            assert "errors" not in message["payload"]
            assert _receive(ws) == {"type": "complete", "id": operation_id}
    assert _errors_logged(caplog) == []


def test_an_operation_that_cannot_run_is_an_error_and_the_socket_stays_open(settings, caplog):
    # graphql-transport-ws: a document that does not parse, or names no operation it holds,
    # is that operation's `error` message; the connection and its other operations go on.
    caplog.set_level(logging.INFO)
    with acknowledged_websocket(settings, "graphql-transport-ws") as ws:
        for operation_id, payload, expected in (
            ("1", {"query": "subscription { notificationAdded { "}, "Syntax Error"),
            ("2", {"query": "subscription { notificationAdded { nope } }"}, "nope"),
            ("3", {"query": "query A { viewer { role } }", "operationName": "B"}, "B"),
            ("4", {"query": "{ viewer { role } } # \ud800"}, "lone surrogate"),
            ("5", {"query": "query A { viewer { nope } }", "operationName": "B"}, "B"),
        ):
            ws.send_json({"id": operation_id, "type": "subscribe", "payload": payload})
            message = _receive(ws)
            assert (message["type"], message["id"]) == ("error", operation_id), message
            assert expected in message["payload"][0]["message"]
        ws.send_json({"id": "6", "type": "subscribe", "payload": {"query": "{ viewer { role } }"}})
        message = _receive(ws)
        assert message["type"] == "next" and message["payload"]["data"] == {
            "viewer": {"role": "ADMIN"}
        }
        assert _receive(ws) == {"id": "6", "type": "complete"}
    assert _errors_logged(caplog) == []


async def test_unexpected_errors_are_masked_with_a_request_id(client, monkeypatch, caplog):
    from resolvers.catalog import resolution

    async def explode(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM passwords /srv/app/resolvers.py")

    monkeypatch.setattr("schema.catalog.types.resolve_manufacturer", explode)
    assert resolution.resolve_manufacturer is not explode
    from tests.support import factories

    await factories.product(client)
    caplog.set_level(logging.ERROR)
    body = await client.raw(
        "{ products { edges { node { name resolvedManufacturer { source } } } } }"
    )
    (error,) = body["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    request_id = error["extensions"]["requestId"]
    assert request_id and "SELECT" not in str(body)
    assert any(request_id in record.getMessage() for record in caplog.records)
