"""Prepared documents: a GraphQL text parsed and validated once, then reused by hash.

A persisted query is known by the SHA-256 of its text (Apollo's APQ hash, and the id of a
manifest operation). Once a text has parsed and validated against the schema, its
`PreparedDocument` is kept, so a request naming it by hash skips both steps.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    get_operation_ast,
    parse,
    specified_rules,
)
from strawberry.schema.schema import validate_document
from strawberry.types.graphql import OperationType

from schema.limits import parse_bounded
from settings import QueryLimits


def sha256_hex(text: str) -> str:
    # surrogatepass: JSON may escape a lone surrogate into any text (a comment, say); the
    # hash must not fail on it, and the parser or schema/input_checks.py refuses it as input.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class PreparedDocument:
    """A text that parsed and validated against the schema."""

    sha256: str
    body: str
    document: DocumentNode

    def operation_type(self, operation_name: str | None) -> OperationType | None:
        """The type of the operation `operation_name` picks (None: no such operation; the
        execution reports it)."""
        operation = get_operation_ast(self.document, operation_name)
        return OperationType(operation.operation.value) if operation is not None else None

    @property
    def operations(self) -> list[OperationDefinitionNode]:
        return [d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)]


def prepare(
    schema: GraphQLSchema, body: str, *, max_tokens: int, limits: QueryLimits
) -> PreparedDocument | None:
    """The prepared document, or None when the text does not parse (within the token limit),
    would cost validation more than the limits allow, or does not validate. None is never
    cached: the ordinary execution path then reports the errors."""
    document, errors = parse_and_validate(schema, body, max_tokens=max_tokens, limits=limits)
    if document is None or errors:
        return None
    return PreparedDocument(sha256=sha256_hex(body), body=body, document=document)


def parse_and_validate(
    schema: GraphQLSchema,
    body: str,
    *,
    max_tokens: int | None = None,
    limits: QueryLimits | None = None,
) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """The parsed document (None when it does not parse) and its errors, by the rules
    strawberry's own validation applies. With `limits`, a document that would cost
    validation more than they allow is refused before validation starts."""
    try:
        if limits is None:
            document = parse(body, max_lexical_tokens=max_tokens)
        else:
            document, refusals = parse_bounded(body, max_tokens=max_tokens, limits=limits)
            if refusals:
                return document, refusals
    except GraphQLError as error:
        return None, [error]
    return document, validate_document(schema, document, tuple(specified_rules))


class PreparedCache:
    """The prepared documents this process knows, least recently used dropped first."""

    def __init__(self, max_size: int) -> None:
        self._max_size = max_size
        self._entries: OrderedDict[str, PreparedDocument] = OrderedDict()

    def get(self, sha256: str) -> PreparedDocument | None:
        prepared = self._entries.get(sha256)
        if prepared is not None:
            self._entries.move_to_end(sha256)
        return prepared

    def put(self, prepared: PreparedDocument) -> None:
        self._entries[prepared.sha256] = prepared
        self._entries.move_to_end(prepared.sha256)
        while len(self._entries) > self._max_size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
