"""Creating and revoking partner API keys (admin only; audited like every mutation)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from auth.api_keys import mint
from auth.permissions import Role
from db.models import ApiKey
from domain.clock import as_utc
from domain.enums import AuditAction
from domain.validation import Checks
from resolvers import writes
from resolvers.lookup import get_for_update


async def create_key(
    session: AsyncSession, actor: Actor, values: dict[str, Any]
) -> tuple[ApiKey, str]:
    """A new partner key and its secret, which is not stored and never shown again."""
    checks = Checks()
    checks.text("name", values.get("name"), max_length=100, required=True)
    expires_at: datetime | None = values.get("expires_at")
    if expires_at is not None:
        expires_at = as_utc(expires_at)
    checks.require(
        expires_at is None or expires_at > datetime.now(UTC),
        "expires_at",
        "expiresAt must be in the future",
    )
    checks.raise_if_any()
    minted = mint()
    key = ApiKey(
        name=values["name"].strip(),
        prefix=minted.prefix,
        key_hash=minted.key_hash,
        role=Role.PARTNER,
        created_by=actor.id,
        expires_at=expires_at,
    )
    await writes.create(session, actor, key)
    return key, minted.secret


async def revoke_key(session: AsyncSession, actor: Actor, key_id: str) -> ApiKey:
    """Revoke a key at once. Revoking a revoked key changes nothing."""
    key = await get_for_update(session, ApiKey, key_id)
    if key.revoked_at is not None:
        return key
    return await writes.update(
        session,
        actor,
        key,
        {"revoked_at": datetime.now(UTC), "revoked_by": actor.id},
        action=AuditAction.REVOKED,
    )
