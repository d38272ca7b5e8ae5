"""Hands a prepared document to the operation, so strawberry neither parses nor validates it.

The HTTP view and the WebSocket handlers run a persisted operation inside
`running(prepared)`; this extension, first in the schema's extensions, then sets the parsed
document before anyone parses (schema/limits.py parses only when no document is set) and
marks validation done. Everything else still runs: the limits measure the document and
charge its cost to the caller's rate limit, and permissions apply as for any text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from strawberry.extensions import SchemaExtension

from schema.persisted.documents import PreparedDocument

# A context variable rather than a request attribute: the WebSocket handlers run each
# operation in its own task, which copies the variable when it is created.
_current: ContextVar[PreparedDocument | None] = ContextVar("opsgraph_prepared", default=None)


@contextmanager
def running(prepared: PreparedDocument | None) -> Iterator[None]:
    token = _current.set(prepared)
    try:
        yield
    finally:
        _current.reset(token)


class PreparedDocuments(SchemaExtension):
    validated = False

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        prepared = _current.get()
        # The same text object the view passed in: never another operation's document.
        if (
            prepared is not None
            and context.graphql_document is None
            and context.query is prepared.body
        ):
            context.graphql_document = prepared.document
            self.validated = True
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.validated and context.pre_execution_errors is None:
            # An empty list: strawberry treats validation as done and found nothing.
            context.pre_execution_errors = []
        yield
