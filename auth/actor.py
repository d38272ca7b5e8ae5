"""The actor recorded on audit entries and, later, checked against permissions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from domain.enums import ActorType


@dataclass(frozen=True)
class Actor:
    type: ActorType
    id: str | None = None
    role: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None


SYSTEM = Actor(type=ActorType.SYSTEM, id="system")


def new_request_id() -> str:
    return uuid.uuid4().hex


def actor_from_connection(connection: HTTPConnection, request_id: str) -> Actor:
    """Identify the caller of an HTTP or WebSocket request.

    Until authentication lands every caller is anonymous; IP and user agent are still
    recorded so audit entries say where a change came from.
    """
    client = connection.client
    return Actor(
        type=ActorType.ANONYMOUS,
        ip=client.host if client else None,
        user_agent=(connection.headers.get("user-agent") or None),
        request_id=request_id,
    )
