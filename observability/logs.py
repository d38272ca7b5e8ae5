"""Logs: one JSON object per line (OPSGRAPH_LOG_FORMAT=json, the production default) or
readable lines (development), configured once per process for the app and uvicorn alike.

Every line carries time, level, logger and the request id; within an operation also its
name and type, the transport, the actor's id and role (`bound`, a context variable the
operation's hook sets, so every line logged on its behalf gets them without passing them
around). The per-operation access line adds duration, SQL count, cost and the document's
hash: never its text or variables, which may hold bank or tax data. uvicorn's access line
would print a GET request's query string (a document and its variables), so it is left
out in JSON and has its query string cut in the readable form.
"""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

# Fields an operation binds for every line logged on its behalf.
_bound: ContextVar[dict[str, Any] | None] = ContextVar("opsgraph_log_fields", default=None)

# `extra=` keys that become JSON fields (anything else a library passes stays out).
EXTRA_FIELDS = (
    "duration_ms",
    "sql_count",
    "sql_ms",
    "cost",
    "document_hash",
    "status",
    "error_codes",
    "subscriptions",
    "close_code",
)


@contextmanager
def bound(**fields: Any) -> Iterator[dict[str, Any]]:
    """Fields every line logged inside the block carries (nested blocks add to the outer
    ones). The dict yielded may be filled in later (the actor once authenticated)."""
    outer = _bound.get()
    fields = {**(outer or {}), **{k: v for k, v in fields.items() if v is not None}}
    token = _bound.set(fields)
    try:
        yield fields
    finally:
        _bound.reset(token)


def bind(**fields: Any) -> None:
    """Add fields to the current block's (no-op outside one)."""
    current = _bound.get()
    if current is not None:
        current.update({k: v for k, v in fields.items() if v is not None})


def current_fields() -> dict[str, Any]:
    return dict(_bound.get() or {})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": None,
            # Which worker process (`--workers N`) wrote it.
            "pid": record.process,
        }
        line.update(_bound.get() or {})
        for name in EXTRA_FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    """Readable lines for development: `time level logger [request] message key=value`."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(where)s: %(message)s%(details)s")

    def format(self, record: logging.LogRecord) -> str:
        fields = _bound.get() or {}
        request_id = fields.get("request_id")
        record.where = f" [{request_id[:8]}]" if request_id else ""
        details = [
            f"{name}={record.__dict__[name]}" for name in EXTRA_FIELDS if name in record.__dict__
        ]
        record.details = (" " + " ".join(details)) if details else ""
        return super().format(record)


class WithoutQueryString(logging.Filter):
    """uvicorn's access line (`client - "GET /path?query HTTP/1.1" status`) without the query
    string: on /graphql it holds the document and its variables."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def logging_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for the app and uvicorn (uvicorn's `log_config`, so every
    worker process configures itself the same way)."""
    formatter = "json" if log_format == "json" else "text"
    handlers = {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": formatter,
            "stream": "ext://sys.stderr",
        }
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": JsonFormatter},
            "text": {"()": TextFormatter},
        },
        "filters": {"without_query_string": {"()": WithoutQueryString}},
        "handlers": {
            **handlers,
            "access": {**handlers["stderr"], "filters": ["without_query_string"]},
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            # uvicorn's own loggers go through the root's handler (one format for all lines).
            "uvicorn": {"level": level, "handlers": [], "propagate": True},
            "uvicorn.error": {"level": level, "handlers": [], "propagate": True},
            # Our access line is per GraphQL operation (opsgraph.access); uvicorn's per HTTP
            # request stays for the readable form only.
            "uvicorn.access": {
                "level": level if log_format == "text" else "WARNING",
                "handlers": ["access"],
                "propagate": False,
            },
        },
    }


def configure(log_format: str) -> None:
    logging.config.dictConfig(logging_config(log_format))
