"""GraphQL over HTTP: media types, statuses for request errors, GET for queries only."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

GRAPHQL_RESPONSE = "application/graphql-response+json"
MANIFEST = Path(__file__).resolve().parent.parent / "persisted/partners/manifest.json"
MUTATION = 'mutation { createCategory(input: {name: "Tops"}) { errors { code } } }'


async def test_a_document_that_does_not_parse_is_400_with_the_error(client):
    for accept in (GRAPHQL_RESPONSE, "application/json"):
        response = await client.http.post(
            "/graphql", json={"query": "{ viewer { "}, headers={"Accept": accept}
        )
        assert response.status_code == 400, accept
        (error,) = response.json()["errors"]
        assert error["message"].startswith("Syntax Error")
        assert response.json()["data"] is None


async def test_a_document_that_does_not_validate_is_400(client):
    response = await client.http.post("/graphql", json={"query": "{ viewer { shoeSize } }"})
    assert response.status_code == 400
    assert "shoeSize" in response.json()["errors"][0]["message"]
    wrong_variable = await client.http.post(
        "/graphql",
        json={
            "query": "query($n: Int!) { products(first: $n) { totalCount } }",
            "variables": {"n": "x"},
        },
    )
    assert wrong_variable.status_code == 400


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
    manifest_id = json.loads(MANIFEST.read_text())["operations"][0]["id"]
    response = await client.http.get(
        "/graphql", params={"documentId": manifest_id}, headers={"Accept": "*/*"}
    )
    assert response.headers["content-type"].startswith("application/json")
    assert "data" in response.json()
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" in page.text.lower()
