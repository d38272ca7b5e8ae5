"""Finance's reports in the graph: aging (BR-31) and payment due (BR-10), one SQL statement
each plus one batched load of the manufacturers (or invoices) a query selects."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.access import require
from auth.file_links import Variant as LinkVariant
from auth.permissions import Permission, Scope, grant
from db.reader import Reader
from db.storage import storage_for
from domain.clock import today
from domain.enums import PaymentTerms
from domain.finance import AgingBucket
from resolvers.finance import costs, exports, reports
from schema.catalog import enums as _catalog_enums  # noqa: F401 - PaymentTerms, registered there
from schema.catalog.types import Manufacturer
from schema.context import request_context
from schema.errors import UserError, bad_user_input
from schema.execution.relations import Lazy, to_one
from schema.files import signed_url
from schema.finance import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.finance.costs import MAX_ROWS, checked_limit, cost_conditions, margins
from schema.inputs import INPUT
from schema.lists import filter_id
from schema.money import Money
from schema.payloads import user_errors
from schema.permissions import requires


def _money(line: reports.AgingLine, bucket: AgingBucket) -> Money:
    return Money(amount=line.amounts[bucket], currency=line.currency)


@strawberry.type(description="Owed amounts by aging bucket (BR-31), in one currency.")
class AgingAmounts:
    line: strawberry.Private[reports.AgingLine]

    @strawberry.field(description="Not yet due.")
    def current(self) -> Money:
        return _money(self.line, AgingBucket.CURRENT)

    @strawberry.field(name="days1To30", description="1-30 days past due.")
    def days_1_30(self) -> Money:
        return _money(self.line, AgingBucket.DAYS_1_30)

    @strawberry.field(name="days31To60", description="31-60 days past due.")
    def days_31_60(self) -> Money:
        return _money(self.line, AgingBucket.DAYS_31_60)

    @strawberry.field(name="days61To90", description="61-90 days past due.")
    def days_61_90(self) -> Money:
        return _money(self.line, AgingBucket.DAYS_61_90)

    @strawberry.field(name="days90Plus", description="More than 90 days past due.")
    def days_90_plus(self) -> Money:
        return _money(self.line, AgingBucket.DAYS_90_PLUS)

    @strawberry.field(description="All buckets.")
    def total(self) -> Money:
        return Money(amount=self.line.total, currency=self.line.currency)


@strawberry.type(description="One manufacturer's owed amounts by bucket, in one currency.")
class AgingSummaryRow(AgingAmounts):
    manufacturer_id: strawberry.Private[uuid.UUID]

    manufacturer = to_one(
        Manufacturer, "manufacturer_id", description="The manufacturer.", required=True
    )


@strawberry.type(description="One owed invoice: its bucket and days past due as of the date.")
class AgingDetailRow(AgingAmounts):
    invoice_id: strawberry.Private[uuid.UUID]
    due_date: date = strawberry.field(description="Its due date.")
    days_past_due: int = strawberry.field(description="as of - due date; negative before due.")

    @strawberry.field(description="Its bucket.")
    def bucket(self) -> AgingBucket:
        return self.line.bucket or AgingBucket.CURRENT

    invoice = to_one(
        Lazy("Invoice", "schema.finance.types"),
        "invoice_id",
        description="The invoice.",
        required=True,
    )


@strawberry.type(description="Aging of what we owe manufacturers (BR-31) as of a date.")
class AgingReport:
    as_of: date = strawberry.field(description="The date days past due are counted to.")
    rows: list[AgingSummaryRow] = strawberry.field(
        description="One row per manufacturer (and currency) owed anything, by name."
    )
    totals: list[AgingAmounts] = strawberry.field(
        description="The rows added up, one per currency (amounts of two are never summed)."
    )


@strawberry.type(description="Aging of one manufacturer's owed invoices (BR-31).")
class AgingDetail:
    as_of: date = strawberry.field(description="The date days past due are counted to.")
    rows: list[AgingDetailRow] = strawberry.field(description="One per owed invoice, by due date.")
    totals: list[AgingAmounts] = strawberry.field(description="Its rows added up, per currency.")


@strawberry.type(description="What falls due under one set of payment terms.")
class TermsAmount:
    terms: PaymentTerms = strawberry.field(description="The manufacturers' payment terms.")
    amount: Money = strawberry.field(description="What falls due under them.")


@strawberry.type(description="What falls due by a date (overdue included), in one currency.")
class PaymentDue:
    until: date = strawberry.field(description="Due on or before this date.")
    total: Money = strawberry.field(description="All of it.")
    by_terms: list[TermsAmount] = strawberry.field(
        description="Split by the manufacturers' payment terms (BR-10: NET30 and NET60)."
    )


def _aging(report: reports.AgingReport, detail: bool) -> Any:
    totals = [AgingAmounts(line=t) for t in report.totals]
    if detail:
        return AgingDetail(
            as_of=report.as_of,
            rows=[
                AgingDetailRow(
                    line=line,
                    invoice_id=line.invoice_id or uuid.UUID(int=0),
                    due_date=line.due_date or report.as_of,
                    days_past_due=line.days_past_due or 0,
                )
                for line in report.lines
            ],
            totals=totals,
        )
    return AgingReport(
        as_of=report.as_of,
        rows=[
            AgingSummaryRow(line=line, manufacturer_id=line.manufacturer_id)
            for line in report.lines
        ],
        totals=totals,
    )


def payment_due_of(found: list[reports.PaymentDue], until: date) -> list[PaymentDue]:
    return [
        PaymentDue(
            until=until,
            total=Money(amount=due.total, currency=due.currency),
            by_terms=[
                TermsAmount(terms=terms, amount=Money(amount=amount, currency=due.currency))
                for terms, amount in sorted(due.by_terms.items())
            ],
        )
        for due in found
    ]


MAX_DUE_WITHIN = 3650
AS_OF = Annotated[
    date | None,
    strawberry.argument(description="Count days past due to this date; today (UTC) by default."),
]
WITHIN_DAYS = Annotated[
    int,
    strawberry.argument(
        description=f"Due within this many days from today, 0 to {MAX_DUE_WITHIN} (overdue "
        "included)."
    ),
]


async def owed_payment_due(info: Info[Any, Any], within_days: int) -> list[PaymentDue]:
    """Payment due as the viewer may see it: every manufacturer with VIEW_INVOICES for all,
    a manufacturer its own; FORBIDDEN for others."""
    if not 0 <= within_days <= MAX_DUE_WITHIN:
        raise bad_user_input(f"withinDays must be between 0 and {MAX_DUE_WITHIN}")
    context = request_context(info)
    actor = context.actor
    # FORBIDDEN (logged) for a role that reads no invoice: the dashboard's other fields
    # still answer.
    scope = grant(actor.role, Permission.VIEW_INVOICES) or require(
        actor, Permission.VIEW_INVOICES, info.path.as_list()
    )
    ids = None if scope is Scope.ALL else [actor.manufacturer_id or uuid.UUID(int=0)]
    until = reports.window(today(), within_days)
    found = await reports.payment_due(context.reader, until, reports.manufacturer_conditions(ids))
    return payment_due_of(found, until)


@strawberry.type
class FinanceReportQuery:
    @strawberry.field(
        description="Aging of what we owe (BR-31) by manufacturer, as of a date (today by "
        "default): Current / 1-30 / 31-60 / 61-90 / 90+ days past due.",
        extensions=requires(Permission.VIEW_FINANCIAL_REPORTS),
    )
    async def aging_report(
        self,
        info: Info[Any, Any],
        as_of: AS_OF = None,
        manufacturer_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Only these manufacturers."),
        ] = None,
    ) -> AgingReport:
        ids = (
            None
            if manufacturer_ids is None
            else [filter_id(i, "Manufacturer", "manufacturerIds") for i in manufacturer_ids]
        )
        report = await reports.aging(
            request_context(info).reader,
            as_of or today(),
            reports.manufacturer_conditions([i for i in ids or [] if i] if ids else None),
        )
        result: AgingReport = _aging(report, detail=False)
        return result

    @strawberry.field(
        description="Aging of one manufacturer's owed invoices (BR-31), as of a date.",
        extensions=requires(Permission.VIEW_FINANCIAL_REPORTS),
    )
    async def aging_detail(
        self,
        info: Info[Any, Any],
        manufacturer_id: Annotated[
            strawberry.ID, strawberry.argument(description="The manufacturer.")
        ],
        as_of: AS_OF = None,
    ) -> AgingDetail:
        pk = filter_id(manufacturer_id, "Manufacturer", "manufacturerId")
        report = await reports.aging(
            request_context(info).reader,
            as_of or today(),
            reports.manufacturer_conditions([pk] if pk else []),
            detail=True,
        )
        result: AgingDetail = _aging(report, detail=True)
        return result

    @strawberry.field(
        description="What falls due within `withinDays` days from today (overdue included), "
        "split by payment terms (BR-10 paymentDue), per currency.",
        extensions=requires(Permission.VIEW_FINANCIAL_REPORTS),
    )
    async def payment_due(
        self, info: Info[Any, Any], within_days: WITHIN_DAYS = 30
    ) -> list[PaymentDue]:
        return await owed_payment_due(info, within_days)


@strawberry.input(description="The aging report to export (as agingReport takes it).")
class ExportAgingReportInput:
    as_of: date | None = strawberry.field(default=None, description="Today when left out.")
    manufacturer_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these manufacturers."
    )


@strawberry.input(description="The payment due to export (as paymentDue takes it).")
class ExportPaymentDueInput:
    within_days: int = strawberry.field(
        description=f"Due within this many days from today, 0 to {MAX_DUE_WITHIN} (overdue "
        "included)."
    )


@strawberry.input(description="The cost report to export (as costReport takes it).")
class ExportCostReportInput:
    manufacturer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this manufacturer's jobs."
    )
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this order's jobs."
    )
    limit: int = strawberry.field(
        default=MAX_ROWS, description=f"At most this many rows (1 to {MAX_ROWS})."
    )


@strawberry.input(description="The margin report to export (as marginReport takes it).")
class ExportMarginReportInput:
    order_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these orders."
    )
    low_margin_only: bool = strawberry.field(
        default=False, description="Only orders flagged low-margin."
    )
    limit: int = strawberry.field(
        default=MAX_ROWS, description=f"At most this many rows (1 to {MAX_ROWS})."
    )


@strawberry.type(description="A report exported as a file.")
class ReportExportPayload:
    url: str | None = strawberry.field(
        description='A signed, expiring link to the CSV (README "Files"); null on errors.'
    )
    file_name: str | None = strawberry.field(description='e.g. "aging-2026-12-07.csv".')
    errors: list[UserError] = user_errors()


async def _exported(
    info: Info[Any, Any], build: Callable[[Reader], Awaitable[exports.CsvTable]]
) -> ReportExportPayload:
    """Every report's CSV export: stored once, answered with its signed link."""
    ctx = request_context(info)
    outcome = await exports.export(ctx, storage_for(ctx.settings.files), build)
    stored = outcome.value
    return ReportExportPayload(
        url=signed_url(info, stored.id, LinkVariant.ORIGINAL) if stored else None,
        file_name=stored.original_name if stored else None,
        errors=UserError.from_problems(outcome.problems),
    )


@strawberry.type
class FinanceExportMutation:
    @strawberry.mutation(
        description="Export the aging report as CSV for a spreadsheet: one row per "
        "manufacturer and currency, then the totals; the link expires like every file link.",
        extensions=requires(Permission.VIEW_FINANCIAL_REPORTS),
    )
    async def export_aging_report(
        self, info: Info[Any, Any], input: Annotated[ExportAgingReportInput, INPUT]
    ) -> ReportExportPayload:
        ids = (
            None
            if input.manufacturer_ids is None
            else [filter_id(i, "Manufacturer", "manufacturerIds") for i in input.manufacturer_ids]
        )
        as_of = input.as_of or today()
        conditions = reports.manufacturer_conditions(
            [i for i in ids if i] if ids is not None else None
        )

        async def build(reader: Reader) -> exports.CsvTable:
            return exports.aging_table(await reports.aging(reader, as_of, conditions))

        return await _exported(info, build)

    @strawberry.mutation(
        description="Export payment due (BR-10) as CSV: per currency one row per payment "
        "terms, then its total; every manufacturer's.",
        extensions=requires(Permission.VIEW_FINANCIAL_REPORTS),
    )
    async def export_payment_due(
        self, info: Info[Any, Any], input: Annotated[ExportPaymentDueInput, INPUT]
    ) -> ReportExportPayload:
        if not 0 <= input.within_days <= MAX_DUE_WITHIN:
            raise bad_user_input(f"withinDays must be between 0 and {MAX_DUE_WITHIN}")
        until = reports.window(today(), input.within_days)

        async def build(reader: Reader) -> exports.CsvTable:
            return exports.payment_due_table(await reports.payment_due(reader, until), until)

        return await _exported(info, build)

    @strawberry.mutation(
        description="Export the cost report (BR-32) as CSV: one row per job, by job number.",
        extensions=requires(Permission.VIEW_COSTS),
    )
    async def export_cost_report(
        self, info: Info[Any, Any], input: Annotated[ExportCostReportInput, INPUT]
    ) -> ReportExportPayload:
        conditions = cost_conditions(input.manufacturer_id, input.order_id)
        limit = checked_limit(input.limit)

        async def build(reader: Reader) -> exports.CsvTable:
            found = await costs.job_costs(reader, conditions, limit)
            return exports.cost_table(found, today())

        return await _exported(info, build)

    @strawberry.mutation(
        description="Export the margin report (BR-32) as CSV: one row per order, by reference.",
        extensions=requires(Permission.VIEW_COSTS),
    )
    async def export_margin_report(
        self, info: Info[Any, Any], input: Annotated[ExportMarginReportInput, INPUT]
    ) -> ReportExportPayload:
        checked_limit(input.limit)

        async def build(reader: Reader) -> exports.CsvTable:
            found = await margins(reader, input.order_ids, input.low_margin_only, input.limit)
            return exports.margin_table(found, today())

        return await _exported(info, build)
