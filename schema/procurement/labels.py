"""Vial labels in the graph (seed 002 §10): `Lot.label` (§10.1's data, added to Lot as an
Extension) and `printVialLabels`, the PDF in one of §10.2's formats behind a signed link."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.file_links import Variant as LinkVariant
from auth.permissions import Permission
from db.storage import storage_for
from domain.catalog import GhsPictogram, ProductForm
from domain.labels import (
    COMPANY,
    FORMATS,
    MAX_COPIES,
    MAX_LOTS,
    MAX_PAGES,
    RESEARCH_USE_ONLY,
    LabelFormat,
)
from domain.labels import VialLabel as LabelData
from resolvers.procurement import labels
from schema.context import request_context
from schema.enums import graphql_enum
from schema.errors import UserError
from schema.files import signed_url
from schema.inputs import INPUT
from schema.payloads import user_errors
from schema.permissions import requires

graphql_enum(
    LabelFormat,
    "A vial label format (seed 002 §10.2): each PDF page is one label of this size.",
    {
        LabelFormat.SMALL_VIAL: '1" x 0.5", 2 mL vials: name, lot, expiry and a QR code (a '
        "linear barcode of catalog and lot number would not scan at that width).",
        LabelFormat.STANDARD_VIAL: '2" x 1", 5-10 mL vials: full information and a QR code '
        "(as the small vial).",
        LabelFormat.BOTTLE: '3" x 2", solvents and larger containers: full information and a '
        "Code 128 barcode.",
    },
)


@strawberry.type(description="What a lot's vial label says (seed 002 §10.1).")
class VialLabel:
    product_name: str = strawberry.field(description="product.title (GHS, RUO).")
    catalog_number: str = strawberry.field(description="The variant's SKU.")
    lot_number: str = strawberry.field(description="GMP traceability.")
    quantity: str = strawberry.field(description="Quantity / size: the variant's title.")
    expiration_date: date | None = strawberry.field(description="The lot's expiry.")
    barcode_value: str = strawberry.field(
        description='What the barcode holds: "<catalog number>|<lot number>".'
    )
    cas_number: str | None = strawberry.field(description="The product's CAS number.")
    form: ProductForm | None = strawberry.field(description="The product's form.")
    purity: Decimal | None = strawberry.field(
        description="Percent, from the lot's verified COA (the newest analysis if several); "
        "null without one: a draft, rejected, expired or superseded COA does not count."
    )
    storage: str | None = strawberry.field(description="The product's storage conditions.")
    ghs_pictograms: list[GhsPictogram] = strawberry.field(
        description="The product's GHS pictograms (drawn on the bottle label)."
    )
    research_use_only: str = strawberry.field(description="Static text (FDA 21 CFR 809.10).")
    company: str = strawberry.field(description="Company name and contact (static).")

    @classmethod
    def of(cls, data: LabelData) -> VialLabel:
        return cls(
            product_name=data.product_name,
            catalog_number=data.catalog_number,
            lot_number=data.lot_number,
            quantity=data.quantity,
            expiration_date=data.expiration_date,
            barcode_value=data.barcode_value,
            cas_number=data.cas_number,
            form=data.form,
            purity=data.purity,
            storage=data.storage,
            ghs_pictograms=list(data.ghs_pictograms),
            research_use_only=RESEARCH_USE_ONLY,
            company=COMPANY,
        )


@strawberry.type(description="Lot fields added by labels (schema.domain.Extension).")
class LotLabelFields:
    pk: strawberry.Private[uuid.UUID]
    lot_number: strawberry.Private[str]
    expiration_date: strawberry.Private[date | None]
    variant_id: strawberry.Private[uuid.UUID]
    product_id: strawberry.Private[uuid.UUID]

    @strawberry.field(
        description="Its vial label's data (seed 002 §10.1); a page of lots reads their "
        "variants, products and verified COAs in three statements."
    )
    async def label(self, info: Info[Any, Any]) -> VialLabel:
        loaders = request_context(info).loaders
        variant, product, coas = await asyncio.gather(
            loaders.by_id(labels.VARIANT_ROWS).load(self.variant_id),
            loaders.by_id(labels.PRODUCT_ROWS).load(self.product_id),
            loaders.children(labels.VERIFIED_COAS_OF_LOTS, "lot_id").load(self.pk),
        )
        return VialLabel.of(labels.vial_label(self, variant, product, labels.purity_of(coas)))


@strawberry.input(description="Lots to print vial labels for, in one §10.2 format.")
class PrintVialLabelsInput:
    lot_ids: list[strawberry.ID] = strawberry.field(
        description=f"ACTIVE lots (released stock), 1 to {MAX_LOTS}; printed in this order."
    )
    format: LabelFormat = strawberry.field(description="The label size.")
    copies: int = strawberry.field(
        default=1,
        description=f"Labels per lot, 1 to {MAX_COPIES}; at most {MAX_PAGES} labels in all.",
    )


@strawberry.type(description="Vial labels printed as a PDF, one page per label.")
class PrintVialLabelsPayload:
    url: str | None = strawberry.field(
        description='A signed, expiring link to the PDF (README "Files"); null on errors.'
    )
    file_name: str | None = strawberry.field(description='e.g. "labels-bottle-BPC157-….pdf".')
    page_width_inches: float | None = strawberry.field(description="Each page's width.")
    page_height_inches: float | None = strawberry.field(description="Each page's height.")
    label_count: int | None = strawberry.field(description="Pages in the PDF.")
    errors: list[UserError] = user_errors()


@strawberry.type
class LabelMutation:
    @strawberry.mutation(
        description="Print vial labels (seed 002 §10.2) for released lots as a PDF with a "
        "barcode of catalog and lot number; each lot's audit log records it. NOT_FOUND for "
        "an unknown lot; VALIDATION for a lot that is not ACTIVE, or too many lots or copies.",
        extensions=requires(Permission.MANAGE_PROCUREMENT),
    )
    async def print_vial_labels(
        self, info: Info[Any, Any], input: Annotated[PrintVialLabelsInput, INPUT]
    ) -> PrintVialLabelsPayload:
        ctx = request_context(info)
        outcome = await labels.print_labels(
            ctx, storage_for(ctx.settings.files), input.lot_ids, input.format, input.copies
        )
        printed = outcome.value
        if printed is None:
            return PrintVialLabelsPayload(
                url=None,
                file_name=None,
                page_width_inches=None,
                page_height_inches=None,
                label_count=None,
                errors=UserError.from_problems(outcome.problems),
            )
        spec = FORMATS[input.format]
        return PrintVialLabelsPayload(
            url=signed_url(info, printed.file.id, LinkVariant.ORIGINAL),
            file_name=printed.file.original_name,
            page_width_inches=spec.width_in,
            page_height_inches=spec.height_in,
            label_count=printed.labels,
            errors=[],
        )
