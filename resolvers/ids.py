"""Opaque global IDs (Relay): base64url of "<TypeName>:<uuid>".

Clients must treat them as opaque; the type name inside lets `node(id:)` find any entity and
lets mutations refuse an ID of the wrong type.
"""

from __future__ import annotations

import base64
import binascii
import uuid

from domain.errors import ErrorCode, UserErrors
from domain.validation import camel


class InvalidGlobalId(ValueError):
    pass


def encode_id(type_name: str, pk: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def decode_id(global_id: str) -> tuple[str, uuid.UUID]:
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, raw = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        return type_name, uuid.UUID(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
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
