"""The demo's COA (SPEC §8): Analytical Testing Services Inc.'s certificate ATS-2026-00142,
98.7% purity, for lot BPC157-PP260315-01: a small real PDF (pypdf) uploaded through the
COA upload path (its key coa/BPC157-PP260315-01/BPC157-PP260315-01-coa-v1.pdf, its
SHA-256), then verified, so the storefront shows it for BPC-157."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfWriter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from auth.actor import Actor
from db.models import Coa
from db.storage import storage_for
from demo.photos import files_settings
from domain.coas import CoaStatus
from domain.files import FilePurpose
from resolvers import uploads
from resolvers.ids import global_id_of
from resolvers.procurement import coas

LOT = "BPC157-PP260315-01"
FIELDS = {
    "purity_percentage": Decimal("98.7"),
    "analysis_date": date(2026, 1, 18),
    "lab_name": "Analytical Testing Services Inc.",
    "lab_reference": "ATS-2026-00142",
    "purity_records": [
        {"test": "Purity", "method": "HPLC", "result": "98.7%", "specification": "≥ 98.0%"},
        {"test": "Identity", "method": "MS", "result": "1419.5 Da", "specification": "1419.6 Da"},
        {"test": "Appearance", "method": "Visual", "result": "White lyophilized powder"},
    ],
}


def certificate_pdf() -> bytes:
    """A one-page PDF titled like the lab's certificate (the same bytes every time)."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_metadata(
        {
            "/Title": f"Certificate of Analysis {LOT}",
            "/Author": "Analytical Testing Services Inc.",
            "/Subject": "ATS-2026-00142: BPC-157, purity 98.7% (HPLC)",
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def load(session: AsyncSession, actor: Actor, lot_id: str) -> Coa:
    """Upload the certificate for the lot and verify it."""
    files = files_settings()
    planned = await coas.plan_new(session, [lot_id], FIELDS)
    stored = await uploads.store(
        storage_for(files),
        UploadFile(io.BytesIO(certificate_pdf()), filename=f"{LOT}-coa.pdf"),
        FilePurpose.COA,
        max_upload_bytes=files.max_upload_bytes,
        field=("input", "file"),
        key=planned.key,
    )
    coa = await coas.record(session, actor, planned, stored, dict(FIELDS))
    await coas.change_status(session, actor, global_id_of(coa), CoaStatus.VERIFIED, None, None)
    return coa
