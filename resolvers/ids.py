"""Opaque global IDs (Relay): base64url of "<TypeName>:<uuid>".

Clients must treat them as opaque; the type name inside lets `node(id:)` find any entity and
lets mutations refuse an ID of the wrong type.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from db.base import Entity
from domain.errors import ErrorCode, UserErrors
from domain.validation import camel
from resolvers.opaque import from_token, to_token


class InvalidGlobalId(ValueError):
    pass


@lru_cache(maxsize=65_536)  # lists encode the same rows' IDs request after request
def encode_id(type_name: str, pk: uuid.UUID) -> str:
    return to_token(f"{type_name}:{pk}")


def global_id_of(entity: Entity) -> str:
    """The global ID of a model instance (node types share their models' names)."""
    return encode_id(type(entity).__name__, entity.id)


def decode_id(global_id: str) -> tuple[str, uuid.UUID]:
    try:
        type_name, _, raw = from_token(global_id).partition(":")
        return type_name, uuid.UUID(raw)
    except ValueError as exc:
        raise InvalidGlobalId(f"{global_id!r} is not a valid ID") from exc


def decode_input_id(global_id: str, type_name: str, field: str) -> uuid.UUID:
    """Decode an ID argument of a mutation; a malformed or wrong-typed ID is a VALIDATION
    problem on that field (existence is checked by the caller, as NOT_FOUND)."""
    try:
        found_type, pk = decode_id(global_id)
    except InvalidGlobalId as exc:
        raise UserErrors.one(ErrorCode.VALIDATION, str(exc), ("input", field)) from exc
    if found_type != type_name:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"{camel(field)} must be the ID of a {type_name}, got a {found_type} ID",
            ("input", field),
        )
    return pk
