"""Sends fuzzed operations through the in-process app and records what went wrong.

A problem is anything a client must never see or cause: an HTTP 5xx, an error with code
INTERNAL_SERVER_ERROR, a log record at ERROR or above, or a database connection still
checked out once the response is complete. Problems are collected rather than raised so one
run reports every kind at once, each with its shortest operation.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.support.fuzz.operations import Operation
from tests.support.graphql import GraphQLClient


@dataclass(frozen=True)
class Problem:
    role: str
    field: str
    kind: str  # "HTTP 500, ...", "INTERNAL_SERVER_ERROR", "ERROR log <logger>: <exception>"
    operation: Operation


class ErrorRecords(logging.Handler):
    """Keeps the log records at ERROR or above, from every logger."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class FuzzRun:
    loop: asyncio.AbstractEventLoop
    errors: ErrorRecords
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    # How operations were answered, per role: "data", or the first error's code.
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    problems: dict[tuple[str, str, str], Problem] = field(default_factory=dict)

    def send(self, client: GraphQLClient, role: str, operation: Operation) -> None:
        self.counts[role, operation.field] += 1
        self.errors.records.clear()
        pool = client.app.state.database.engine.pool
        checked_out = pool.checkedout()
        # ensure_ascii: a lone surrogate travels as a `\ud800` escape, as a hostile client's would.
        body = json.dumps({"query": operation.document, "variables": operation.variables})
        request = client.http.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        kinds = []
        try:
            response = self.loop.run_until_complete(request)
        except Exception as exc:  # escaped the app: a server would answer 500
            kinds.append(f"HTTP 500, unhandled {_cause(exc)}")
        else:
            if response.status_code >= 500:
                kinds.append(f"HTTP {response.status_code}")
            outcome = _outcome(response.status_code, response.content)
            self.outcomes[role, outcome] += 1
            if outcome == "INTERNAL_SERVER_ERROR":
                kinds.append(outcome)
        for record in self.errors.records:
            cause = record.exc_info[1] if record.exc_info else None
            detail = _cause(cause) if cause else record.getMessage()[:80]
            kinds.append(f"ERROR log {record.name}: {detail}")
        if pool.checkedout() > checked_out:
            kinds.append("database connection left checked out")
        for kind in kinds:
            self._record(Problem(role, operation.field, kind, operation))

    def _record(self, problem: Problem) -> None:
        key = (problem.role, problem.field, problem.kind)
        known = self.problems.get(key)
        if known is None or len(_shown(problem.operation)) < len(_shown(known.operation)):
            self.problems[key] = problem

    def summary(self) -> str:
        lines = ["operations per role and root field:"]
        by_role = Counter[str]()
        for (role, name), count in sorted(self.counts.items()):
            by_role[role] += count
            lines.append(f"  {role:>12} {name:<36} {count}")
        for role, count in sorted(by_role.items()):
            answers = ", ".join(
                f"{outcome} {n}" for (who, outcome), n in self.outcomes.most_common() if who == role
            )
            lines.append(f"  {role}: {count} operations ({answers})")
        return "\n".join(lines)

    def report(self) -> str:
        lines = [f"{len(self.problems)} kinds of problem:"]
        for (role, name, kind), problem in sorted(self.problems.items()):
            lines.append(f"- {role} {name}: {kind}\n    {_shown(problem.operation)}")
        return "\n".join(lines)


def _cause(exc: BaseException) -> str:
    """The exception at the root of a chain, by type: one kind of problem however many
    positions or values it showed up with."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return type(exc).__name__


def _outcome(status: int, content: bytes) -> str:
    """ "data" for an answer without errors, else the first error's code (or the status)."""
    try:
        body: Any = json.loads(content)
    except ValueError:
        return f"HTTP {status}"
    errors = body.get("errors") if isinstance(body, dict) else None
    if not errors:
        return "data"
    if any(_code(error) == "INTERNAL_SERVER_ERROR" for error in errors):
        return "INTERNAL_SERVER_ERROR"
    return _code(errors[0]) or f"HTTP {status}"


def _code(error: Any) -> str | None:
    extensions = error.get("extensions") if isinstance(error, dict) else None
    code = extensions.get("code") if isinstance(extensions, dict) else None
    return code if isinstance(code, str) else None


# One character, or one escape of one, repeated: shown once with its count.
_RUN = re.compile(r"(\\+(?:u[0-9a-f]{4}|x[0-9a-f]{2}|U[0-9a-f]{8})|[^\\])\1{15,}")


def _shown(operation: Operation) -> str:
    """The operation on one line, escapes visible, long runs of a character counted."""
    text = ascii(" ".join(operation.document.split())) + " " + ascii(operation.variables)
    text = _RUN.sub(lambda run: f"<{run[1]} x{len(run[0]) // len(run[1])}>", text)
    return text if len(text) <= 800 else text[:800] + "…"
