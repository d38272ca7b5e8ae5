"""COAs in the graph (SPEC §1.7, §2.7, §9; BR-44, BR-45): the Coa node with its lots, file
and revision chain; `coa`/`coas` for procurement viewers; the mutations (upload, change a
draft, attach to lots, verify/reject/expire, revise) for "QC and COA verification" (admins
and ops, qc:write); and the storefront's public read, `storefrontCoas`, for anyone."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.file_uploads import Upload
from strawberry.types import Info

from auth.permissions import Permission
from db.storage import storage_for
from domain.coas import CoaStatus
from resolvers.filters import containing, one_of
from resolvers.ids import encode_id
from resolvers.pagination import SortKey
from resolvers.procurement import coa_sources, coas
from resolvers.procurement.coa_workflow import COA_WORKFLOW
from schema.cache_hints import cache_for
from schema.context import request_context
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.enums import graphql_enum
from schema.errors import UserError
from schema.execution.relations import Lazy, children, to_one
from schema.files import file_of, public_url
from schema.inputs import EXPECTED_VERSION, INPUT, omittable, optional, provided, reload
from schema.lists import ListOf, filter_id, filter_values, order_input
from schema.lookups import lookup_field
from schema.node import Node, load_node
from schema.payloads import node_mutation, user_errors
from schema.permissions import requires
from schema.procurement.types import Lot
from schema.workflow import (
    ALLOWED_DESCRIPTION,
    HISTORY_DESCRIPTION,
    StatusChange,
    allowed_transitions,
    status_history,
)

VERIFY = Permission.PERFORM_QC
# SPEC §9.3: the storefront's COAs change rarely; a CDN may keep them for 300 s.
STOREFRONT_MAX_AGE = 300
_BY_NUMBER = (SortKey("lot_number"),)
_MODULE = __name__

graphql_enum(
    CoaStatus,
    "Where a certificate of analysis stands (SPEC §2.7).",
    {
        CoaStatus.DRAFT: "Uploaded, not reviewed yet; its fields may still change.",
        CoaStatus.VERIFIED: "Reviewed and authentic: immutable (BR-44), public on the "
        "storefront for its active lots.",
        CoaStatus.EXPIRED: "Its lots expired or its retention passed. Final.",
        CoaStatus.SUPERSEDED: "Replaced by its next revision (supersededBy). Final.",
        CoaStatus.REJECTED: "Found invalid or fraudulent. Final.",
    },
)


@strawberry.type(description="One test of a COA: what was measured, how, and the result.")
class PurityRecord:
    test: str = strawberry.field(description='E.g. "Purity", "Identity", "Water content".')
    method: str | None = strawberry.field(description='E.g. "HPLC", "MS", "Karl Fischer".')
    result: str = strawberry.field(description='As the lab wrote it, e.g. "98.7%".')
    specification: str | None = strawberry.field(description='The limit, e.g. "≥ 98%".')


@strawberry.input(description="One test of a COA.")
class PurityRecordInput:
    test: str = strawberry.field(description='E.g. "Purity" (at most 200 characters).')
    result: str = strawberry.field(description='As the lab wrote it, e.g. "98.7%".')
    method: str | None = optional('E.g. "HPLC".')
    specification: str | None = optional('The limit, e.g. "≥ 98%".')


def _records(value: Any) -> list[PurityRecord]:
    return [
        PurityRecord(
            test=str(r.get("test", "")),
            method=r.get("method"),
            result=str(r.get("result", "")),
            specification=r.get("specification"),
        )
        for r in value or []
        if isinstance(r, dict)
    ]


@strawberry.type(
    description="A certificate of analysis (SPEC §1.7): a lab's PDF for one or more lots, "
    "with what it says. Immutable once verified (BR-44): a correction is its next revision."
)
class Coa(Node):
    pk: strawberry.Private[uuid.UUID]
    file_key: str = strawberry.field(
        description="Where its PDF is stored: coa/{lot}/{lot}-coa-v{N}.pdf (never overwritten)."
    )
    file_sha256: str = strawberry.field(description="SHA-256 of the PDF, taken at upload.")
    purity_percentage: Decimal | None = strawberry.field(description="Purity, 0 to 100.")
    analysis_date: date | None = strawberry.field(description="When the lab analysed it.")
    lab_name: str | None = strawberry.field(description="The lab.")
    lab_reference: str | None = strawberry.field(description="The lab's reference.")
    notes: str | None = strawberry.field(description="Internal notes (editable).")
    status: CoaStatus = strawberry.field(description="Where it stands (SPEC §2.7).")
    status_changed_at: datetime | None = strawberry.field(description="Last status change.")
    status_reason: str | None = strawberry.field(description="Why, as given.")
    revision: int = strawberry.field(description="1 for the first; +1 per correction.")
    retention_until: date = strawberry.field(
        description="Kept at least until (BR-45: three years past its lots' last "
        "distribution); never deleted by any command."
    )
    verified: bool = strawberry.field(description="True once verified (SPEC §1.7).")
    verified_by: str | None = strawberry.field(description="Who verified it.")
    verified_at: datetime | None = strawberry.field(description="When.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    file_id: strawberry.Private[uuid.UUID]
    revises_id: strawberry.Private[uuid.UUID | None]
    superseded_by_id: strawberry.Private[uuid.UUID | None]
    purity_records: strawberry.Private[Any]

    @strawberry.field(name="purityRecords", description="Each test of the certificate.")
    def purity_record_list(self) -> list[PurityRecord]:
        return _records(self.purity_records)

    file = file_of(
        coa_sources.COA_FILES,
        "file_id",
        description="The PDF: signed links for procurement viewers; `publicUrl` for anyone "
        "once verified.",
    )
    lots = children(
        Lot,
        "coa_id",
        description="The lots it covers.",
        order=_BY_NUMBER,
        through=coa_sources.LOTS_OF_COAS,
    )
    revises = to_one(
        Lazy("Coa", _MODULE), "revises_id", description="The revision this one corrects."
    )
    superseded_by = to_one(
        Lazy("Coa", _MODULE), "superseded_by_id", description="The revision that replaced it."
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[CoaStatus]:
        return allowed_transitions(info, COA_WORKFLOW, CoaStatus(self.status), None)


# -- lists ---------------------------------------------------------------------------------------

CoaOrder = order_input(
    "Coa",
    "COAs",
    analysis_date="By analysis date.",
    created_at="By upload time.",
    lab_reference="By lab reference.",
)


@strawberry.input(description="Narrows a list of COAs. All given fields must match.")
class CoaFilter:
    statuses: list[CoaStatus] | None = optional("Only in one of these statuses.")
    lot_id: strawberry.ID | None = optional("Only those covering this lot.")
    search: str | None = optional("Case-insensitive substring of the lab or its reference.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        values = filter_values(self, lot_id="Lot")
        t = coa_sources.COAS.c
        found: list[ColumnElement[bool]] = [
            *one_of(t.status, [s.value for s in values["statuses"] or ()]),
            *containing([t.lab_name, t.lab_reference], values["search"]),
        ]
        if values["lot_id"] is not None:
            found.append(coa_sources.covers_lot(values["lot_id"]))
        return found


COAS = ListOf(
    "Coa",
    _MODULE,
    coa_sources.COAS,
    default_order=(SortKey("created_at", True),),
    filter=CoaFilter,
    order=CoaOrder,
    permission=Permission.VIEW_PROCUREMENT,
)


# -- the storefront (SPEC §9) --------------------------------------------------------------------


@strawberry.type(description="A lot a storefront COA covers.")
class StorefrontLot:
    lot_number: str = strawberry.field(description="E.g. BPC157-PP260315-01.")
    status: str = strawberry.field(description='Always "active" here.')
    expiration_date: date | None = strawberry.field(description="When it expires.")


@strawberry.type(description="A verified COA as the storefront shows it (SPEC §9.2).")
class StorefrontCoa:
    id: strawberry.ID = strawberry.field(description="The COA's ID.")
    file_url: str = strawberry.field(
        description="Its PDF's stable public link (/files/public/<id>), no credentials."
    )
    file_sha256: str = strawberry.field(description="SHA-256 of the PDF.")
    purity_percentage: Decimal | None = strawberry.field(description="Purity, 0 to 100.")
    analysis_date: date | None = strawberry.field(description="When the lab analysed it.")
    lab_name: str | None = strawberry.field(description="The lab.")
    lab_reference: str | None = strawberry.field(description="The lab's reference.")
    status: str = strawberry.field(description='Always "verified".')
    revision: int = strawberry.field(description="Its revision.")
    lots: list[StorefrontLot] = strawberry.field(description="Its active lots of the product.")
    purity_records: list[PurityRecord] = strawberry.field(description="Each test.")


async def storefront_coas(info: Info[Any, Any], product_id: uuid.UUID) -> list[StorefrontCoa]:
    """Two statements whatever the number of COAs and lots: the COAs, then their lots."""
    reader = request_context(info).reader
    rows = await reader.fetch(coa_sources.storefront_coas(product_id))
    lots: dict[uuid.UUID, list[StorefrontLot]] = {row.id: [] for row in rows}
    if rows:
        for lot in await reader.fetch(coa_sources.storefront_lots(product_id, list(lots))):
            lots[lot.coa_id].append(
                StorefrontLot(
                    lot_number=lot.lot_number,
                    status=str(lot.status),
                    expiration_date=lot.expiration_date,
                )
            )
    return [
        StorefrontCoa(
            id=strawberry.ID(encode_id("Coa", row.id)),
            file_url=public_url(info, row.file_id),
            file_sha256=row.file_sha256,
            purity_percentage=row.purity_percentage,
            analysis_date=row.analysis_date,
            lab_name=row.lab_name,
            lab_reference=row.lab_reference,
            status=str(row.status),
            revision=row.revision,
            lots=lots[row.id],
            purity_records=_records(row.purity_records),
        )
        for row in rows
    ]


@strawberry.type
class CoaQuery:
    coas = COAS.field(description="Certificates of analysis, newest upload first.")

    coa = lookup_field(
        Coa,
        coa_sources.COAS,
        Permission.VIEW_PROCUREMENT,
        "One COA by ID; null when there is none you may see.",
        id="Its ID.",
    )

    @strawberry.field(
        description="A product's public certificates of analysis (SPEC §9.1): the verified "
        "COAs of its variants' active lots, each once, with those lots. No credentials "
        f"needed; by persisted GET a CDN may keep the answer {STOREFRONT_MAX_AGE} s."
    )
    async def storefront_coas(
        self,
        info: Info[Any, Any],
        product_id: Annotated[strawberry.ID, strawberry.argument(description="The product.")],
    ) -> list[StorefrontCoa]:
        pk = filter_id(product_id, "Product", "productId")
        assert pk is not None  # the argument is non-null
        cache_for(request_context(info).request, str(info.path.key), STOREFRONT_MAX_AGE)
        return await storefront_coas(info, pk)


# -- mutations -----------------------------------------------------------------------------------


@strawberry.input(description="A lab's certificate for one or more lots, uploaded as a PDF.")
class CreateCoaInput:
    lot_ids: list[strawberry.ID] = strawberry.field(
        description="The lots it covers (at least one; its PDF is stored under the first's number)."
    )
    file: Upload = strawberry.field(
        description="The PDF (up to 10 MB), a file part of a multipart request."
    )
    purity_percentage: Decimal | None = optional("Purity, 0 to 100.")
    analysis_date: date | None = optional("When the lab analysed it (not in the future).")
    lab_name: str | None = optional("The lab.")
    lab_reference: str | None = optional("The lab's reference, e.g. ATS-2026-00142.")
    purity_records: list[PurityRecordInput] | None = optional("Each test.")
    notes: str | None = optional("Internal notes.")


@strawberry.input(description="A correction of a verified COA: its next revision.")
class ReviseCoaInput:
    id: strawberry.ID = strawberry.field(description="The verified COA to correct.")
    file: Upload = strawberry.field(description="The corrected PDF.")
    reason: str | None = optional("Why it is corrected.")
    purity_percentage: Decimal | None = optional("Purity (default: the old one's).")
    analysis_date: date | None = optional("Analysis date (default: the old one's).")
    lab_name: str | None = optional("The lab (default: the old one's).")
    lab_reference: str | None = optional("The lab's reference (default: the old one's).")
    purity_records: list[PurityRecordInput] | None = optional("Each test (default: the old).")
    notes: str | None = optional("Internal notes.")


@strawberry.input(description="Change a COA's fields: all of them on a draft, notes only after.")
class UpdateCoaInput:
    id: strawberry.ID = strawberry.field(description="The COA.")
    purity_percentage: Decimal | None = omittable("Purity, 0 to 100.")
    analysis_date: date | None = omittable("When the lab analysed it.")
    lab_name: str | None = omittable("The lab.")
    lab_reference: str | None = omittable("The lab's reference.")
    purity_records: list[PurityRecordInput] | None = omittable("Each test.")
    notes: str | None = omittable("Internal notes (editable in every status).")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="More lots a COA covers.")
class AttachCoaToLotsInput:
    id: strawberry.ID = strawberry.field(description="The COA (not rejected or superseded).")
    lot_ids: list[strawberry.ID] = strawberry.field(description="The lots to add.")


@strawberry.input(description="Move a COA along SPEC §2.7.")
class TransitionCoaInput:
    id: strawberry.ID = strawberry.field(description="The COA.")
    status: CoaStatus = strawberry.field(
        description="VERIFIED (from draft), REJECTED (from draft, with a reason) or EXPIRED "
        "(from verified). SUPERSEDED comes with reviseCoa."
    )
    reason: str | None = optional("Why: required to reject.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type(description="The result of a mutation on a COA.")
class CoaPayload:
    coa: Coa | None = strawberry.field(description="The COA as committed; null on errors.")
    errors: list[UserError] = user_errors()


@strawberry.type(description="The result of revising a COA.")
class ReviseCoaPayload:
    coa: Coa | None = strawberry.field(description="The new revision (DRAFT); null on errors.")
    superseded: Coa | None = strawberry.field(description="The old one, now SUPERSEDED.")
    errors: list[UserError] = user_errors()


def _fields(input: Any, exclude: tuple[str, ...]) -> dict[str, Any]:
    values = provided(input, exclude=exclude)
    if values.get("purity_records") is not None:
        values["purity_records"] = [
            {k: v for k, v in vars(record).items() if v is not None}
            for record in values["purity_records"]
        ]
    return values


@strawberry.type
class CoaMutation:
    @strawberry.mutation(
        description="Upload a lab's certificate (PDF) for one or more lots: a DRAFT COA. Its "
        "SHA-256 is recorded and the PDF stored under coa/{lot}/{lot}-coa-v{N}.pdf, never "
        "overwritten and never deleted (BR-45). A refused upload stores nothing.",
        extensions=requires(VERIFY),
    )
    async def create_coa(
        self, info: Info[Any, Any], input: Annotated[CreateCoaInput, INPUT]
    ) -> CoaPayload:
        ctx = request_context(info)
        files = ctx.settings.files
        outcome = await coas.create_coa(
            ctx,
            [str(i) for i in input.lot_ids],
            input.file,
            _fields(input, ("lot_ids", "file")),
            storage=storage_for(files),
            max_upload_bytes=files.max_upload_bytes,
        )
        return CoaPayload(
            coa=await reload(info, Coa, outcome.value),
            errors=UserError.from_problems(outcome.problems),
        )

    @strawberry.mutation(
        description="Correct a verified COA (BR-44): uploads the corrected PDF as the next "
        "revision (a DRAFT covering the same lots, …-coa-v{N+1}.pdf); the old one becomes "
        "SUPERSEDED with supersededBy naming the new one. Fields not given are copied.",
        extensions=requires(VERIFY),
    )
    async def revise_coa(
        self, info: Info[Any, Any], input: Annotated[ReviseCoaInput, INPUT]
    ) -> ReviseCoaPayload:
        ctx = request_context(info)
        files = ctx.settings.files
        outcome = await coas.revise_coa(
            ctx,
            str(input.id),
            input.file,
            _fields(input, ("id", "file", "reason")),
            reason=input.reason,
            storage=storage_for(files),
            max_upload_bytes=files.max_upload_bytes,
        )
        new = outcome.value
        return ReviseCoaPayload(
            coa=await reload(info, Coa, new),
            superseded=await load_node(info, Coa, new.revises_id) if new else None,
            errors=UserError.from_problems(outcome.problems),
        )

    update_coa = node_mutation(
        CoaPayload,
        UpdateCoaInput,
        VERIFY,
        "Change a draft COA's fields. Once verified (or rejected, expired, superseded) "
        "every change to its file, purity, analysis date, lab, lab reference or purity "
        "records is IMMUTABLE (BR-44; correct it with reviseCoa); notes stay editable.",
        lambda s, actor, input: coas.update_coa(
            s, actor, input.id, _fields(input, ("id", "expected_version")), input.expected_version
        ),
    )

    attach_coa_to_lots = node_mutation(
        CoaPayload,
        AttachCoaToLotsInput,
        VERIFY,
        "Let a COA cover more lots (one supplier batch in several deliveries); its "
        "retention follows their expiration dates.",
        lambda s, actor, input: coas.attach_lots(
            s, actor, input.id, [str(i) for i in input.lot_ids]
        ),
    )

    transition_coa = node_mutation(
        CoaPayload,
        TransitionCoaInput,
        VERIFY,
        "Move a COA along SPEC §2.7: verify a draft (immutable and public from then on), "
        "reject a draft with a reason, or expire a verified one.",
        lambda s, actor, input: _moved(
            coas.change_status(
                s, actor, input.id, input.status, input.reason, input.expected_version
            )
        ),
    )


async def _moved(ctx: Any) -> Any:
    return (await ctx).entity
