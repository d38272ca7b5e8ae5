"""A client's mistake is logged at INFO at most, never ERROR; our own faults are logged at
ERROR with their traceback and reach the client masked (issue 23, defect 7)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from typing import Any

import pytest

from auth.permissions import Role
from resolvers.ids import encode_id
from schema import limits
from tests.support.hostile_load import FLOOD

ALIAS_FLOOD = "{ " + " ".join(f"a{i}: viewer {{ role }}" for i in range(40)) + " }"
MISSING_FAMILY = encode_id("ProductFamily", uuid.UUID(int=1))

# name: (role or None for anonymous, document, variables, the code the client gets, or the
# start of the message of a GraphQL request error, which has no code)
CLIENT_MISTAKES = {
    "bad syntax": (Role.SALES, "{ viewer { role }", None, "Syntax Error"),
    "unknown field": (Role.SALES, "{ nope }", None, "Cannot query field 'nope'"),
    "bad variable type": (
        Role.SALES,
        "query($n: Int) { productFamilies(first: $n) { totalCount } }",
        {"n": "many"},
        "Variable '$n' has invalid value",
    ),
    "bad enum value": (
        Role.SALES,
        "{ productFamilies(orderBy: {field: NOPE}) { totalCount } }",
        None,
        "Value 'NOPE' does not exist",
    ),
    "bad custom scalar": (
        Role.ADMIN,
        "query($d: DateTime) { orders(filter: {createdAfter: $d}) { totalCount } }",
        {"d": "yesterday"},
        "BAD_USER_INPUT",
    ),
    "forbidden field": (Role.SALES, "{ apiKeys { totalCount } }", None, "FORBIDDEN"),
    "unauthenticated": (None, "{ productFamilies { totalCount } }", None, "UNAUTHENTICATED"),
    "bad ID": (Role.SALES, '{ node(id: "zzz") { id } }', None, "BAD_USER_INPUT"),
    "page too large": (
        Role.SALES,
        "{ productFamilies(first: 1000) { totalCount } }",
        None,
        "BAD_USER_INPUT",
    ),
    "over the alias limit": (Role.SALES, ALIAS_FLOOD, None, "QUERY_TOO_COMPLEX"),
    "validation flood": (Role.CUSTOMER, FLOOD, None, "QUERY_TOO_COMPLEX"),
    "invalid mutation input": (
        Role.ADMIN,
        'mutation { createProductFamily(input: {code: "bad code", name: ""}) { errors { code } } }',
        None,
        "VALIDATION",
    ),
    "missing record": (
        Role.ADMIN,
        'mutation($id: ID!) { updateProductFamily(input: {id: $id, name: "X"}) '
        "{ errors { code } } }",
        {"id": MISSING_FAMILY},
        "NOT_FOUND",
    ),
}


def _codes(body: dict[str, Any]) -> list[str]:
    """Top-level error codes (or messages, for errors without one) and payload error codes."""
    found = [
        (e.get("extensions") or {}).get("code") or e["message"] for e in body.get("errors") or []
    ]
    for payload in (body.get("data") or {}).values():
        if isinstance(payload, dict):
            found += [e["code"] for e in payload.get("errors") or []]
    return found


@pytest.mark.parametrize("name", CLIENT_MISTAKES)
async def test_a_client_mistake_is_never_logged_as_an_error(client, caplog, name):
    role, document, variables, expected = CLIENT_MISTAKES[name]
    caplog.set_level(logging.DEBUG)
    caller = client.anonymous() if role is None else client.as_role(role, customer_id=uuid.uuid4())
    async with caller:
        response = await caller.post(document, variables)
    codes = _codes(response.json())
    assert any(code.startswith(expected) for code in codes), codes
    assert "INTERNAL_SERVER_ERROR" not in codes
    assert response.status_code < 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("opsgraph"))


async def test_a_fault_before_execution_is_masked_and_logged_as_an_error(
    client, caplog, monkeypatch
):
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("SELECT secret FROM product_families")

    monkeypatch.setattr(limits, "measure", broken)
    response = await client.post("{ productFamilies { totalCount } }")
    (error,) = response.json()["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "SELECT" not in response.text
    request_id = error["extensions"]["requestId"]
    (logged,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert request_id in logged.getMessage() and logged.exc_info is not None
    assert "SELECT secret" in str(logged.exc_info[1])


async def test_a_spent_rate_limit_is_not_logged_as_an_error(make_client, settings, caplog):
    caplog.set_level(logging.DEBUG)
    async with make_client(limits=replace(settings.limits, rate_per_minute=2)) as client:
        answers = [await client.post("{ viewer { role } }") for _ in range(3)]
    assert answers[-1].status_code == 429
    assert _codes(answers[-1].json()) == ["RATE_LIMITED"]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
