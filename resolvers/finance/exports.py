"""Finance's reports as CSV, for the spreadsheet finance already uses: made from the same
report rows as the graph's, stored through the files mechanism (purpose REPORT), downloaded
through a signed link."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import StoredFile
from db.storage import Storage
from domain.files import ContentType, FilePurpose
from resolvers import uploads
from resolvers.context import RequestContext
from resolvers.finance import reports
from resolvers.mutations import Outcome, run_mutation

AGING_HEADER = (
    "manufacturer",
    "currency",
    "current",
    "days_1_30",
    "days_31_60",
    "days_61_90",
    "days_90_plus",
    "total",
)


def aging_csv(report: reports.AgingReport) -> bytes:
    """One row per manufacturer and currency, then a TOTAL row per currency; amounts as
    plain decimals (no thousands separators, no currency sign)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(AGING_HEADER)
    for line in report.lines:
        writer.writerow(_row(line.manufacturer_name, line))
    for total in report.totals:
        writer.writerow(_row("TOTAL", total))
    return out.getvalue().encode()


def _row(name: str, line: reports.AgingLine) -> list[str]:
    return [
        _safe(name),
        line.currency,
        *(str(line.amounts[b]) for b in reports.BUCKETS),
        str(line.total),
    ]


def _safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula is quoted (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def _record(session: AsyncSession, actor: Actor, stored: uploads.Stored) -> StoredFile:
    return await uploads.record(session, actor, stored)


async def export_aging(
    ctx: RequestContext,
    storage: Storage,
    as_of: date,
    conditions: Sequence[ColumnElement[bool]],
) -> Outcome[StoredFile]:
    """The aging report as of `as_of`, as a stored CSV file (read, then stored outside any
    transaction, then its row recorded)."""
    report = await reports.aging(ctx.reader, as_of, conditions)
    await ctx.release()
    stored = await uploads.store_generated(
        storage,
        aging_csv(report),
        FilePurpose.REPORT,
        ContentType.CSV,
        f"aging-{as_of.isoformat()}.csv",
    )
    return await run_mutation(ctx, lambda s: _record(s, ctx.actor, stored))
