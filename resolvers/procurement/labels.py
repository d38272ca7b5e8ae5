"""Vial labels of lots (seed 002 §10): their data, read for any number of lots in one
statement, and `print_labels`, which draws them as a PDF (label_pdf), stores it through the
files mechanism (purpose LABELS) and records, per lot, that its labels were printed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Executable, FromClause, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import Lot, Product, StoredFile, Variant
from db.reader import Reader
from db.storage import Storage
from domain.catalog import GhsPictogram, ProductForm
from domain.coas import CoaStatus
from domain.enums import AuditAction
from domain.errors import ErrorCode, Problem, UserErrors
from domain.files import ContentType, FilePurpose
from domain.labels import (
    LABELLED_STATUSES,
    MAX_COPIES,
    MAX_LOTS,
    MAX_PAGES,
    LabelFormat,
    VerifiedPurity,
    VialLabel,
    label_purity,
    page_count,
)
from domain.procurement import LotStatus
from resolvers import audit, uploads
from resolvers.context import RequestContext
from resolvers.ids import decode_input_id
from resolvers.mutations import Outcome, run_mutation
from resolvers.procurement.coa_sources import COAS, LOT_COAS
from resolvers.procurement.label_pdf import render


def vial_label(lot: Any, variant: Any, product: Any, purity: Decimal | None) -> VialLabel:
    """§10.1's fields from a lot's, its variant's and its product's rows, and the purity
    of the lot's verified COA (`purity_of`)."""
    return VialLabel(
        product_name=product.name,
        catalog_number=variant.sku,
        lot_number=lot.lot_number,
        quantity=variant.title,
        expiration_date=lot.expiration_date,
        cas_number=product.cas_number,
        form=ProductForm(product.form) if product.form else None,
        purity=purity,
        storage=product.storage_conditions,
        ghs_pictograms=tuple(GhsPictogram(code) for code in product.ghs_pictograms or []),
    )


def purity_of(coas: Iterable[Any]) -> Decimal | None:
    """The label's purity from a lot's VERIFIED_COAS_OF_LOTS rows."""
    return label_purity(
        VerifiedPurity(c.purity_percentage, c.analysis_date, c.created_at) for c in coas
    )


# Each lot's verified COAs that state a purity (a draft, rejected, expired or superseded
# COA never reaches a label), with the lot (`lot_id`): what `purity_of` picks from.
VERIFIED_COAS_OF_LOTS: FromClause = (
    select(
        COAS.c.id,
        COAS.c.purity_percentage,
        COAS.c.analysis_date,
        COAS.c.created_at,
        LOT_COAS.c.lot_id,
    )
    .select_from(COAS.join(LOT_COAS, LOT_COAS.c.coa_id == COAS.c.id))
    .where(COAS.c.status == CoaStatus.VERIFIED.value, COAS.c.purity_percentage.is_not(None))
    .subquery("verified_coas_of_lots")
)


def _label_rows(lot_ids: Sequence[uuid.UUID]) -> Executable:
    return (
        select(
            Lot.id,
            Lot.lot_number,
            Lot.status,
            Lot.expiration_date,
            Variant.sku,
            Variant.title,
            Product.name,
            Product.cas_number,
            Product.form,
            Product.storage_conditions,
            Product.ghs_pictograms,
        )
        .join(Variant, Variant.id == Lot.variant_id)
        .join(Product, Product.id == Lot.product_id)
        .where(Lot.id.in_(list(lot_ids)))
    )


def _coa_rows(lot_ids: Sequence[uuid.UUID]) -> Executable:
    return select(VERIFIED_COAS_OF_LOTS).where(VERIFIED_COAS_OF_LOTS.c.lot_id.in_(list(lot_ids)))


@dataclass(frozen=True)
class PrintedLabels:
    file: StoredFile
    labels: int  # sheets in the PDF


def _checked_ids(lot_ids: Sequence[str], copies: int) -> list[uuid.UUID]:
    """Every problem of the request at once (VALIDATION); the lots' IDs, de-duplicated in
    the order given."""
    problems: list[Problem] = []
    if not lot_ids:
        problems.append(Problem(ErrorCode.VALIDATION, "Give at least one lot", ("input", "lotIds")))
    if len(lot_ids) > MAX_LOTS:
        problems.append(
            Problem(ErrorCode.VALIDATION, f"At most {MAX_LOTS} lots at once", ("input", "lotIds"))
        )
    if not 1 <= copies <= MAX_COPIES:
        problems.append(
            Problem(
                ErrorCode.VALIDATION,
                f"copies must be between 1 and {MAX_COPIES}",
                ("input", "copies"),
            )
        )
    pks: list[uuid.UUID] = []
    for global_id in lot_ids:
        try:
            pk = decode_input_id(global_id, "Lot", "lot_ids")
        except UserErrors as exc:
            problems += exc.problems
            continue
        if pk not in pks:
            pks.append(pk)
    if not problems and page_count(len(pks), copies) > MAX_PAGES:
        problems.append(
            Problem(
                ErrorCode.VALIDATION,
                f"At most {MAX_PAGES} labels in one PDF (lots x copies)",
                ("input", "copies"),
            )
        )
    if problems:
        raise UserErrors(problems)
    return pks


async def _labels(reader: Reader, pks: Sequence[uuid.UUID]) -> list[VialLabel]:
    """The lots' labels in the order asked; NOT_FOUND for unknown lots and VALIDATION for
    lots that are not released stock."""
    rows = {row.id: row for row in await reader.fetch(_label_rows(pks))}
    problems = [
        Problem(ErrorCode.NOT_FOUND, f"No lot {pk}", ("input", "lotIds"))
        for pk in pks
        if pk not in rows
    ]
    problems += [
        Problem(
            ErrorCode.VALIDATION,
            f"Lot {row.lot_number} is {LotStatus(row.status).value.upper()}: labels are printed "
            "for released (ACTIVE) lots only",
            ("input", "lotIds"),
        )
        for pk in pks
        if (row := rows.get(pk)) is not None and LotStatus(row.status) not in LABELLED_STATUSES
    ]
    if problems:
        raise UserErrors(problems)
    coas: dict[uuid.UUID, list[Any]] = {pk: [] for pk in pks}
    for coa in await reader.fetch(_coa_rows(pks)):
        coas[coa.lot_id].append(coa)
    return [vial_label(rows[pk], rows[pk], rows[pk], purity_of(coas[pk])) for pk in pks]


async def print_labels(
    ctx: RequestContext,
    storage: Storage,
    lot_ids: Sequence[str],
    label_format: LabelFormat,
    copies: int,
) -> Outcome[PrintedLabels]:
    """Check, read, draw (in a worker thread: reportlab is CPU-bound), store outside any
    transaction, then record the file and an audit entry per lot in one transaction. Bad
    input stores and records nothing."""
    try:
        pks = _checked_ids(lot_ids, copies)
        labels = await _labels(ctx.reader, pks)
    except UserErrors as exc:
        return Outcome(None, exc.problems)
    pdf = await asyncio.to_thread(render, labels, label_format, copies)
    await ctx.release()
    name = f"labels-{label_format.value.replace('_', '-')}-{labels[0].lot_number}.pdf"
    stored = await uploads.store_generated(storage, pdf, FilePurpose.LABELS, ContentType.PDF, name)

    async def record(session: AsyncSession) -> PrintedLabels:
        file = await uploads.record(session, ctx.actor, stored)
        await _audit(session, ctx.actor, pks, file, label_format, copies)
        return PrintedLabels(file, page_count(len(pks), copies))

    return await run_mutation(ctx, record)


async def _audit(
    session: AsyncSession,
    actor: Actor,
    pks: Sequence[uuid.UUID],
    file: StoredFile,
    label_format: LabelFormat,
    copies: int,
) -> None:
    """GMP traceability: each lot's audit log says its labels were printed, how and where
    the PDF is (one statement for the lots, locked). A lot that left ACTIVE since it was
    read (a recall meanwhile) fails the print: the PDF stays an orphan `files prune` drops."""
    lots = (await session.scalars(select(Lot).where(Lot.id.in_(list(pks))).with_for_update())).all()
    moved = [lot.lot_number for lot in lots if LotStatus(lot.status) not in LABELLED_STATUSES]
    if moved:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"Lots {', '.join(sorted(moved))} left ACTIVE while the labels were drawn",
            ("input", "lotIds"),
        )
    context = {"format": label_format.value, "copies": copies, "fileId": str(file.id)}
    for lot in lots:
        audit.record(session, actor, AuditAction.LABELS_PRINTED, lot, context=context)


# What Lot.label reads through the request's loaders (by id, a page of lots at once).
VARIANT_ROWS: FromClause = Variant.__table__
PRODUCT_ROWS: FromClause = Product.__table__
