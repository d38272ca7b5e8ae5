"""Bank and tax details: encrypted at rest, admins and finance only, masked unless revealed,
every clear read audited, keys rotate (SPEC §4 "Sensitive fields", §7 "Data protection")."""

from __future__ import annotations

import json
import uuid

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from auth.permissions import Role
from db.encryption import KeysUnavailable
from db.engine import Database
from db.models import AuditLog, Manufacturer
from domain.enums import AuditAction
from resolvers.ids import decode_id
from tests.support import factories
from tests.support.db_state import audit_entries, snapshot
from tests.support.secrets import TEST_ENCRYPTION_KEYS

ACCOUNT = "GB29NWBK60161331926819"
ROUTING = "NWBKGB2L"
TAX_ID = "12-3456789"
DETAILS = {
    "bankName": "NatWest",
    "bankAccount": ACCOUNT,
    "bankRouting": ROUTING,
    "taxId": TAX_ID,
    "preferredPaymentMethod": "WIRE",
}
ENCRYPTED_COLUMNS = ("bank_account_encrypted", "bank_routing_encrypted", "tax_id_encrypted")
KEY_B = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

BANK_DETAILS = """
query($id: ID!, $reveal: Boolean!) {
  node(id: $id) {
    ... on Manufacturer {
      name
      bankDetails {
        bankName
        bankAccount(reveal: $reveal)
        bankRouting(reveal: $reveal)
        taxId(reveal: $reveal)
        preferredPaymentMethod
      }
    }
  }
}"""
ACCOUNT_ONLY = """
query($id: ID!, $reveal: Boolean!) {
  node(id: $id) { ... on Manufacturer { bankDetails { bankAccount(reveal: $reveal) } } }
}"""
UPDATE = """
mutation($input: UpdateManufacturerInput!) {
  updateManufacturer(input: $input) { manufacturer { version } errors { code field message } }
}"""


def _uuid(global_id: str) -> uuid.UUID:
    return decode_id(global_id)[1]


async def _tokens(database: Database) -> dict[str, str | None]:
    """The encrypted columns of the only manufacturer, as stored."""
    async with database.engine.connect() as conn:
        row = (
            await conn.execute(text(f"SELECT {', '.join(ENCRYPTED_COLUMNS)} FROM manufacturers"))
        ).one()
    return dict(zip(ENCRYPTED_COLUMNS, row, strict=True))


async def _sensitive_reads(database: Database) -> list[AuditLog]:
    return [e for e in await audit_entries(database) if e.action is AuditAction.SENSITIVE_READ]


async def test_bank_details_are_ciphertext_in_the_database(client, database):
    maker = await factories.manufacturer(
        client, **{**DETAILS, "bankAccount": " gb29 nwbk 6016 1331 9268 19 "}
    )
    tokens = await _tokens(database)
    clear = dict(zip(ENCRYPTED_COLUMNS, (ACCOUNT, ROUTING, TAX_ID), strict=True))
    key = Fernet(TEST_ENCRYPTION_KEYS[0])
    for column, token in tokens.items():
        assert token is not None
        assert clear[column] not in token
        assert clear[column][-4:] not in token
        assert key.decrypt(token.encode()).decode() == clear[column]
    async with database.engine.connect() as conn:
        plain = (await conn.execute(text("SELECT bank_name FROM manufacturers"))).scalar_one()
    assert plain == "NatWest"
    # Core selects of the table (what the DataLoaders run) and the ORM both read clear text.
    async with database.engine.connect() as conn:
        row = (await conn.execute(select(Manufacturer.__table__))).one()
    assert (row.bank_account, row.bank_routing, row.tax_id) == (ACCOUNT, ROUTING, TAX_ID)
    async with database.transaction() as session:
        entity = await session.get_one(Manufacturer, _uuid(maker["id"]))
        assert entity.bank_account == ACCOUNT


@pytest.mark.parametrize("role", [Role.SUPERADMIN, Role.ADMIN, Role.FINANCE])
async def test_admins_and_finance_see_masked_values_and_can_reveal_them(client, role):
    maker = await factories.manufacturer(client, **DETAILS)
    viewer = client.as_role(role)
    masked = await viewer(BANK_DETAILS, {"id": maker["id"], "reveal": False})
    assert masked["node"]["bankDetails"] == {
        "bankName": "NatWest",
        "bankAccount": "••••6819",
        "bankRouting": "••••GB2L",
        "taxId": "••••6789",
        "preferredPaymentMethod": "WIRE",
    }
    clear = await viewer(BANK_DETAILS, {"id": maker["id"], "reveal": True})
    assert clear["node"]["bankDetails"] == {
        "bankName": "NatWest",
        "bankAccount": ACCOUNT,
        "bankRouting": ROUTING,
        "taxId": TAX_ID,
        "preferredPaymentMethod": "WIRE",
    }


async def test_a_short_value_is_never_more_than_half_shown(client):
    maker = await factories.manufacturer(client, bankRouting="1234")
    data = await client(
        """query($id: ID!) { node(id: $id) { ... on Manufacturer {
        bankDetails { bankRouting bankAccount } } } }""",
        {"id": maker["id"]},
    )
    assert data["node"]["bankDetails"] == {"bankRouting": "••••34", "bankAccount": None}


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.OPS, ["node", "bankDetails"]),
        (Role.READONLY, ["node", "bankDetails"]),
        (Role.MANUFACTURER, ["node", "bankDetails"]),
        # Sales may not see manufacturers at all.
        (Role.SALES, ["node"]),
    ],
)
async def test_other_roles_get_null_and_forbidden(client, database, role, path):
    maker = await factories.manufacturer(client, **DETAILS)
    claims = {"manufacturer_id": _uuid(maker["id"])} if role is Role.MANUFACTURER else {}
    viewer = client.as_role(role, **claims)
    response = await viewer.post(BANK_DETAILS, {"id": maker["id"], "reveal": True})
    body = response.json()
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(path, "FORBIDDEN")]
    if len(path) == 2:
        assert body["data"]["node"] == {"name": maker["name"], "bankDetails": None}
    else:
        assert body["data"]["node"] is None
    for secret in (ACCOUNT, ROUTING, TAX_ID, "NatWest", ACCOUNT[-4:]):
        assert secret not in response.text
    assert await _sensitive_reads(database) == []


async def test_a_clear_read_is_audited_and_a_masked_one_is_not(client, database):
    maker = await factories.manufacturer(client, **DETAILS)
    finance = client.as_role(Role.FINANCE)
    finance = finance.with_headers({**finance.headers, "User-Agent": "finance-portal/1.0"})

    await finance(ACCOUNT_ONLY, {"id": maker["id"], "reveal": False})
    assert await _sensitive_reads(database) == []

    data = await finance(ACCOUNT_ONLY, {"id": maker["id"], "reveal": True})
    assert data["node"]["bankDetails"]["bankAccount"] == ACCOUNT
    (entry,) = await _sensitive_reads(database)
    assert entry.actor_id == "test-finance"
    assert entry.actor_role == "finance"
    assert entry.user_agent == "finance-portal/1.0"
    assert entry.actor_ip and entry.request_id
    assert (entry.entity_type, entry.entity_id) == ("Manufacturer", _uuid(maker["id"]))
    assert entry.field_name == "bank_account"
    assert entry.context == {"path": "node.bankDetails.bankAccount"}
    assert ACCOUNT not in json.dumps([entry.changes, entry.context])

    # One entry per revealed field; nothing revealed for an empty value.
    await finance(BANK_DETAILS, {"id": maker["id"], "reveal": True})
    fields = sorted(str(e.field_name) for e in await _sensitive_reads(database))
    assert fields == ["bank_account", "bank_account", "bank_routing", "tax_id"]


async def test_audit_entries_of_changes_hold_neither_values_nor_ciphertext(client, database):
    maker = await factories.manufacturer(client, **DETAILS)
    old_tokens = await _tokens(database)
    payload = await client.mutate(
        UPDATE, {"input": {"id": maker["id"], "bankAccount": "DE89370400440532013000"}}
    )
    assert payload["errors"] == []
    new_tokens = await _tokens(database)

    entries = [e for e in await audit_entries(database) if e.entity_type == "Manufacturer"]
    created, updated = entries
    assert (created.action, updated.action) == (AuditAction.CREATED, AuditAction.UPDATED)
    assert updated.changes is not None
    assert updated.changes["changed_fields"] == ["bank_account"]
    assert updated.changes["before"]["bank_account"] != updated.changes["after"]["bank_account"]
    logged = json.dumps([created.changes, updated.changes])
    for secret in (ACCOUNT, ROUTING, TAX_ID, "DE89370400440532013000"):
        assert secret not in logged
    for token in (*old_tokens.values(), *new_tokens.values()):
        assert token is not None
        assert token not in logged


async def test_keys_rotate_by_prepending_a_new_one(client, make_client, database):
    key_a = TEST_ENCRYPTION_KEYS[0]
    maker = await factories.manufacturer(client, bankAccount=ACCOUNT)
    variables = {"id": maker["id"], "reveal": True}

    # Rows written with A are readable by an app configured with (B, A) ...
    async with make_client(encryption_keys=(KEY_B, key_a)) as rotated:
        data = await rotated(ACCOUNT_ONLY, variables)
        assert data["node"]["bankDetails"]["bankAccount"] == ACCOUNT
        # ... which writes with B.
        payload = await rotated.mutate(
            UPDATE, {"input": {"id": maker["id"], "bankAccount": "DE89370400440532013000"}}
        )
        assert payload["errors"] == []
    token = (await _tokens(database))["bank_account_encrypted"]
    assert token is not None
    assert Fernet(KEY_B).decrypt(token.encode()) == b"DE89370400440532013000"
    with pytest.raises(InvalidToken):
        Fernet(key_a).decrypt(token.encode())

    async with make_client(encryption_keys=(KEY_B,)) as only_b:
        data = await only_b(ACCOUNT_ONLY, variables)
        assert data["node"]["bankDetails"]["bankAccount"] == "DE89370400440532013000"

    # An app without the key fails server-side, and says nothing about why.
    async with make_client(encryption_keys=(key_a,)) as only_a:
        response = await only_a.post(ACCOUNT_ONLY, variables)
    body = response.json()
    (error,) = body["errors"]
    assert error["message"] == "Internal server error"
    assert set(error["extensions"]) == {"code", "requestId"}
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert body["data"]["node"] is None
    assert token not in response.text
    assert "DE89370400440532013000" not in response.text
    assert "decrypt" not in response.text.lower()


async def test_an_engine_without_keys_can_neither_read_nor_write_encrypted_values(client, settings):
    await factories.manufacturer(client, bankAccount=ACCOUNT)
    keyless = Database(settings.database_url)
    try:
        async with keyless.engine.connect() as conn:
            names = (await conn.execute(select(Manufacturer.__table__.c.name))).scalars().all()
            assert len(names) == 1  # other columns read as usual
            with pytest.raises(KeysUnavailable):
                (await conn.execute(select(Manufacturer.__table__))).all()
        with pytest.raises(StatementError) as raised:
            async with keyless.transaction() as session:
                session.add(Manufacturer(name="Keyless", bank_account=ACCOUNT))
        assert isinstance(raised.value.orig, KeysUnavailable)
    finally:
        await keyless.dispose()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bankAccount", "12"),
        ("bankAccount", "GB29 NWBK 6016 1331 9268 19 9999 9999 9999 9"),
        ("bankAccount", "1234-5678!"),
        ("bankAccount", "   "),
        ("bankRouting", "12"),
        ("bankRouting", "0260-0959-3000-0000-0000-1"),
        ("taxId", "123"),
        ("taxId", "12-34567<script>"),
        ("bankName", "x" * 201),
    ],
)
async def test_bad_bank_details_are_validation_errors_and_change_nothing(
    client, database, field, value
):
    maker = await factories.manufacturer(client, **DETAILS)
    before = await snapshot(database)
    payload = await client.mutate(UPDATE, {"input": {"id": maker["id"], field: value}})
    assert payload["manufacturer"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", field])
    ]
    if value.strip():
        assert value.strip() not in payload["errors"][0]["message"]
    assert await snapshot(database) == before

    created = await client.mutate(factories.MANUFACTURER, {"input": {"name": "New", field: value}})
    assert created["manufacturer"] is None
    assert created["errors"][0]["field"] == ["input", field]
    assert await snapshot(database) == before


async def test_null_clears_a_bank_detail(client, database):
    maker = await factories.manufacturer(client, **DETAILS)
    payload = await client.mutate(UPDATE, {"input": {"id": maker["id"], "taxId": None}})
    assert payload["errors"] == []
    assert (await _tokens(database))["tax_id_encrypted"] is None
    data = await client(
        ACCOUNT_ONLY.replace("bankAccount", "taxId"), {"id": maker["id"], "reveal": True}
    )
    assert data["node"]["bankDetails"]["taxId"] is None
    assert await _sensitive_reads(database) == []
