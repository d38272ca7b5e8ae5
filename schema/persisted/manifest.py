"""Trusted documents: the partners' approved operations, in Apollo's persisted-query
manifest format.

    {"format": "apollo-persisted-query-manifest", "version": 1,
     "operations": [{"id": sha256(body), "name": ..., "type": "query", "body": ...}]}

`build_manifest(DIR)` turns DIR's `.graphql` files (one named operation each, with the
fragments it uses) into that manifest, validating every operation against the current
schema; `load_manifest(path)` reads one back, checks it the same way and prepares each
operation, so a manifest the schema no longer accepts stops start-up rather than failing
partners one request at a time. An operation's id is the SHA-256 of its body, which is also
its APQ hash: clients may name it either way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema, OperationDefinitionNode, print_ast

from schema.persisted.documents import PreparedDocument, parse_and_validate, sha256_hex

FORMAT = "apollo-persisted-query-manifest"
VERSION = 1
MANIFEST_NAME = "manifest.json"
OPERATION_TYPES = ("query", "mutation", "subscription")


class ManifestError(Exception):
    """A manifest (or the operations it is built from) the schema does not accept; one line
    per problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class TrustedOperation:
    id: str
    name: str
    type: str
    prepared: PreparedDocument


@dataclass(frozen=True)
class Manifest:
    operations: Mapping[str, TrustedOperation]

    def get(self, document_id: str) -> TrustedOperation | None:
        return self.operations.get(document_id)

    def __len__(self) -> int:
        return len(self.operations)


EMPTY_MANIFEST = Manifest(operations={})


def build_manifest(schema: GraphQLSchema, directory: Path) -> dict[str, Any]:
    """The manifest of DIR's `.graphql` files, in file-name order."""
    problems: list[str] = []
    operations: list[dict[str, str]] = []
    files = sorted(directory.glob("*.graphql"))
    if not files:
        raise ManifestError([f"{directory}: no .graphql files"])
    for path in files:
        try:
            operations.append(_entry(schema, path.name, path.read_text(encoding="utf-8")))
        except ManifestError as exc:
            problems.extend(exc.problems)
    problems.extend(_duplicate_names(operations))
    if problems:
        raise ManifestError(problems)
    return {"format": FORMAT, "version": VERSION, "operations": operations}


def manifest_json(manifest: Mapping[str, Any]) -> str:
    """The committed form: stable key order and indentation, so rebuilding it unchanged
    leaves no diff."""
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def load_manifest(schema: GraphQLSchema, path: Path) -> Manifest:
    """A missing default manifest is an empty one (settings refuse a configured path that
    does not exist); anything malformed or invalid is a ManifestError."""
    if not path.is_file():
        return EMPTY_MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ManifestError([f"{path}: not readable JSON ({exc})"]) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise ManifestError([f"{path}: not an {FORMAT} version {VERSION}"])
    entries = raw.get("operations")
    if not isinstance(entries, list):
        raise ManifestError([f"{path}: `operations` must be a list"])
    problems: list[str] = []
    operations: dict[str, TrustedOperation] = {}
    for index, entry in enumerate(entries):
        try:
            operation = _trusted(schema, entry)
        except ManifestError as exc:
            problems.extend(f"{path} operation {index + 1}: {p}" for p in exc.problems)
            continue
        operations[operation.id] = operation
    if problems:
        raise ManifestError(problems)
    return Manifest(operations=operations)


def _entry(schema: GraphQLSchema, source: str, text: str) -> dict[str, str]:
    """One manifest entry for a file's text; its body is the canonical printed document, so
    formatting changes in the file do not change its id."""
    document, errors = parse_and_validate(schema, text)
    if document is None or errors:
        raise ManifestError(f"{source}: {_located(error)}" for error in errors)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].name is None:
        raise ManifestError([f"{source}: must hold exactly one named operation"])
    body = print_ast(document)
    return {
        "id": sha256_hex(body),
        "name": operations[0].name.value,
        "type": operations[0].operation.value,
        "body": body,
    }


def _trusted(schema: GraphQLSchema, entry: object) -> TrustedOperation:
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(key), str) for key in ("id", "name", "type", "body")
    ):
        raise ManifestError(["needs string `id`, `name`, `type` and `body`"])
    body: str = entry["body"]
    if entry["id"] != sha256_hex(body):
        raise ManifestError([f"{entry['name']}: `id` is not the SHA-256 of `body`"])
    document, errors = parse_and_validate(schema, body)
    if document is None or errors:
        raise ManifestError(f"{entry['name']}: {_located(error)}" for error in errors)
    prepared = PreparedDocument(sha256=entry["id"], body=body, document=document)
    operations = prepared.operations
    if len(operations) != 1 or operations[0].operation.value != entry["type"]:
        raise ManifestError([f"{entry['name']}: must hold one {entry['type']} operation"])
    return TrustedOperation(
        id=entry["id"], name=entry["name"], type=entry["type"], prepared=prepared
    )


def _duplicate_names(operations: list[dict[str, str]]) -> list[str]:
    seen: set[str] = set()
    duplicates: list[str] = []
    for operation in operations:
        if operation["name"] in seen:
            duplicates.append(f"operation name {operation['name']} is used twice")
        seen.add(operation["name"])
    return duplicates


def _located(error: Any) -> str:
    locations = getattr(error, "locations", None)
    if locations:
        return f"{error.message} (line {locations[0].line})"
    return str(error.message)
