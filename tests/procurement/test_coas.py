"""COAs (issue 27 item 8): SPEC §2.7 for every (from, to) pair through the API, the PDF
stored under its own key with its SHA-256 and never overwritten (on the local folder and on
S3), BR-44's immutability (a refused change leaves every byte of the database and the store
as it was), revisions superseding their predecessor, and lots attached afterwards."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from db.models import ChangeChannel, ChangeRecord, Lot
from db.storage import storage_for
from domain.coas import CoaStatus, coa_key
from domain.procurement import LotStatus
from resolvers.ids import decode_id
from resolvers.procurement.coa_workflow import COA_WORKFLOW
from settings import Settings
from tests.support import coas as support
from tests.support import seeding
from tests.support.db_state import snapshot
from tests.support.files import (
    object_bytes,
    object_keys,
    on_both_backends,  # noqa: F401  (the files_settings fixture: local folder and S3)
    s3_endpoint,  # noqa: F401  (the session's S3 server)
)
from tests.support.graphql import UploadPart

C = CoaStatus
# SPEC §2.7: draft → verified | rejected; verified → expired | superseded.
COA_MOVES = frozenset(
    {
        (C.DRAFT, C.VERIFIED),
        (C.DRAFT, C.REJECTED),
        (C.VERIFIED, C.EXPIRED),
        (C.VERIFIED, C.SUPERSEDED),
    }
)
HISTORY = "statusHistory { fromStatus toStatus reason actorType }"


def test_the_coa_machine_is_the_spec():
    for source, target in itertools.product(C, C):
        assert (COA_WORKFLOW.move(source, target) is not None) == ((source, target) in COA_MOVES)
    for terminal in (C.EXPIRED, C.SUPERSEDED, C.REJECTED):
        assert COA_WORKFLOW.is_terminal(terminal)


PAIRS = list(itertools.product(C, C))


@pytest.mark.parametrize(
    ("source", "target"), PAIRS, ids=[f"{s.value}-{t.value}" for s, t in PAIRS]
)
async def test_every_coa_pair(client, database, settings, source, target):
    lot = await support.lot(database)
    coa = await support.coa(database, [lot], source)
    before, objects = await snapshot(database), await object_keys(settings)
    if target is C.SUPERSEDED:  # a COA is superseded by its next revision only
        payload = await client.mutate(
            support.REVISE,
            {"input": {"id": seeding.gid(coa), "file": support.pdf(), "reason": "why"}},
        )
    else:
        payload = await client.mutate(
            support.TRANSITION,
            {"input": {"id": seeding.gid(coa), "status": target.name, "reason": "why"}},
        )
    if (source, target) in COA_MOVES:
        assert payload["errors"] == []
        seen = (
            await client(
                f"query($id: ID) {{ coa(id: $id) {{ {support.COA_FIELDS} {HISTORY} }} }}",
                {"id": seeding.gid(coa)},
            )
        )["coa"]
        assert seen["status"] == target.name
        assert seen["statusHistory"] == [
            {
                "fromStatus": source.value,
                "toStatus": target.value,
                "reason": "why",
                "actorType": "user",
            }
        ]
        if target is C.VERIFIED:
            assert seen["verified"] is True and seen["verifiedBy"] == "test-admin"
            assert seen["verifiedAt"] is not None and seen["file"]["public"] is True
        if target is C.SUPERSEDED:
            assert seen["supersededBy"]["id"] == payload["coa"]["id"]
            assert payload["coa"]["revision"] == 2 and payload["coa"]["status"] == "DRAFT"
        if target is C.REJECTED:
            assert seen["statusReason"] == "why" and seen["file"]["public"] is False
    else:
        assert payload["coa"] is None
        assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"], payload["errors"]
        assert await snapshot(database) == before
        assert await object_keys(settings) == objects


async def test_rejecting_needs_a_reason_and_superseded_is_reached_only_by_revising(
    client, database
):
    lot = await support.lot(database)
    draft = await support.coa(database, [lot])
    verified = await support.coa(database, [lot], C.VERIFIED)
    before = await snapshot(database)
    refused = await client.mutate(
        support.TRANSITION, {"input": {"id": seeding.gid(draft), "status": "REJECTED"}}
    )
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("VALIDATION", ["input", "statusReason"])
    ]
    asked = await client.mutate(
        support.TRANSITION, {"input": {"id": seeding.gid(verified), "status": "SUPERSEDED"}}
    )
    assert [e["code"] for e in asked["errors"]] == ["INVALID_TRANSITION"]
    assert "reviseCoa" in asked["errors"][0]["message"]
    assert await snapshot(database) == before


# -- the upload (BR-45), on the local folder and on S3 ----------------------------------------


async def test_an_uploaded_coa_is_a_draft_with_its_hash_under_its_lot_key(
    client, database, settings: Settings
):
    product_id, lots = await support.product_with_lots(
        database, LotStatus.ACTIVE, LotStatus.PENDING
    )
    part = support.pdf("first")
    made = await support.upload(
        client,
        lots,
        part,
        purityPercentage="98.7",
        analysisDate="2026-01-18",
        labName="Analytical Testing Services Inc.",
        labReference="ATS-2026-00142",
        purityRecords=[
            {"test": "Purity", "method": "HPLC", "result": "98.7%", "specification": ">= 98%"}
        ],
    )
    assert made["errors"] == []
    coa = made["coa"]
    number = lots[0].lot_number
    digest = hashlib.sha256(part.content).hexdigest()
    assert coa["status"] == "DRAFT" and coa["revision"] == 1 and coa["verified"] is False
    assert coa["fileKey"] == f"coa/{number}/{number}-coa-v1.pdf"
    assert coa["fileSha256"] == digest == coa["file"]["sha256"]
    assert coa["file"]["purpose"] == "COA" and coa["file"]["public"] is False
    assert coa["file"]["publicUrl"] is None and coa["file"]["url"].startswith("http")
    assert Decimal(coa["purityPercentage"]) == Decimal("98.7")
    assert coa["purityRecords"] == [
        {"test": "Purity", "method": "HPLC", "result": "98.7%", "specification": ">= 98%"}
    ]
    assert sorted(lot["lotNumber"] for lot in coa["lots"]) == sorted(lot.lot_number for lot in lots)
    assert await object_bytes(settings, coa["fileKey"]) == part.content
    # A lot shows the COAs covering it.
    seen = await client(
        "query($id: ID) { lot(id: $id) { coas { id fileKey } } }", {"id": seeding.gid(lots[1])}
    )
    assert seen["lot"]["coas"] == [{"id": coa["id"], "fileKey": coa["fileKey"]}]
    assert product_id is not None


async def test_a_key_already_in_the_store_is_refused_never_overwritten(
    client, database, settings: Settings
):
    lot = await support.lot(database)
    key = coa_key(lot.lot_number, 1)
    await storage_for(settings.files).put(key, b"someone else's bytes")
    before = await snapshot(database)
    refused = await support.upload(client, [lot])
    assert refused["coa"] is None
    assert [e["code"] for e in refused["errors"]] == ["CONFLICT"]
    assert key in refused["errors"][0]["message"]
    assert await object_bytes(settings, key) == b"someone else's bytes"
    assert await snapshot(database) == before


async def test_the_same_bytes_already_under_the_key_are_no_overwrite(
    client, database, settings: Settings
):
    # A demo reloaded into a kept file store: the object is there with these very bytes.
    lot = await support.lot(database)
    part = support.pdf("again")
    key = coa_key(lot.lot_number, 1)
    await storage_for(settings.files).put(key, part.content)
    made = await support.upload(client, [lot], part)
    assert made["errors"] == [] and made["coa"]["fileKey"] == key
    assert await object_bytes(settings, key) == part.content


async def test_bad_input_stores_nothing(client, database, settings: Settings):
    lot = await support.lot(database)
    before, objects = await snapshot(database), await object_keys(settings)
    bad: list[tuple[dict[str, Any], str, list[str]]] = [
        ({"purityPercentage": "100.5"}, "VALIDATION", ["input", "purityPercentage"]),
        ({"analysisDate": "2999-01-01"}, "VALIDATION", ["input", "analysisDate"]),
    ]
    for fields, code, where in bad:
        refused = await support.upload(client, [lot], None, **fields)
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [(code, where)]
    not_a_pdf = UploadPart("coa.pdf", b"hello", "application/pdf")
    refused = await support.upload(client, [lot], not_a_pdf)
    assert [e["code"] for e in refused["errors"]] == ["FILE_TYPE_NOT_ALLOWED"]
    refused = await support.upload(client, [])
    assert [e["code"] for e in refused["errors"]] == ["VALIDATION"]
    assert await snapshot(database) == before
    assert await object_keys(settings) == objects


# -- BR-44: verified means immutable -------------------------------------------------------------

_CHANGES: dict[str, Any] = {
    "purityPercentage": "99.9",
    "analysisDate": "2026-01-01",
    "labName": "Another Lab",
    "labReference": "OTHER-1",
    "purityRecords": [{"test": "Purity", "result": "99.9%"}],
}


async def test_every_change_to_a_verified_coa_is_immutable_and_changes_no_byte(
    client, database, settings: Settings
):
    lot = await support.lot(database)
    coa = await support.verified(client, [lot], labName="ATS", purityPercentage="98.7")
    before = await snapshot(database)
    stored = {key: await object_bytes(settings, key) for key in await object_keys(settings)}
    for field, value in _CHANGES.items():
        refused = await client.mutate(support.UPDATE, {"input": {"id": coa["id"], field: value}})
        assert refused["coa"] is None
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [
            ("IMMUTABLE", ["input", field])
        ]
    everything = await client.mutate(support.UPDATE, {"input": {"id": coa["id"], **_CHANGES}})
    assert {e["code"] for e in everything["errors"]} == {"IMMUTABLE"}
    assert len(everything["errors"]) == len(_CHANGES)
    assert await snapshot(database) == before
    assert {key: await object_bytes(settings, key) for key in await object_keys(settings)} == stored
    # The notes are no part of the certificate: they stay editable.
    noted = await client.mutate(support.UPDATE, {"input": {"id": coa["id"], "notes": "checked"}})
    assert noted["errors"] == [] and noted["coa"]["notes"] == "checked"


async def test_a_draft_changes_freely(client, database):
    lot = await support.lot(database)
    made = await support.upload(client, [lot])
    changed = await client.mutate(support.UPDATE, {"input": {"id": made["coa"]["id"], **_CHANGES}})
    assert changed["errors"] == []
    assert changed["coa"]["labName"] == "Another Lab"
    assert changed["coa"]["purityRecords"] == [
        {"test": "Purity", "method": None, "result": "99.9%", "specification": None}
    ]


async def test_revising_makes_revision_2_beside_the_first_and_supersedes_it(
    client, database, settings: Settings
):
    lots = (await support.product_with_lots(database, LotStatus.ACTIVE, LotStatus.ACTIVE))[1]
    first = await support.verified(client, lots, labReference="ATS-1", purityPercentage="98.7")
    first_bytes = await object_bytes(settings, first["fileKey"])
    part = support.pdf("corrected")
    revised = await client.mutate(
        support.REVISE,
        {"input": {"id": first["id"], "file": part, "purityPercentage": "98.9", "reason": "typo"}},
    )
    assert revised["errors"] == []
    new, old = revised["coa"], revised["superseded"]
    number = lots[0].lot_number
    assert new["revision"] == 2 and new["status"] == "DRAFT"
    assert new["fileKey"] == f"coa/{number}/{number}-coa-v2.pdf"
    assert new["fileSha256"] == hashlib.sha256(part.content).hexdigest()
    assert new["labReference"] == "ATS-1" and Decimal(new["purityPercentage"]) == Decimal("98.9")
    assert new["revises"]["id"] == first["id"]
    assert sorted(x["lotNumber"] for x in new["lots"]) == sorted(
        x["lotNumber"] for x in first["lots"]
    )
    assert old["status"] == "SUPERSEDED" and old["supersededBy"] == {"id": new["id"], "revision": 2}
    assert old["fileKey"] == first["fileKey"]
    # The first PDF is still there, byte for byte, and still public at its stable link.
    assert await object_bytes(settings, first["fileKey"]) == first_bytes
    assert await object_bytes(settings, new["fileKey"]) == part.content
    assert old["file"]["public"] is True
    # A superseded COA is final: it is not revised again.
    again = await client.mutate(support.REVISE, {"input": {"id": old["id"], "file": support.pdf()}})
    assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]


async def test_attaching_lots_later_extends_the_retention(client, database):
    first = await support.lot(database)
    made = await support.upload(client, [first])
    later = await support.lot(database)
    async with database.transaction() as session:
        row = await session.get(Lot, later.id)
        assert row is not None
        row.expiration_date = date(2031, 6, 30)
    attached = await client.mutate(
        support.ATTACH,
        {"input": {"id": made["coa"]["id"], "lotIds": [seeding.gid(later), seeding.gid(first)]}},
    )
    assert attached["errors"] == []
    assert sorted(x["lotNumber"] for x in attached["coa"]["lots"]) == sorted(
        [first.lot_number, later.lot_number]
    )
    assert attached["coa"]["retentionUntil"] == "2034-06-30"
    listed = await client(
        "query($lot: ID) { coas(filter: {lotId: $lot}) { totalCount edges { node { id } } } }",
        {"lot": seeding.gid(later)},
    )
    assert listed["coas"]["edges"] == [{"node": {"id": made["coa"]["id"]}}]


async def test_a_rejected_coa_takes_no_lots(client, database):
    lot = await support.lot(database)
    rejected = await support.coa(database, [lot], C.REJECTED)
    before = await snapshot(database)
    refused = await client.mutate(
        support.ATTACH, {"input": {"id": seeding.gid(rejected), "lotIds": [seeding.gid(lot)]}}
    )
    assert [e["code"] for e in refused["errors"]] == ["INVALID_TRANSITION"]
    assert await snapshot(database) == before


async def test_coa_changes_are_audited(client, database):
    lot = await support.lot(database)
    coa = await support.verified(client, [lot])
    log = await client(
        "query($id: ID) { auditLog(filter: {entityId: $id}) { edges { node { action } } } }",
        {"id": coa["id"]},
    )
    actions = [edge["node"]["action"] for edge in log["auditLog"]["edges"]]
    assert "created" in actions and "status_changed" in actions


async def test_coa_changes_reach_the_change_log_on_their_channels(client, database):
    lot = await support.lot(database)
    coa = await support.verified(client, [lot])
    coa_pk = decode_id(coa["id"])[1]
    async with database.transaction() as session:
        channels = set(
            await session.scalars(
                select(ChangeChannel.channel)
                .join(ChangeRecord, ChangeRecord.cursor == ChangeChannel.cursor)
                .where(ChangeRecord.table_name.in_(["coas", "lot_coas"]))
            )
        )
    assert {f"coa:{coa_pk}", f"purchase_order:{lot.purchase_order_id}"} <= channels
