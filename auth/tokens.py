"""Bearer JWTs: verifying them into an `Actor`, and issuing development tokens.

Verification checks the signature (HS256 with the shared secret, or RS256 with the identity
provider's public key), `exp` and `iss`/`aud` (all required) and `nbf` when present, then the
claims OpsGraph needs: `sub`, a known `role`, and the ownership claim the role is bound to.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import jwt

from auth.actor import Actor
from auth.permissions import Role
from domain.enums import ActorType
from settings import AuthSettings

# Clock skew tolerated between the token issuer and this server.
LEEWAY = timedelta(seconds=10)

# Which claim binds a role to the records it owns.
OWNERSHIP_CLAIMS = {Role.MANUFACTURER: "manufacturer_id", Role.CUSTOMER: "customer_id"}


class InvalidToken(Exception):
    """The credential cannot be accepted; the message is safe to show the client."""


def verify(token: str, auth: AuthSettings) -> Actor:
    actor = _verify(token, auth)
    assert actor.expires_at is not None  # `exp` is a required claim
    # A remembered token may have expired since: the check PyJWT makes, with its leeway.
    if datetime.now(UTC) >= actor.expires_at + LEEWAY:
        raise InvalidToken("The token has expired")
    return actor


# A client sends the same token with every request; checking its signature again cost ~1%
# of a list query. Refused tokens raise and so are never remembered.
@lru_cache(maxsize=4096)
def _verify(token: str, auth: AuthSettings) -> Actor:
    key = auth.jwt_public_key or auth.jwt_secret
    if not key:
        raise InvalidToken("Bearer tokens are not accepted: no verification key is configured")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[auth.algorithm],
            audience=auth.audience,
            issuer=auth.issuer,
            leeway=LEEWAY,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("The token has expired") from None
    except jwt.ImmatureSignatureError:
        raise InvalidToken("The token is not valid yet (nbf)") from None
    except jwt.InvalidAudienceError:
        raise InvalidToken("The token is for another audience") from None
    except jwt.InvalidIssuerError:
        raise InvalidToken("The token is from an unknown issuer") from None
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(f"The token lacks the {exc.claim!r} claim") from None
    except jwt.InvalidTokenError:
        raise InvalidToken("The token is malformed or its signature is invalid") from None
    return _actor(claims)


def _actor(claims: dict[str, Any]) -> Actor:
    try:
        role = Role(str(claims.get("role")))
    except ValueError:
        raise InvalidToken("The token's role claim is missing or unknown") from None
    owners: dict[str, uuid.UUID | None] = {"manufacturer_id": None, "customer_id": None}
    required = OWNERSHIP_CLAIMS.get(role)
    if required is not None:
        try:
            owners[required] = uuid.UUID(str(claims[required]))
        except (KeyError, ValueError):
            raise InvalidToken(f"A {role.value} token needs a {required!r} UUID claim") from None
    return Actor(
        type=ActorType.USER,
        id=str(claims["sub"]),
        role=role,
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        manufacturer_id=owners["manufacturer_id"],
        customer_id=owners["customer_id"],
    )


def issue(
    auth: AuthSettings,
    *,
    role: Role,
    subject: str,
    ttl: timedelta = timedelta(hours=8),
    manufacturer_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    now: datetime | None = None,
    **extra: Any,
) -> str:
    """Sign a token this server accepts (development CLI and tests)."""
    if auth.algorithm == "RS256":
        if not auth.jwt_private_key:
            raise InvalidToken(
                "RS256 is configured: set OPSGRAPH_JWT_PRIVATE_KEY to sign tokens, "
                "or get one from your identity provider"
            )
        key = auth.jwt_private_key
    elif auth.jwt_secret:
        key = auth.jwt_secret
    else:
        raise InvalidToken("No signing key is configured")
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": subject,
        "role": role.value,
        "iss": auth.issuer,
        "aud": auth.audience,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl,
    }
    if manufacturer_id is not None:
        claims["manufacturer_id"] = str(manufacturer_id)
    if customer_id is not None:
        claims["customer_id"] = str(customer_id)
    claims.update(extra)
    return jwt.encode(claims, key, algorithm=auth.algorithm)
