"""Suppliers and price lists: validation, unique codes, the tax ID encrypted at rest and
masked unless revealed (an audited read), BR-43's effective price, BR-46's guarded deletes,
and the procurement audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from auth.permissions import Role
from db.models import AuditLog
from domain.enums import AuditAction
from tests.support import procurement_factories as pf
from tests.support import procurement_seeding as seed
from tests.support import seeding
from tests.support.db_state import snapshot

pytestmark = pytest.mark.both_executions

EFFECTIVE = """query($s: ID!, $p: ID!, $at: DateTime) {
  effectivePrice(supplierId: $s, productId: $p, at: $at) { supplierSku unitCost { amount } }
}"""


async def test_create_checks_every_field_and_refuses_a_taken_code(client, database):
    await pf.supplier(client, code="PP")
    before = await snapshot(database)
    payload = await client.mutate(
        pf.CREATE_SUPPLIER,
        {
            "input": {
                "name": " ",
                "code": "p",
                "contactEmail": "not-an-email",
                "country": "USA",
                "defaultLeadTimeDays": 0,
                "taxId": "!",
            }
        },
    )
    assert sorted(e["field"][1] for e in payload["errors"]) == [
        "code",
        "contactEmail",
        "country",
        "defaultLeadTimeDays",
        "name",
        "taxId",
    ]
    taken = await client.mutate(pf.CREATE_SUPPLIER, {"input": {"name": "Again", "code": "pp"}})
    assert [(e["code"], e["field"]) for e in taken["errors"]] == [("CONFLICT", ["input", "code"])]
    assert await snapshot(database) == before


async def test_defaults_of_a_new_supplier(client):
    supplier = await pf.supplier(client, code="BS", name="Biosynth AG")
    assert (supplier["status"], supplier["country"], supplier["defaultCurrency"]) == (
        "ACTIVE",
        "US",
        "USD",
    )
    assert supplier["allowedTransitions"] == ["INACTIVE", "SUSPENDED"]


TAX = "query($id: ID) { supplier(id: $id) { taxId clear: taxId(reveal: true) } }"


async def test_the_tax_id_is_encrypted_at_rest_and_masked_unless_revealed(client, database):
    supplier = await pf.supplier(client, taxId="12-3456789")
    async with database.transaction() as session:
        stored = (
            await session.execute(
                text("SELECT tax_id_encrypted FROM suppliers WHERE code = :c"),
                {"c": supplier["code"]},
            )
        ).scalar_one()
    assert "3456789" not in stored
    seen = (await client.as_role(Role.FINANCE)(TAX, {"id": supplier["id"]}))["supplier"]
    assert seen == {"taxId": "••••6789", "clear": "12-3456789"}
    async with database.transaction() as session:
        reads = (
            await session.scalars(
                select(AuditLog).where(AuditLog.action == AuditAction.SENSITIVE_READ)
            )
        ).all()
        created = (
            await session.scalars(
                select(AuditLog).where(
                    AuditLog.entity_type == "Supplier", AuditLog.action == AuditAction.CREATED
                )
            )
        ).one()
    assert [(r.entity_type, r.field_name, r.actor_role) for r in reads] == [
        ("Supplier", "tax_id", "finance")
    ]
    assert "3456789" not in str(created.changes)  # the audit log holds no secret
    body = await client.as_role(Role.OPS).raw(TAX, {"id": supplier["id"]})
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}


async def test_effective_price_follows_br_43(client):
    supplier = await pf.supplier(client)
    product = await pf.product(client)
    now = datetime.now(UTC)
    await pf.price_list(
        client,
        supplier["id"],
        product["id"],
        supplierSku="JAN",
        unitCost="10.00",
        effectiveDate=(now - timedelta(days=30)).isoformat(),
        expiresAt=(now - timedelta(days=10)).isoformat(),
    )
    await pf.price_list(
        client,
        supplier["id"],
        product["id"],
        supplierSku="NOW",
        unitCost="11.00",
        effectiveDate=(now - timedelta(days=10)).isoformat(),
    )
    await pf.price_list(
        client,
        supplier["id"],
        product["id"],
        supplierSku="OFF",
        unitCost="1.00",
        effectiveDate=(now - timedelta(days=1)).isoformat(),
        isActive=False,
    )
    await pf.price_list(
        client,
        supplier["id"],
        product["id"],
        supplierSku="SOON",
        unitCost="12.00",
        effectiveDate=(now + timedelta(days=5)).isoformat(),
    )

    async def at(moment: datetime | None) -> Any:
        variables = {"s": supplier["id"], "p": product["id"]}
        if moment is not None:
            variables["at"] = moment.isoformat()
        return (await client(EFFECTIVE, variables))["effectivePrice"]

    assert (await at(None))["supplierSku"] == "NOW"
    assert (await at(now - timedelta(days=20)))["supplierSku"] == "JAN"
    # expires_at is exclusive: at that instant the January price no longer holds.
    assert (await at(now - timedelta(days=10)))["supplierSku"] == "NOW"
    assert (await at(now + timedelta(days=6)))["supplierSku"] == "SOON"
    assert await at(now - timedelta(days=60)) is None


async def test_a_price_list_must_end_after_it_starts(client):
    supplier, product = await pf.world(client)
    now = datetime.now(UTC)
    payload = await client.mutate(
        pf.CREATE_PRICE_LIST,
        {
            "input": {
                "supplierId": supplier["id"],
                "productId": product["id"],
                "unitCost": "-1",
                "effectiveDate": now.isoformat(),
                "expiresAt": now.isoformat(),
                "minimumOrderQuantity": 0,
            }
        },
    )
    assert sorted(e["field"][1] for e in payload["errors"]) == [
        "expiresAt",
        "minimumOrderQuantity",
        "unitCost",
    ]


async def test_a_supplier_is_deleted_only_with_nothing_attached(client, database):
    supplier, _product = await pf.world(client)
    refused = await client.mutate(pf.DELETE_SUPPLIER, {"input": {"id": supplier["id"]}})
    assert [e["code"] for e in refused["errors"]] == ["NOT_DELETABLE"]
    assert "supplier_price_lists" in refused["errors"][0]["message"]
    bare = await pf.supplier(client)
    assert await client.mutate_ok(pf.DELETE_SUPPLIER, {"id": bare["id"]}, "deletedId") == bare["id"]
    assert (await client(pf.SUPPLIER, {"id": bare["id"]}))["supplier"] is None
    ordered = await seed.supplier(database)
    await seed.purchase_order(database, ordered.id, (await seed.product(database)).id)
    refused = await client.mutate(pf.DELETE_SUPPLIER, {"input": {"id": seeding.gid(ordered)}})
    assert "purchase_orders" in refused["errors"][0]["message"]


async def test_a_price_list_used_on_a_line_is_kept(client):
    supplier = await pf.supplier(client)
    product = await pf.product(client)
    used = await pf.price_list(client, supplier["id"], product["id"])
    await pf.draft_po(client, supplier["id"], [(product["id"], 1)], unit_cost=None)
    refused = await client.mutate(pf.DELETE_PRICE_LIST, {"input": {"id": used["id"]}})
    assert [e["code"] for e in refused["errors"]] == ["NOT_DELETABLE"]
    unused = await pf.price_list(client, supplier["id"], (await pf.product(client))["id"])
    deleted = await client.mutate_ok(pf.DELETE_PRICE_LIST, {"id": unused["id"]}, "deletedId")
    assert deleted == unused["id"]


async def test_reactivating_a_flagged_price_list_clears_the_flag(client):
    supplier, _product = await pf.world(client)
    await client.mutate_ok(
        pf.CHANGE_SUPPLIER_STATUS,
        {"id": supplier["id"], "status": "SUSPENDED", "reason": "late deliveries"},
        "supplier",
    )
    found = await client(
        "query($id: ID) { supplier(id: $id) { priceLists { edges { node { id supplierHold "
        "isActive } } } } }",
        {"id": supplier["id"]},
    )
    (edge,) = found["supplier"]["priceLists"]["edges"]
    assert (edge["node"]["supplierHold"], edge["node"]["isActive"]) == ("FLAGGED", True)
    updated = await client.mutate_ok(
        pf.UPDATE_PRICE_LIST, {"id": edge["node"]["id"], "isActive": True}, "priceList"
    )
    assert updated["supplierHold"] is None


AUDIT = """query($f: AuditLogFilter) { auditLog(filter: $f, first: 100) {
  totalCount edges { node { action entityType recordId fieldName oldValue newValue actorRole
  context } } } }"""


async def test_the_audit_log_shows_procurement_records_by_record_actor_and_time(client):
    supplier, product = await pf.world(client)
    po = await pf.submitted_po(client, supplier["id"], [(product["id"], 2)])
    ops = client.as_role(Role.OPS)
    await ops.mutate_ok(pf.CANCEL_PO, {"id": po["id"], "reason": "ordered twice"}, "purchaseOrder")
    log = (await client.as_role(Role.READONLY)(AUDIT, {"f": {"entityId": po["id"]}}))["auditLog"]
    actions = [(e["node"]["action"], e["node"]["newValue"]) for e in log["edges"]]
    # Newest first: cancelled (by ops), the PO number, submitted, the totals, created.
    assert actions[0] == ("status_changed", "cancelled")
    assert ("status_changed", "submitted") in actions and actions[-1] == ("created", None)
    assert {e["node"]["recordId"] for e in log["edges"]} == {po["id"]}
    by_ops = (await client(AUDIT, {"f": {"actor": "test-ops"}}))["auditLog"]
    assert [e["node"]["context"]["reason"] for e in by_ops["edges"]] == ["ordered twice"]
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert (await client(AUDIT, {"f": {"from": later.isoformat()}}))["auditLog"]["totalCount"] == 0
    suppliers = (await client(AUDIT, {"f": {"entityType": "Supplier"}}))["auditLog"]
    assert {e["node"]["entityType"] for e in suppliers["edges"]} == {"Supplier"}
    # Other domains' entries are not procurement's to show.
    await client.mutate_ok(
        "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer "
        "{ id } errors { code } } }",
        {"name": "Not procurement"},
        "customer",
    )
    assert (await client(AUDIT, {"f": {"entityType": "Customer"}}))["auditLog"]["totalCount"] == 0
