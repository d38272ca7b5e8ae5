"""Credentials: bearer JWTs (HS256 and RS256), partner API keys, and WebSockets.

Credentials that cannot be accepted are refused outright (HTTP 401 with UNAUTHENTICATED,
or the WebSocket closed), never downgraded to anonymous.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select, update
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app import create_app
from auth.permissions import Role
from auth.tokens import issue
from db.models import ApiKey
from settings import AuthSettings
from tests.support.graphql import GraphQLClient
from tests.support.persisted import PARTNER_VIEWER
from tests.support.spies import spy

VIEWER = "{ viewer { authenticated subject role } }"
CREATE_KEY = """
mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { apiKey { id name prefix role isActive lastUsedAt } secret errors { code field } }
}"""
REVOKE_KEY = """
mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { isActive revokedAt } errors { code } } }"""


def _claims(settings, **overrides):
    now = datetime.now(UTC)
    claims = {
        "sub": "user-1",
        "role": "ops",
        "iss": settings.auth.issuer,
        "aud": settings.auth.audience,
        "iat": now,
        "exp": now + timedelta(hours=1),
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


async def _send(client, token: str, scheme: str = "Bearer"):
    return await client.with_headers({"Authorization": f"{scheme} {token}"}).post(VIEWER)


async def test_a_valid_token_authenticates(client, settings):
    token = jwt.encode(_claims(settings), settings.auth.jwt_secret, algorithm="HS256")
    response = await _send(client, token)
    assert response.status_code == 200
    assert response.json()["data"]["viewer"] == {
        "authenticated": True,
        "subject": "user-1",
        "role": "OPS",
    }


@pytest.mark.parametrize(
    ("case", "overrides", "message"),
    [
        ("expired", {"exp": datetime.now(UTC) - timedelta(minutes=5)}, "expired"),
        ("not yet valid", {"nbf": datetime.now(UTC) + timedelta(hours=1)}, "not valid yet"),
        ("wrong audience", {"aud": "someone-else"}, "audience"),
        ("wrong issuer", {"iss": "https://evil.example"}, "issuer"),
        ("no expiry", {"exp": None}, "'exp'"),
        ("unknown role", {"role": "root"}, "role"),
        ("manufacturer without its claim", {"role": "manufacturer"}, "manufacturer_id"),
    ],
)
async def test_tokens_that_cannot_be_accepted_are_refused(
    client, settings, case, overrides, message
):
    token = jwt.encode(_claims(settings, **overrides), settings.auth.jwt_secret, algorithm="HS256")
    response = await _send(client, token)
    assert response.status_code == 401, case
    assert response.headers["www-authenticate"].startswith("Bearer")
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert message in error["message"]


async def test_a_forged_token_is_refused(client, settings):
    forged = jwt.encode(_claims(settings, role="superadmin"), "x" * 40, algorithm="HS256")
    response = await _send(client, forged)
    assert response.status_code == 401
    assert "signature" in response.json()["errors"][0]["message"]
    # An unsigned token ("alg": "none") is refused too.
    unsigned = jwt.encode(_claims(settings, role="superadmin"), None, algorithm="none")  # type: ignore[arg-type]
    assert (await _send(client, unsigned)).status_code == 401


async def test_garbage_and_unknown_schemes_are_refused(client):
    assert (await _send(client, "not-a-jwt")).status_code == 401
    assert (await _send(client, "abc", scheme="Basic")).status_code == 401


async def test_without_credentials_every_field_is_unauthenticated(client):
    anonymous = client.anonymous()
    body = await anonymous.raw(VIEWER)
    assert body["data"]["viewer"] == {"authenticated": False, "subject": None, "role": None}
    body = await anonymous.raw("{ productFamilies { totalCount } }")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def _rsa_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def _hmac_signed(claims, key: str) -> str:
    """A token whose header says HS256, signed with `key` (libraries refuse to build it)."""

    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    body = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in claims.items()}
    signing_input = b64(b'{"alg":"HS256","typ":"JWT"}') + b"." + b64(json.dumps(body).encode())
    signature = hmac.new(key.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + b64(signature)).decode()


async def test_rs256_tokens_from_an_identity_provider(settings):
    private, public = _rsa_pair()
    rs256 = replace(settings, auth=AuthSettings(jwt_public_key=public))
    async with GraphQLClient.for_settings(rs256, role=None) as client:
        token = jwt.encode(_claims(rs256, role="finance"), private, algorithm="RS256")
        response = await _send(client, token)
        assert response.json()["data"]["viewer"]["role"] == "FINANCE"
        # Another key pair's signature, and an HS256 token "signed" with the public key
        # (algorithm confusion), are both refused.
        other_private, _ = _rsa_pair()
        assert (
            await _send(client, jwt.encode(_claims(rs256), other_private, algorithm="RS256"))
        ).status_code == 401
        assert (await _send(client, _hmac_signed(_claims(rs256), public))).status_code == 401


async def test_api_keys_are_shown_once_stored_hashed_and_revocable(client, database):
    payload = await client.mutate(CREATE_KEY, {"input": {"name": "Acme partner"}})
    assert payload["errors"] == []
    secret = payload["secret"]
    assert secret.startswith(payload["apiKey"]["prefix"] + "_")
    assert payload["apiKey"] | {"id": None} == {
        "id": None,
        "name": "Acme partner",
        "prefix": payload["apiKey"]["prefix"],
        "role": "PARTNER",
        "isActive": True,
        "lastUsedAt": None,
    }
    async with database.engine.connect() as conn:
        stored = (await conn.execute(select(ApiKey.__table__))).one()
    assert secret not in str(tuple(stored)) and stored.key_hash != secret

    partner = client.with_headers({"Authorization": f"ApiKey {secret}"})
    # Partners run approved operations only: the manifest's PartnerViewer, by its id.
    approved = await partner.http.post("/graphql", json={"documentId": PARTNER_VIEWER})
    assert approved.json()["data"]["viewer"]["role"] == "PARTNER"
    listed = await client("{ apiKeys { edges { node { lastUsedAt } } } }")
    assert listed["apiKeys"]["edges"][0]["node"]["lastUsedAt"] is not None
    # The secret is never readable again: the graph has no field for it.
    assert "secret" not in str(await client("{ apiKeys { edges { node { name prefix } } } }"))

    revoked = await client.mutate(REVOKE_KEY, {"input": {"id": payload["apiKey"]["id"]}})
    assert revoked["apiKey"]["isActive"] is False
    response = await partner.post(VIEWER)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "The API key has been revoked"


async def test_expired_unknown_and_tampered_api_keys_are_refused(client, database):
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    payload = await client.mutate(CREATE_KEY, {"input": {"name": "short-lived", "expiresAt": soon}})
    assert payload["errors"] == []
    async with database.engine.begin() as conn:  # a day passes
        await conn.execute(
            update(ApiKey).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    secret = payload["secret"]
    for presented, message in [
        (secret, "expired"),
        (secret[:-2] + ("AA" if not secret.endswith("AA") else "BB"), "not valid"),
        ("ogk_00000000_" + "x" * 43, "not valid"),
        ("nonsense", "malformed"),
    ]:
        response = await client.with_headers({"Authorization": f"ApiKey {presented}"}).post(VIEWER)
        assert response.status_code == 401
        assert message in response.json()["errors"][0]["message"]


async def test_creating_keys_is_validated_and_admin_only(client, database):
    payload = await client.mutate(
        CREATE_KEY, {"input": {"name": " ", "expiresAt": "2020-01-01T00:00:00Z"}}
    )
    assert payload["errors"] == [
        {"code": "VALIDATION", "field": ["input", "name"]},
        {"code": "VALIDATION", "field": ["input", "expiresAt"]},
    ]
    body = await client.as_role(Role.FINANCE).raw(CREATE_KEY, {"input": {"name": "x"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# -- WebSockets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload", [{}, {"authorization": ""}, {"authorization": "Bearer nonsense"}]
)
def test_a_websocket_without_a_valid_token_is_refused(settings, payload):
    with TestClient(create_app(settings)) as http:
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": payload})
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == 4403
        with http.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": payload})
            assert ws.receive_json()["type"] == "connection_error"


def test_an_expired_token_ends_the_connection(settings):
    token = issue(settings.auth, role=Role.OPS, subject="short", ttl=timedelta(seconds=1))
    with TestClient(create_app(settings)) as http:
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json(
                {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
            )
            assert ws.receive_json()["type"] == "connection_ack"
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()  # nothing else arrives until the token expires
        assert (closed.value.code, closed.value.reason) == (4401, "Token expired")


async def test_an_expiry_without_offset_is_utc(client):
    payload = await client.mutate(
        CREATE_KEY, {"input": {"name": "naive", "expiresAt": "2099-01-01T00:00:00"}}
    )
    assert payload["errors"] == [] and payload["apiKey"]["isActive"] is True
    payload = await client.mutate(
        CREATE_KEY, {"input": {"name": "naive past", "expiresAt": "2001-01-01T00:00:00"}}
    )
    assert payload["errors"] == [{"code": "VALIDATION", "field": ["input", "expiresAt"]}]


def test_a_token_is_checked_once_but_refused_once_it_expires(monkeypatch):
    from auth import tokens

    auth = AuthSettings(jwt_secret="s" * 40)
    issued = datetime.now(UTC) - timedelta(hours=1)
    token = issue(auth, role=Role.ADMIN, subject="u1", now=issued, ttl=timedelta(minutes=61))
    decodes = spy(monkeypatch, jwt, "decode")
    first, again = tokens.verify(token, auth), tokens.verify(token, auth)
    assert first == again and first.id == "u1" and len(decodes) == 1

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(minutes=2)

    monkeypatch.setattr(tokens, "datetime", Later)
    with pytest.raises(tokens.InvalidToken, match="expired"):
        tokens.verify(token, auth)
