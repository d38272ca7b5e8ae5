"""Turning an `Authorization` value into an `Actor`.

No credentials: the anonymous actor (its field checks answer UNAUTHENTICATED). Credentials
that cannot be accepted are refused outright (HTTP 401, WebSocket close 4403): a client
with a broken token learns so at once instead of seeing a graph of nulls.
"""

from __future__ import annotations

from auth import api_keys, tokens
from auth.actor import ANONYMOUS, Actor
from auth.tokens import InvalidToken
from db.engine import Database
from settings import AuthSettings


async def authenticate(authorization: str | None, auth: AuthSettings, database: Database) -> Actor:
    if authorization is None or not authorization.strip():
        return ANONYMOUS
    scheme, _, credential = authorization.strip().partition(" ")
    credential = credential.strip()
    if not credential:
        raise InvalidToken("The Authorization header has no credential")
    match scheme.lower():
        case "bearer":
            return tokens.verify(credential, auth)
        case "apikey":
            return await api_keys.authenticate(database, credential)
    raise InvalidToken("Unsupported Authorization scheme: use Bearer or ApiKey")
