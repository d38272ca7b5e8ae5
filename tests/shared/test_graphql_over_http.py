"""GraphQL over HTTP: media types, statuses for request errors, GET for queries only."""

from __future__ import annotations

import hashlib
import json
import logging

import pytest

from tests.support.persisted import MANIFEST

GRAPHQL_RESPONSE = "application/graphql-response+json"
MUTATION = 'mutation { createCategory(input: {name: "Tops"}) { errors { code } } }'


async def test_a_document_that_does_not_parse_is_a_request_error_without_data(client):
    # GraphQL over HTTP: 400 for clients of application/graphql-response+json, 200 for
    # legacy application/json ones; nothing ran, so there is no `data` key at all.
    for accept, status in ((GRAPHQL_RESPONSE, 400), ("application/json", 200)):
        response = await client.http.post(
            "/graphql", json={"query": "{ viewer { "}, headers={"Accept": accept}
        )
        assert response.status_code == status, accept
        (error,) = response.json()["errors"]
        assert error["message"].startswith("Syntax Error")
        assert "data" not in response.json(), accept


async def test_a_document_that_does_not_validate_is_a_request_error_without_data(client):
    wrong_variable = {
        "query": "query($n: Int!) { products(first: $n) { totalCount } }",
        "variables": {"n": "x"},
    }
    for accept, status in ((GRAPHQL_RESPONSE, 400), ("application/json", 200)):
        headers = {"Accept": accept}
        response = await client.http.post(
            "/graphql", json={"query": "{ viewer { shoeSize } }"}, headers=headers
        )
        assert response.status_code == status, accept
        assert "shoeSize" in response.json()["errors"][0]["message"]
        assert "data" not in response.json(), accept
        coerced = await client.http.post("/graphql", json=wrong_variable, headers=headers)
        assert coerced.status_code == status, accept
        assert "data" not in coerced.json(), accept


async def test_errors_while_executing_keep_200_with_data(client):
    # A field the caller may not read is a field error, not a request error.
    response = await client.anonymous().http.post(
        "/graphql", json={"query": "{ viewer { role } categories { totalCount } }"}
    )
    # `categories` is non-null, so its error nulls `data`: still 200, the error has a path.
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED" and error["path"] == ["categories"]


async def test_the_response_media_type_follows_accept(client):
    query = {"query": "{ viewer { role } }"}
    for accept, expected in (
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
        ("application/json", "application/json"),
        (None, "application/json"),
    ):
        headers = {"Accept": accept} if accept else {}
        response = await client.http.post("/graphql", json=query, headers=headers)
        assert response.headers["content-type"].split(";")[0] == expected, accept
        assert response.json()["data"] == {"viewer": {"role": "ADMIN"}}


async def test_a_mutation_sent_by_get_is_405_and_changes_nothing(client):
    response = await client.http.get("/graphql", params={"query": MUTATION})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert (await client("{ categories { totalCount } }"))["categories"]["totalCount"] == 0

    # The same through a persisted hash: registered by POST (which runs it), refused by GET.
    sha256 = hashlib.sha256(MUTATION.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256}}
    await client.http.post("/graphql", json={"query": MUTATION, "extensions": extensions})
    by_get = await client.http.get("/graphql", params={"extensions": json.dumps(extensions)})
    assert by_get.status_code == 405 and by_get.headers["allow"] == "POST"
    assert (await client("{ categories { totalCount } }"))["categories"]["totalCount"] == 1


async def test_other_methods_are_405_naming_get_and_post(client):
    response = await client.http.put("/graphql", json={"query": "{ viewer { role } }"})
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_post_bodies_must_be_json_objects(client):
    as_text = await client.http.post(
        "/graphql", content="{ viewer { role } }", headers={"Content-Type": "text/plain"}
    )
    assert as_text.status_code == 415
    batch = await client.http.post("/graphql", json=[{"query": "{ viewer { role } }"}])
    assert batch.status_code == 400
    wrong_type = await client.http.post(
        "/graphql", json={"query": "{ viewer { role } }", "variables": [1]}
    )
    assert wrong_type.status_code == 400


async def test_a_persisted_get_from_any_client_is_an_operation_not_graphiql(client):
    operations = MANIFEST["operations"]
    manifest_id = next(op["id"] for op in operations if op["name"] == "PartnerViewer")
    response = await client.http.get(
        "/graphql", params={"documentId": manifest_id}, headers={"Accept": "*/*"}
    )
    assert response.headers["content-type"].startswith("application/json")
    assert "data" in response.json()
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" in page.text.lower()


def _error_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"query": "{ viewer { role } }\xff"}', id="invalid-utf8"),
        pytest.param(b'{"query": "\xed\xa0\x80"}', id="encoded-surrogate"),
        pytest.param(b'{"a":' * 15_000, id="15k-objects"),
        pytest.param(b"[" * 40_000 + b"]" * 40_000, id="40k-arrays"),
    ],
)
async def test_a_body_that_is_not_json_is_400_with_a_graphql_error(client, caplog, body):
    caplog.set_level(logging.INFO)
    response = await client.http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert _error_lines(caplog) == []


async def test_deep_variables_in_a_get_are_400_with_a_graphql_error(client, caplog):
    caplog.set_level(logging.INFO)
    response = await client.http.get(
        "/graphql",
        params={"query": "{ viewer { role } }", "variables": "[" * 10_000 + "]" * 10_000},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert _error_lines(caplog) == []


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ viewer { role } } # \ud800"},
        {"query": "{ viewer { role } }", "operationName": "\udfff"},
        {"documentId": "\ud800"},
    ],
)
async def test_a_lone_surrogate_in_the_request_itself_is_400(client, caplog, body):
    # Valid JSON (an escaped surrogate) that is not valid Unicode: the document, its
    # operation name and a document id are hashed and parsed, so they are refused first.
    caplog.set_level(logging.INFO)
    escaped = json.dumps(body).encode()
    assert b"\\ud" in escaped
    response = await client.http.post(
        "/graphql", content=escaped, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "lone surrogate" in error["message"]
    assert _error_lines(caplog) == []


SUBSCRIPTION = "subscription { notificationAdded { cursor } }"


async def test_a_subscription_over_http_is_refused_naming_the_websocket(client, caplog):
    caplog.set_level(logging.INFO)
    for caller in (client, client.anonymous()):
        by_post = await caller.http.post("/graphql", json={"query": SUBSCRIPTION})
        assert by_post.status_code == 400
        (error,) = by_post.json()["errors"]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert "ws://testserver/graphql" in error["message"]
        by_get = await caller.http.get(
            "/graphql", params={"query": SUBSCRIPTION}, headers={"Accept": "application/json"}
        )
        assert by_get.status_code == 405 and by_get.headers["allow"] == "POST"
        assert "ws://testserver/graphql" in by_get.json()["errors"][0]["message"]
    # A text too large to be kept prepared is refused by the execution itself.
    large = "#" + "x" * 20_000 + "\n" + SUBSCRIPTION
    assert (await client.http.post("/graphql", json={"query": large})).status_code == 400
    assert _error_lines(caplog) == []
