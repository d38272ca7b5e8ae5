"""Credentials: bearer JWTs (HS256 and RS256), and WebSockets (API keys: tests/api_keys/).

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
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app import create_app
from auth.permissions import Role
from auth.tokens import issue
from settings import AuthSettings
from tests.support.graphql import GraphQLClient
from tests.support.spies import spy

VIEWER = "{ viewer { authenticated subject role } }"


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
