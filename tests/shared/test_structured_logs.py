"""Structured logs (issue 30, item 2): with the JSON format every line is one JSON object
carrying the request id; every GraphQL operation gets one access line with its name, type,
duration, SQL count and document hash; and no secret sent to the API reaches a log."""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from auth.permissions import Role
from observability.logs import JsonFormatter
from schema import limits
from tests.support.graphql import bearer
from tests.support.live import ServedApp, process_environment

# Planted values: a bank account, a tax ID and a bearer token that must never be logged.
ACCOUNT = "GB29NWBK60161331926819"
TAX_ID = "98-7654321"
TOKEN = "eyJplanted.token.never-logged"
PLANTED = (ACCOUNT, TAX_ID, TOKEN)

CREATE = """
mutation CreateMaker($input: CreateManufacturerInput!) {
  createManufacturer(input: $input) { manufacturer { id } errors { code field } }
}"""
VIEWER = "query WhoAmI { viewer { role } }"


class Captured:
    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def lines(self) -> list[dict[str, Any]]:
        """Every line so far, parsed (each must be one JSON object)."""
        return [json.loads(line) for line in self.buffer.getvalue().splitlines()]


@contextmanager
def captured_json() -> Iterator[Captured]:
    """Every line logged in the block, through the JSON formatter of OPSGRAPH_LOG_FORMAT=json."""
    captured = Captured()
    handler = logging.StreamHandler(captured.buffer)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield captured
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


async def test_json_lines_for_a_query_a_mutation_refusals_and_a_fault(
    client, monkeypatch, make_client, settings
):
    ids: dict[str, str] = {}
    with captured_json() as captured:
        query = await client.post(VIEWER)
        ids["query"] = query.headers["x-request-id"]
        created = await client.post(
            CREATE, {"input": {"name": "Planted Ltd", "bankAccount": ACCOUNT, "taxId": TAX_ID}}
        )
        assert created.json()["data"]["createManufacturer"]["errors"] == []
        ids["mutation"] = created.headers["x-request-id"]
        # A secret sent where it does not fit: graphql-core quotes it in its error message.
        misplaced = await client.post(
            'mutation Misplaced($n: Int) { createManufacturer(input: {name: "x", '
            "avgLeadTimeDays: $n}) { errors { code } } }",
            {"n": ACCOUNT},
        )
        assert misplaced.json()["errors"]
        ids["misplaced"] = misplaced.headers["x-request-id"]
        async with client.with_headers({"Authorization": f"Bearer {TOKEN}"}) as intruder:
            refused = await intruder.post(VIEWER)
        assert refused.status_code == 401
        ids["unauthenticated"] = refused.headers["x-request-id"]
        async with make_client(limits=replace(settings.limits, rate_per_minute=1)) as stingy:
            spent = await stingy.post(VIEWER)
            ids["spending"] = spent.headers["x-request-id"]
            limited = await stingy.post(VIEWER)
        assert limited.status_code == 429
        ids["rate limited"] = limited.headers["x-request-id"]

        def broken(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError("the measure broke")

        monkeypatch.setattr(limits, "measure", broken)
        fault = await client.post(CREATE, {"input": {"name": "y", "bankAccount": ACCOUNT}})
        (error,) = fault.json()["errors"]
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        ids["fault"] = fault.headers["x-request-id"]

    text = captured.buffer.getvalue()
    for secret in PLANTED:
        assert secret not in text, f"{secret!r} was logged"
    # Every line parses; the test's HTTP client (httpx) logs its own, outside any request.
    lines = [line for line in captured.lines() if line["logger"] != "httpx"]
    assert [line for line in lines if line["request_id"] not in ids.values()] == []
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)

    def access(request: str) -> dict[str, Any]:
        (line,) = [
            line
            for line in lines
            if line["logger"] == "opsgraph.access" and line["request_id"] == ids[request]
        ]
        return line

    read = access("query")
    assert (read["operation"], read["operation_type"], read["transport"]) == (
        "WhoAmI",
        "query",
        "http",
    )
    assert read["status"] == "ok" and read["role"] == "admin" and read["actor_id"]
    assert read["document_hash"] == hashlib.sha256(VIEWER.encode()).hexdigest()
    assert read["duration_ms"] > 0 and read["cost"] >= 1 and read["sql_count"] >= 0
    assert VIEWER not in text  # the hash, never the document
    written = access("mutation")
    assert (written["operation"], written["operation_type"]) == ("CreateMaker", "mutation")
    assert written["sql_count"] > 0
    assert access("misplaced")["error_codes"] == ["GRAPHQL_ERROR"]
    # A line logged during an operation (its client error) names the operation too.
    (mistake,) = [
        line
        for line in lines
        if line["logger"] == "opsgraph.errors" and line["request_id"] == ids["misplaced"]
    ]
    assert (mistake["operation"], mistake["operation_type"]) == ("Misplaced", "mutation")
    assert "value not logged" in mistake["message"]
    assert access("unauthenticated")["error_codes"] == ["UNAUTHENTICATED"]
    assert access("rate limited")["error_codes"] == ["RATE_LIMITED"]
    assert access("fault")["error_codes"] == ["INTERNAL_SERVER_ERROR"]
    (trace,) = [
        line for line in lines if line["request_id"] == ids["fault"] and "exception" in line
    ]
    assert trace["level"] == "ERROR" and "the measure broke" in trace["exception"]


async def test_a_served_process_logs_only_json_lines(settings, tmp_path: Path) -> None:
    """`app.py` with OPSGRAPH_LOG_FORMAT=json: uvicorn's lines too (start-up, shutdown)."""
    environ = {
        **process_environment(settings, tmp_path),
        "OPSGRAPH_LOG_FORMAT": "json",
        "OPSGRAPH_GRAPHIQL": "0",
    }
    app = ServedApp(environ, tmp_path / "app.log")
    async with (
        app,
        httpx.AsyncClient(base_url=app.url, headers=bearer(settings, Role.ADMIN)) as http,
    ):
        answer = await http.post(
            "/graphql", json={"query": VIEWER, "variables": {"unused": ACCOUNT}}
        )
        assert answer.status_code == 200
        await http.get("/graphql", params={"query": VIEWER, "variables": json.dumps({"x": TAX_ID})})
    log = app.log()
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]  # each parses
    assert any(line["logger"] == "opsgraph.access" for line in lines)
    assert any(line["logger"].startswith("uvicorn") for line in lines)
    for secret in PLANTED:
        assert secret not in log


def test_the_json_formatter_keeps_known_fields_and_the_traceback() -> None:
    """Sanity of the formatter itself on a line with an exception and extra fields."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("opsgraph.test_json")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logger.error("failed", exc_info=True, extra={"duration_ms": 1.5, "secret": "x"})
    finally:
        logger.removeHandler(handler)
    (line,) = [json.loads(text) for text in buffer.getvalue().splitlines()]
    assert line["level"] == "ERROR" and line["logger"] == "opsgraph.test_json"
    assert line["message"] == "failed" and line["duration_ms"] == 1.5
    assert "ValueError: boom" in line["exception"]
    assert "secret" not in line  # only the known fields are taken from `extra`
    assert {"time", "request_id"} <= line.keys()
