"""Checking a permission for an actor: the one place a denial is decided and logged.

Denials are top-level GraphQL errors (API.md): `UNAUTHENTICATED` for a caller without
credentials, `FORBIDDEN` for a role without the permission. Both are GraphQLErrors, so
the error masking passes them through unchanged.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from graphql import GraphQLError

from auth.actor import Actor
from auth.permissions import Permission, Scope, grant

# Owners are plain data in domain (a state machine names its records' owner); `owns` reads them.
from domain.ownership import Owner as Owner

log = logging.getLogger("opsgraph.security")


class Unauthenticated(GraphQLError):
    def __init__(self) -> None:
        super().__init__(
            "Authentication required: send `Authorization: Bearer <token>` (or `ApiKey <key>`)",
            extensions={"code": "UNAUTHENTICATED"},
        )


class Forbidden(GraphQLError):
    def __init__(self, message: str, permission: Permission) -> None:
        super().__init__(message, extensions={"code": "FORBIDDEN", "permission": permission.value})


def require(actor: Actor, permission: Permission, where: Sequence[str | int] = ()) -> Scope:
    """The scope the actor holds `permission` with; raises when it holds none."""
    scope = grant(actor.role, permission)
    if scope is not None:
        return scope
    _log_denial(actor, permission, where)
    if not actor.authenticated:
        raise Unauthenticated()
    assert actor.role is not None
    raise Forbidden(
        f"The {actor.role.value} role may not do this (needs {permission.value})", permission
    )


def deny_not_owned(actor: Actor, permission: Permission, where: Sequence[str | int]) -> Forbidden:
    _log_denial(actor, permission, where, reason="not owned")
    return Forbidden(f"Only the owner may see this (needs {permission.value})", permission)


def owns(actor: Actor, permission: Permission, owner: Owner, owner_id: uuid.UUID | None) -> bool:
    """Whether the actor's grant of `permission` covers a record owned by `owner_id`."""
    scope = grant(actor.role, permission)
    if scope is Scope.ALL:
        return True
    return scope is Scope.OWN and owner_id is not None and owner.of(actor) == owner_id


def _log_denial(
    actor: Actor, permission: Permission, where: Sequence[str | int], reason: str = "no grant"
) -> None:
    log.warning(
        "permission denied: %s (%s) request=%s actor=%s/%s role=%s ip=%s path=%s",
        permission.value,
        reason,
        actor.request_id,
        actor.type.value,
        actor.id,
        actor.role.value if actor.role else None,
        actor.ip,
        ".".join(str(p) for p in where),
    )
