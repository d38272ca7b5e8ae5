"""The actor: who is calling, recorded on audit entries and checked against permissions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from starlette.requests import HTTPConnection

from auth.permissions import Role
from domain.enums import ActorType


@dataclass(frozen=True)
class Actor:
    type: ActorType
    id: str | None = None
    role: Role | None = None
    # Ownership claims: a manufacturer user is bound to one manufacturer, a customer to one
    # customer.
    manufacturer_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    expires_at: datetime | None = None
    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None

    @property
    def authenticated(self) -> bool:
        return self.role is not None

    @property
    def rate_key(self) -> str:
        """Whose budget a request spends: the token subject, the API key, else the IP."""
        if self.type is ActorType.USER and self.id:
            return f"user:{self.id}"
        if self.type is ActorType.API_KEY and self.id:
            return f"key:{self.id}"
        return f"ip:{self.ip or 'unknown'}"


SYSTEM = Actor(type=ActorType.SYSTEM, id="system")


def new_request_id() -> str:
    return uuid.uuid4().hex


def with_connection(actor: Actor, connection: HTTPConnection, request_id: str) -> Actor:
    """The actor as seen on this connection: its IP, user agent and the request id."""
    client = connection.client
    return replace(
        actor,
        ip=client.host if client else None,
        user_agent=(connection.headers.get("user-agent") or None),
        request_id=request_id,
    )


ANONYMOUS = Actor(type=ActorType.ANONYMOUS)
