"""A query text with a lone surrogate (a JSON `\\ud800` escape: no UTF-8 encoding exists for
it) is the client's syntax error, whether sent in full or as an automatic persisted query."""

from __future__ import annotations

import json
import logging

import pytest

QUERY = '{ productFamily(code: "A\ud800") { id } }'
APQ = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}


@pytest.mark.parametrize("extensions", [None, APQ], ids=["query", "apq"])
async def test_a_lone_surrogate_in_the_text_is_a_syntax_error(client, caplog, extensions):
    caplog.set_level(logging.INFO)
    body = json.dumps({"query": QUERY, "extensions": extensions})  # ensure_ascii: \ud800
    assert "\\ud800" in body

    response = await client.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code < 500
    (error,) = response.json()["errors"]
    code = (error.get("extensions") or {}).get("code")
    assert code != "INTERNAL_SERVER_ERROR"
    if extensions is None:
        assert error["message"].startswith("Syntax Error: Invalid character within String")
    else:
        assert code == "PERSISTED_QUERY_HASH_MISMATCH"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
