"""What the request hot path keeps between requests, and the JSON it writes (issue #7)."""

from __future__ import annotations

import json

import graphql
import pytest

from schema.json_codec import dumps, loads
from tests import factories

FAMILY_BY_CODE = "query($code: String!) { productFamily(code: $code) { code name } }"


def _count_parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every place a document is parsed or validated on the way to execution."""
    calls: list[str] = []

    def counting(name, real):
        def wrapper(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    for module in ("schema.limits", "strawberry.schema.schema", "schema.persisted.documents"):
        monkeypatch.setattr(f"{module}.parse", counting("parse", graphql.parse))
    monkeypatch.setattr("strawberry.schema.schema.validate", counting("validate", graphql.validate))
    return calls


async def test_a_text_sent_in_full_is_parsed_and_validated_once(client, monkeypatch):
    first = await factories.family(client, name="Wrestling")
    second = await factories.family(client, name="Basics")
    calls = _count_parsing(monkeypatch)

    answers = [
        await client(FAMILY_BY_CODE, {"code": code})
        for code in (first["code"], second["code"], first["code"])
    ]

    assert [a["productFamily"]["name"] for a in answers] == ["Wrestling", "Basics", "Wrestling"]
    assert calls.count("parse") == 1 and calls.count("validate") == 1


async def test_a_text_that_does_not_validate_is_refused_every_time_and_never_kept(client):
    query = "{ productFamilies { nope } }"
    bodies = [(await client.post(query)).json() for _ in range(2)]

    assert bodies[0]["errors"][0]["message"] == bodies[1]["errors"][0]["message"]
    assert "nope" in bodies[0]["errors"][0]["message"]
    assert len(client.app.state.persisted_queries.adhoc_cache) == 0


async def test_answers_carry_text_in_any_language(client):
    created = await factories.family(client, name="Ünïcode Çafé 工場")
    data = await client(FAMILY_BY_CODE, {"code": created["code"]})
    assert data["productFamily"]["name"] == "Ünïcode Çafé 工場"


def test_json_beyond_what_orjson_represents_still_encodes_and_decodes():
    huge = 2**70  # free-form JSON metadata may hold integers beyond 64 bits
    assert json.loads(dumps({"n": huge, "s": "é"})) == {"n": huge, "s": "é"}
    assert loads(json.dumps({"n": huge})) == {"n": huge}
    with pytest.raises(json.JSONDecodeError):
        loads("{not json")
