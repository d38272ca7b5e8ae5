"""Partner API keys: created by admins only, shown once, stored hashed, revocable, and refused
outright (HTTP 401) once expired, revoked, unknown or tampered with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from auth.permissions import Role
from db.models import ApiKey
from tests.support.persisted import PARTNER_VIEWER

VIEWER = "{ viewer { authenticated subject role } }"
CREATE_KEY = """
mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { apiKey { id name prefix role isActive lastUsedAt } secret errors { code field } }
}"""
REVOKE_KEY = """
mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { isActive revokedAt } errors { code } } }"""


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


async def test_an_expiry_without_offset_is_utc(client):
    payload = await client.mutate(
        CREATE_KEY, {"input": {"name": "naive", "expiresAt": "2099-01-01T00:00:00"}}
    )
    assert payload["errors"] == [] and payload["apiKey"]["isActive"] is True
    payload = await client.mutate(
        CREATE_KEY, {"input": {"name": "naive past", "expiresAt": "2001-01-01T00:00:00"}}
    )
    assert payload["errors"] == [{"code": "VALIDATION", "field": ["input", "expiresAt"]}]
