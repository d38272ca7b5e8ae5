"""Finance's reports as CSV, for the spreadsheet finance already uses: each report feeds its
rows (made from the same report rows as the graph's) to one `CsvTable`, which `export` stores
through the files mechanism (purpose REPORT), downloaded through a signed link."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import StoredFile
from db.reader import Reader
from db.storage import Storage
from domain.files import ContentType, FilePurpose
from resolvers import uploads
from resolvers.context import RequestContext
from resolvers.finance import costs, reports
from resolvers.mutations import Outcome, run_mutation

Cell = str | Decimal | int | bool | None


@dataclass(frozen=True)
class CsvTable:
    """A report as a spreadsheet sees it: a header and rows of cells; amounts as plain
    decimals (no thousands separators, no currency sign), a missing figure an empty cell."""

    file_name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]

    def encode(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerows([_cell(c) for c in row] for row in self.rows)
        return out.getvalue().encode()


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _safe(value)
    return str(value)


def _safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula is quoted (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def export(
    ctx: RequestContext, storage: Storage, build: Callable[[Reader], Awaitable[CsvTable]]
) -> Outcome[StoredFile]:
    """A report as a stored CSV file: read, then stored outside any transaction, then its
    row recorded."""
    table = await build(ctx.reader)
    await ctx.release()
    stored = await uploads.store_generated(
        storage, table.encode(), FilePurpose.REPORT, ContentType.CSV, table.file_name
    )
    return await run_mutation(ctx, lambda s: _record(s, ctx.actor, stored))


async def _record(session: AsyncSession, actor: Actor, stored: uploads.Stored) -> StoredFile:
    return await uploads.record(session, actor, stored)


def aging_table(report: reports.AgingReport) -> CsvTable:
    """One row per manufacturer and currency, then a TOTAL row per currency."""

    def row(name: str, line: reports.AgingLine) -> list[Cell]:
        return [name, line.currency, *(line.amounts[b] for b in reports.BUCKETS), line.total]

    return CsvTable(
        f"aging-{report.as_of.isoformat()}.csv",
        (
            "manufacturer",
            "currency",
            "current",
            "days_1_30",
            "days_31_60",
            "days_61_90",
            "days_90_plus",
            "total",
        ),
        [row(line.manufacturer_name, line) for line in report.lines]
        + [row("TOTAL", total) for total in report.totals],
    )


def payment_due_table(found: Sequence[reports.PaymentDue], until: date) -> CsvTable:
    """Per currency: one row per payment terms, then its TOTAL row."""
    rows: list[list[Cell]] = []
    for due in found:
        rows += [[due.currency, t.value, a] for t, a in sorted(due.by_terms.items())]
        rows.append([due.currency, "TOTAL", due.total])
    return CsvTable(f"payment-due-{until.isoformat()}.csv", ("currency", "terms", "amount"), rows)


def cost_table(found: Sequence[costs.JobCost], on: date) -> CsvTable:
    """One row per job, by job number."""
    return CsvTable(
        f"costs-{on.isoformat()}.csv",
        (
            "job_number",
            "currency",
            "quantity",
            "quoted_cost",
            "actual_cost",
            "variance",
            "cost_per_unit",
        ),
        [
            [j.job_number, j.currency, j.quantity, j.quoted, j.actual, j.variance, j.cost_per_unit]
            for j in found
        ],
    )


def margin_table(found: Sequence[costs.OrderMargin], on: date) -> CsvTable:
    """One row per order, by reference; no margin when costs are in another currency."""
    return CsvTable(
        f"margins-{on.isoformat()}.csv",
        (
            "order_reference",
            "currency",
            "revenue",
            "manufacturing",
            "freight",
            "other_charges",
            "cost_of_goods",
            "margin",
            "margin_percent",
            "low_margin",
        ),
        [
            [
                m.reference,
                m.currency,
                m.revenue,
                m.manufacturing,
                m.freight,
                m.other,
                m.cost_of_goods,
                None if m.currency_mismatch else m.margin,
                m.margin_percent,
                m.low_margin,
            ]
            for m in found
        ],
    )
