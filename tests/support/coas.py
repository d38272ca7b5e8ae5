"""COAs in tests: the mutation documents, a PDF to upload, lots and COAs written straight
into the database in a given state, and an upload through the API."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from db.engine import Database
from db.models import Coa, Lot, LotCoa, StoredFile
from domain.coas import CoaStatus, coa_key
from domain.files import ContentType, FilePurpose, Retention
from domain.procurement import LotStatus, PurchaseOrderStatus
from tests.support import procurement_seeding as seed
from tests.support import seeding
from tests.support.files import pdf_bytes
from tests.support.graphql import GraphQLClient, UploadPart, mutation_document

_seq = itertools.count(1)

COA_FIELDS = (
    "id status revision fileKey fileSha256 purityPercentage analysisDate labName labReference "
    "notes verified verifiedBy verifiedAt statusReason retentionUntil "
    "purityRecords { test method result specification } "
    "lots { lotNumber } supersededBy { id revision } revises { id revision } "
    "file { id sha256 purpose public publicUrl url }"
)
ERRORS = "errors { code field message }"
CREATE = mutation_document("createCoa", f"coa {{ {COA_FIELDS} }} {ERRORS}")
REVISE = mutation_document(
    "reviseCoa", f"coa {{ {COA_FIELDS} }} superseded {{ {COA_FIELDS} }} {ERRORS}"
)
UPDATE = mutation_document("updateCoa", f"coa {{ {COA_FIELDS} }} {ERRORS}")
ATTACH = mutation_document("attachCoaToLots", f"coa {{ {COA_FIELDS} }} {ERRORS}")
TRANSITION = mutation_document("transitionCoa", f"coa {{ {COA_FIELDS} }} {ERRORS}")
STOREFRONT = """query StorefrontCoas($productId: ID!) {
  storefrontCoas(productId: $productId) {
    id fileUrl fileSha256 purityPercentage analysisDate labName labReference status revision
    lots { lotNumber status }
    purityRecords { test method result }
  }
}"""


def pdf(text: str = "") -> UploadPart:
    """A small real PDF (different bytes per `text`: its metadata holds it)."""
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf_bytes())))
    writer.add_metadata({"/Title": text or f"COA {next(_seq)}"})
    out = BytesIO()
    writer.write(out)
    return UploadPart("coa.pdf", out.getvalue(), "application/pdf")


async def product_with_lots(
    database: Database, *statuses: LotStatus, expires: date | None = None
) -> tuple[uuid.UUID, list[Lot]]:
    """A product and one PO's lots of it, one per status given."""
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(
        database, supplier.id, product.id, PurchaseOrderStatus.SUBMITTED
    )
    lots = [await seed.lot(database, order, status, expiration_date=expires) for status in statuses]
    return product.id, lots


async def lot(database: Database, status: LotStatus = LotStatus.ACTIVE) -> Lot:
    _, (made,) = await product_with_lots(database, status)
    return made


async def coa(
    database: Database,
    lots: list[Lot],
    status: CoaStatus = CoaStatus.DRAFT,
    **values: Any,
) -> Coa:
    """A COA (with its file row) covering `lots`, in `status`, written directly."""
    n = next(_seq)
    digest = hashlib.sha256(f"seeded coa {n}".encode()).hexdigest()
    key = coa_key(lots[0].lot_number, 100 + n)
    verified = status is not CoaStatus.DRAFT and status is not CoaStatus.REJECTED
    async with database.transaction() as session:
        file = StoredFile(
            purpose=FilePurpose.COA,
            retention=Retention.KEPT_FOREVER,
            storage_key=key,
            sha256=digest,
            size=100,
            content_type=ContentType.PDF,
            original_name="seeded.pdf",
            public=verified,
            attached_at=datetime.now(UTC),
        )
        session.add(file)
        await session.flush()
        row = Coa(
            file_id=file.id,
            file_key=key,
            file_sha256=digest,
            status=status,
            verified=verified,
            verified_at=datetime.now(UTC) if verified else None,
            retention_until=date(2030, 1, 1),
            # Defaults `values` may override.
            **{
                "purity_percentage": Decimal("99.1"),
                "lab_name": "Seeded Lab",
                "lab_reference": f"SEED-{n}",
                "purity_records": [{"test": "Purity", "method": "HPLC", "result": "99.1%"}],
                **values,
            },
        )
        session.add(row)
        await session.flush()
        for each in lots:
            session.add(LotCoa(lot_id=each.id, coa_id=row.id))
    return row


async def upload(
    client: GraphQLClient, lots: list[Any], part: UploadPart | None = None, **fields: Any
) -> dict[str, Any]:
    """createCoa's payload for lots (rows or global IDs)."""
    ids = [each if isinstance(each, str) else seeding.gid(each) for each in lots]
    values = {"lotIds": ids, "file": part or pdf(), **fields}
    payload: dict[str, Any] = await client.mutate(CREATE, {"input": values})
    return payload


async def verified(client: GraphQLClient, lots: list[Any], **fields: Any) -> dict[str, Any]:
    """A COA uploaded and verified through the API."""
    made = await upload(client, lots, **fields)
    assert made["errors"] == [], made["errors"]
    moved = await client.mutate(
        TRANSITION, {"input": {"id": made["coa"]["id"], "status": "VERIFIED"}}
    )
    assert moved["errors"] == [], moved["errors"]
    coa: dict[str, Any] = moved["coa"]
    return coa
