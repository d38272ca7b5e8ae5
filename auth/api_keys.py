"""Partner API keys: minting, hashing and checking them.

A key reads `ogk_<8 hex>_<secret>`. The `ogk_<8 hex>` prefix is public: it names the key in
lists and finds its row; only a SHA-256 of the whole key is stored, so a database leak
reveals no usable key. Keys are shown once, when created.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from auth.actor import Actor
from auth.tokens import InvalidToken
from db.engine import Database
from db.models import ApiKey
from domain.clock import as_utc
from domain.enums import ActorType

PREFIX_MARK = "ogk_"
# Recording every use would write on every request; once a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)

_TABLE = ApiKey.__table__


@dataclass(frozen=True)
class MintedKey:
    prefix: str
    secret: str  # the whole key, shown to its creator once
    key_hash: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def mint() -> MintedKey:
    prefix = PREFIX_MARK + secrets.token_hex(4)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    return MintedKey(prefix=prefix, secret=key, key_hash=hash_key(key))


_PREFIX_LENGTH = len(PREFIX_MARK) + 8


def _prefix_of(presented: str) -> str:
    prefix = presented[:_PREFIX_LENGTH]
    if not prefix.startswith(PREFIX_MARK) or presented[_PREFIX_LENGTH : _PREFIX_LENGTH + 1] != "_":
        raise InvalidToken("The API key is malformed")
    return prefix


async def authenticate(database: Database, presented: str) -> Actor:
    prefix = _prefix_of(presented)
    async with database.read_connection() as conn:
        row = (await conn.execute(select(_TABLE).where(_TABLE.c.prefix == prefix))).first()
        if row is None or not hmac.compare_digest(row.key_hash, hash_key(presented)):
            raise InvalidToken("The API key is not valid")
        now = datetime.now(UTC)
        if row.revoked_at is not None:
            raise InvalidToken("The API key has been revoked")
        if row.expires_at is not None and as_utc(row.expires_at) <= now:
            raise InvalidToken("The API key has expired")
        if row.last_used_at is None or as_utc(row.last_used_at) <= now - LAST_USED_PRECISION:
            # Not a change of the key: neither its version nor updated_at move.
            await conn.execute(
                update(ApiKey)
                .where(ApiKey.id == row.id)
                .values(last_used_at=now, updated_at=row.updated_at)
            )
    return Actor(type=ActorType.API_KEY, id=str(row.id), role=row.role)


def is_active(revoked_at: datetime | None, expires_at: datetime | None) -> bool:
    return revoked_at is None and (expires_at is None or as_utc(expires_at) > datetime.now(UTC))
