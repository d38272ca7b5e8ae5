"""What finance's mutations do: create invoices, move them, record and void payments.

Every write that changes what we owe locks the manufacturer's account first
(resolvers/finance/ledger.py), then the records it touches, so concurrent approvals,
payments and voids of one manufacturer never deadlock and never over-allocate.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import owns
from auth.actor import Actor
from auth.permissions import Permission
from db.models import (
    CreditRefund,
    Invoice,
    InvoiceItem,
    Manufacturer,
    ManufacturingJob,
    Payment,
)
from db.storage import Storage
from domain import finance
from domain.bounds import AMOUNT, LARGE_AMOUNT
from domain.clock import today
from domain.enums import ActorType, ManufacturerPaymentMethod
from domain.errors import ErrorCode, Problem, UserErrors
from domain.files import FilePurpose
from domain.finance import (
    PAYABLE_STATUSES,
    InvoiceLineCategory,
    InvoiceStatus,
    Payable,
    PaymentStatus,
)
from domain.notifications import NotificationType
from domain.validation import Checks
from domain.workflow import S, StateMachine
from resolvers import uploads, writes
from resolvers.context import RequestContext
from resolvers.finance import ledger
from resolvers.finance.workflow import INVOICE_WORKFLOW, PAYMENT_WORKFLOW
from resolvers.ids import decode_input_id
from resolvers.lookup import not_found
from resolvers.mutations import Outcome, run_mutation
from resolvers.notify import notify_manufacturer
from resolvers.owners import MANUFACTURER_RECORD
from resolvers.sequences import next_value
from resolvers.transitions import apply

INVOICE_SEQUENCE = "INV"
MAX_LINES = 100
MAX_TEXT = 2000


def invoice_reference(year: int, number: int) -> str:
    """SPEC §9 #21: `INV-` is the invoices' prefix (INV-2026-0001)."""
    return f"INV-{year}-{number:04d}"


async def next_invoice_number(session: AsyncSession, on: date) -> str:
    return invoice_reference(on.year, await next_value(session, INVOICE_SEQUENCE, on.year))


async def locked_manufacturer(
    session: AsyncSession, actor: Actor, global_id: str, permission: Permission
) -> Manufacturer:
    """The manufacturer an input names, if the caller's grant covers its records (a
    manufacturer: itself), locked: the ledger's rule (one writer per manufacturer)."""
    pk = decode_input_id(global_id, "Manufacturer", "manufacturerId")
    if actor.type is not ActorType.SYSTEM and not owns(actor, permission, MANUFACTURER_RECORD, pk):
        raise not_found("Manufacturer", global_id, "manufacturerId")
    try:
        return await ledger.lock_account(session, pk)
    except UserErrors:
        raise not_found("Manufacturer", global_id, "manufacturerId") from None


# -- invoices ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: int
    unit_cost: Decimal
    category: InvoiceLineCategory = InvoiceLineCategory.MANUFACTURING
    job_id: str | None = None


@dataclass(frozen=True)
class InvoiceInput:
    manufacturer_id: str
    lines: Sequence[LineInput]
    invoice_number: str | None = None
    invoice_date: date | None = None
    due_date: date | None = None
    tax_amount: Decimal = Decimal("0.00")
    total_amount: Decimal | None = None
    currency: str | None = None
    notes: str | None = None
    submit: bool = False


def _check_invoice(value: InvoiceInput) -> None:
    checks = Checks()
    checks.text("invoice_number", value.invoice_number, max_length=50, required=False)
    checks.text("notes", value.notes, max_length=MAX_TEXT, required=False)
    checks.money("tax_amount", value.tax_amount, kind=LARGE_AMOUNT)
    checks.money("total_amount", value.total_amount, kind=LARGE_AMOUNT)
    if not value.lines:
        checks.fail("lines", "An invoice needs at least one line")
    if len(value.lines) > MAX_LINES:
        checks.fail("lines", f"At most {MAX_LINES} lines")
    for i, line in enumerate(value.lines):
        where = f"lines.{i}"
        checks.text(f"{where}.description", line.description, max_length=500, required=True)
        checks.positive(f"{where}.quantity", line.quantity)
        if line.quantity > 1_000_000:
            checks.fail(f"{where}.quantity", "quantity must be at most 1000000")
        checks.money(f"{where}.unit_cost", line.unit_cost, kind=AMOUNT)
    _raise_nested(checks)


def _raise_nested(checks: Checks) -> None:
    """Raise the problems found, a line's field at its path (input, lines, 0, unitCost)."""
    if checks.problems:
        raise UserErrors(
            [
                Problem(
                    p.code, p.message, tuple(part for f in p.field or () for part in f.split("."))
                )
                for p in checks.problems
            ]
        )


def _field(path: str) -> tuple[str, ...]:
    return ("input", *path.split("."))


async def _job_lines(
    session: AsyncSession, actor: Actor, manufacturer: Manufacturer, lines: Sequence[LineInput]
) -> dict[int, uuid.UUID]:
    """The jobs lines name: the manufacturer's own, not invoiced yet (a job is billed once)."""
    found: dict[int, uuid.UUID] = {}
    problems: list[Problem] = []
    for i, line in enumerate(lines):
        if line.job_id is None:
            continue
        field = f"lines.{i}.jobId"
        pk = decode_input_id(line.job_id, "ManufacturingJob", field)
        job = await session.get(ManufacturingJob, pk)
        if job is None or job.manufacturer_id != manufacturer.id:
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND, f"No job {line.job_id} of this manufacturer", _field(field)
                )
            )
            continue
        if await invoiced(session, pk, line.category) or (pk, line.category) in {
            (found[j], lines[j].category) for j in found
        }:
            problems.append(
                Problem(
                    ErrorCode.CONFLICT, f"Job {job.job_number} is already invoiced", _field(field)
                )
            )
            continue
        found[i] = pk
    if problems:
        raise UserErrors(problems)
    return found


async def invoiced(session: AsyncSession, job_id: uuid.UUID, category: InvoiceLineCategory) -> bool:
    statement = select(InvoiceItem.id).where(
        InvoiceItem.manufacturing_job_id == job_id, InvoiceItem.category == category
    )
    return (await session.scalars(statement.limit(1))).first() is not None


async def _number_taken(session: AsyncSession, manufacturer: Manufacturer, number: str) -> bool:
    taken = select(Invoice.id).where(
        Invoice.manufacturer_id == manufacturer.id, Invoice.invoice_number == number
    )
    return (await session.scalars(taken)).first() is not None


async def create_invoice(session: AsyncSession, actor: Actor, value: InvoiceInput) -> Invoice:
    """A manual invoice (finance), or a manufacturer's own (its own jobs only): lines total
    to the subtotal, subtotal plus tax to the total (a given total must agree), in the
    manufacturer's currency; DRAFT, or SUBMITTED with `submit`."""
    _check_invoice(value)
    manufacturer = await locked_manufacturer(
        session, actor, value.manufacturer_id, Permission.EDIT_INVOICES
    )
    currency = value.currency or manufacturer.currency
    ledger.check_currency(manufacturer, currency, ("input", "currency"))
    jobs = await _job_lines(session, actor, manufacturer, value.lines)
    line_totals = [finance.cents(line.unit_cost * line.quantity) for line in value.lines]
    subtotal = sum(line_totals, finance.ZERO)
    total = subtotal + value.tax_amount
    if value.total_amount is not None and value.total_amount != total:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"The lines ({subtotal}) plus tax ({value.tax_amount}) make {total}, not "
            f"{value.total_amount}",
            ("input", "totalAmount"),
        )
    checks = Checks()
    checks.money("total_amount", total, kind=LARGE_AMOUNT)
    checks.raise_if_any()
    invoice_date = value.invoice_date or today()
    due = value.due_date or finance.due_date(invoice_date, manufacturer.payment_terms)
    if due < invoice_date:
        raise UserErrors.one(
            ErrorCode.VALIDATION, "dueDate cannot be before invoiceDate", ("input", "dueDate")
        )
    if value.invoice_number is not None:
        number = value.invoice_number
        if await _number_taken(session, manufacturer, number):
            raise UserErrors.one(
                ErrorCode.CONFLICT,
                f"{manufacturer.name} already has an invoice {number}",
                ("input", "invoiceNumber"),
            )
    else:
        # A number typed by hand may have taken the next one: draw past it.
        number = await next_invoice_number(session, invoice_date)
        while await _number_taken(session, manufacturer, number):
            number = await next_invoice_number(session, invoice_date)
    invoice = await writes.create(
        session,
        actor,
        Invoice(
            invoice_number=number,
            manufacturer_id=manufacturer.id,
            invoice_date=invoice_date,
            due_date=due,
            subtotal=subtotal,
            tax_amount=value.tax_amount,
            total_amount=total,
            currency=currency,
            status=InvoiceStatus.DRAFT,
            notes=value.notes,
        ),
    )
    for position, (line, line_total) in enumerate(zip(value.lines, line_totals, strict=True)):
        await writes.create(
            session,
            actor,
            InvoiceItem(
                invoice_id=invoice.id,
                manufacturing_job_id=jobs.get(position),
                position=position,
                description=line.description,
                quantity=line.quantity,
                unit_cost=line.unit_cost,
                line_total=line_total,
                category=line.category,
            ),
        )
    if value.submit:
        await apply(session, actor, INVOICE_WORKFLOW, invoice, InvoiceStatus.SUBMITTED)
    return invoice


def made_by_payments(source: InvoiceStatus, target: InvoiceStatus) -> bool:
    """The moves recordPayment and voidPayment make (BR-29, BR-30), which no one asks for."""
    move = INVOICE_WORKFLOW.move(source, target)
    return move is not None and move.permission is Permission.RECORD_PAYMENTS


async def transition_invoice(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    target: InvoiceStatus,
    *,
    expected_version: int | None = None,
    dispute_reason: str | None = None,
    reason: str | None = None,
) -> Invoice:
    """Submit, approve, dispute or resolve a dispute. The moves payments make (to and from
    PARTIALLY_PAID and PAID) are theirs only. The manufacturer's account is locked before
    the invoice."""
    checks = Checks()
    checks.text("dispute_reason", dispute_reason, max_length=MAX_TEXT, required=False)
    checks.text("reason", reason, max_length=MAX_TEXT, required=False)
    checks.raise_if_any()
    pk = decode_input_id(global_id, "Invoice", "id")
    found = await session.get(Invoice, pk)
    if found is None or not owns(
        actor, Permission.VIEW_INVOICES, MANUFACTURER_RECORD, found.manufacturer_id
    ):
        raise not_found("Invoice", global_id)
    await ledger.lock_account(session, found.manufacturer_id)
    invoice = (
        await session.scalars(
            select(Invoice)
            .where(Invoice.id == pk)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).one()
    if made_by_payments(invoice.status, target):
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"An invoice moves from {invoice.status} to {target} by a payment or its void "
            "(recordPayment, voidPayment)",
            ("input", "status"),
        )
    await apply(
        session,
        actor,
        INVOICE_WORKFLOW,
        invoice,
        target,
        expected_version=expected_version,
        inputs={"dispute_reason": dispute_reason},
        reason=reason,
    )
    return invoice


# -- attachments -------------------------------------------------------------------------------


async def _attachable(session: AsyncSession, actor: Actor, invoice_id: str) -> Invoice:
    """The invoice an input names, if the caller may write it (a manufacturer: its own)."""
    pk = decode_input_id(invoice_id, "Invoice", "invoiceId")
    invoice = await session.get(Invoice, pk, with_for_update=True)
    if invoice is None or not owns(
        actor, Permission.EDIT_INVOICES, MANUFACTURER_RECORD, invoice.manufacturer_id
    ):
        raise not_found("Invoice", invoice_id, "invoiceId")
    return invoice


async def attach_file(
    session: AsyncSession, actor: Actor, invoice_id: str, stored: uploads.Stored
) -> Invoice:
    """Record a stored upload as the invoice's attachment (the invoice checked again)."""
    invoice = await _attachable(session, actor, invoice_id)
    file = await uploads.record(session, actor, stored, attached=True)
    return await writes.update(session, actor, invoice, {"attachment_file_id": file.id})


async def attach(
    ctx: RequestContext,
    invoice_id: str,
    *,
    file: object,
    storage: Storage,
    max_upload_bytes: int,
) -> Outcome[Invoice]:
    """The invoice's document (PDF, JPEG or PNG) through the files mechanism: the invoice is
    checked first, the upload stored outside any transaction, then recorded (README
    "Files")."""
    checked = await run_mutation(ctx, lambda s: _attachable(s, ctx.actor, invoice_id))
    if checked.problems:
        return Outcome(None, checked.problems)
    await ctx.release()
    try:
        stored = await uploads.store(
            storage,
            file,
            FilePurpose.DOCUMENT,
            max_upload_bytes=max_upload_bytes,
            field=("input", "file"),
        )
    except UserErrors as exc:
        return Outcome(None, exc.problems)
    return await run_mutation(ctx, lambda s: attach_file(s, ctx.actor, invoice_id, stored))


# -- payments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationInput:
    invoice_id: str
    amount: Decimal


@dataclass(frozen=True)
class PaymentInput:
    manufacturer_id: str
    amount: Decimal
    payment_method: ManufacturerPaymentMethod
    payment_date: date | None = None
    currency: str | None = None
    reference_number: str | None = None
    notes: str | None = None
    idempotency_key: str | None = None
    # None: automatic allocation, oldest approved invoices first; a list: these, exactly.
    allocations: Sequence[AllocationInput] | None = None


def _check_payment(value: PaymentInput) -> None:
    checks = Checks()
    checks.money("amount", value.amount, kind=LARGE_AMOUNT)
    checks.positive("amount", value.amount)
    checks.text("reference_number", value.reference_number, max_length=100, required=False)
    checks.text("notes", value.notes, max_length=MAX_TEXT, required=False)
    checks.text("idempotency_key", value.idempotency_key, max_length=100, required=False)
    for i, allocation in enumerate(value.allocations or ()):
        checks.money(f"allocations.{i}.amount", allocation.amount, kind=LARGE_AMOUNT)
        checks.positive(f"allocations.{i}.amount", allocation.amount)
    if value.allocations is not None:
        applied = sum((a.amount for a in value.allocations), finance.ZERO)
        if applied > value.amount:
            checks.fail(
                "allocations",
                f"The allocations ({applied}) exceed the payment ({value.amount})",
            )
    _raise_nested(checks)


async def _repeated(session: AsyncSession, key: str | None) -> Payment | None:
    if key is None:
        return None
    return (await session.scalars(select(Payment).where(Payment.idempotency_key == key))).first()


async def _manual_targets(
    session: AsyncSession,
    manufacturer: Manufacturer,
    allocations: Sequence[AllocationInput],
    paid_on: date,
) -> list[tuple[Invoice, Decimal]]:
    """The chosen invoices, locked: each the manufacturer's, payable, owed at least the
    amount applied to it, named once."""
    ids: list[uuid.UUID] = []
    for i, allocation in enumerate(allocations):
        ids.append(decode_input_id(allocation.invoice_id, "Invoice", f"allocations.{i}.invoiceId"))
    invoices = {i.id: i for i in await ledger.payables(session, manufacturer.id, ids)}
    problems: list[Problem] = []
    chosen: list[tuple[Invoice, Decimal]] = []
    for i, (pk, allocation) in enumerate(zip(ids, allocations, strict=True)):
        where = ("input", "allocations", str(i), "invoiceId")
        invoice = invoices.get(pk)
        if invoice is None:
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND,
                    f"No invoice {allocation.invoice_id} of {manufacturer.name}",
                    where,
                )
            )
        elif ids.index(pk) != i:
            problems.append(Problem(ErrorCode.VALIDATION, "An invoice may be named once", where))
        elif invoice.status not in PAYABLE_STATUSES:
            problems.append(
                Problem(
                    ErrorCode.INVALID_TRANSITION,
                    f"Invoice {invoice.invoice_number} is {invoice.status}: only approved or "
                    "partially paid invoices are paid",
                    where,
                )
            )
        elif allocation.amount > (owed := ledger.owed_on(invoice, manufacturer, paid_on)):
            problems.append(
                Problem(
                    ErrorCode.VALIDATION,
                    f"Invoice {invoice.invoice_number} is owed {owed}, "
                    f"less than {allocation.amount}",
                    ("input", "allocations", str(i), "amount"),
                )
            )
        else:
            chosen.append((invoice, allocation.amount))
    if problems:
        raise UserErrors(problems)
    return chosen


async def record_payment(session: AsyncSession, actor: Actor, value: PaymentInput) -> Payment:
    """BR-29: a payment, allocated automatically (oldest approved invoices first) or to the
    invoices chosen; what it does not cover is the manufacturer's credit. Repeating an
    idempotency key answers with the first payment and records nothing."""
    _check_payment(value)
    if (first := await _repeated(session, value.idempotency_key)) is not None:
        return first
    manufacturer = await locked_manufacturer(
        session, actor, value.manufacturer_id, Permission.RECORD_PAYMENTS
    )
    # Under the lock: a concurrent request with the same key has committed by now.
    if (first := await _repeated(session, value.idempotency_key)) is not None:
        return first
    currency = value.currency or manufacturer.currency
    ledger.check_currency(manufacturer, currency, ("input", "currency"))
    paid_on = value.payment_date or today()
    if value.allocations is None:
        open_invoices = await ledger.payables(session, manufacturer.id)
        by_id = {i.id: i for i in open_invoices}
        plan = [
            (by_id[invoice_id], amount)
            for invoice_id, amount in finance.allocate_oldest_first(
                value.amount,
                [Payable(i.id, ledger.owed_on(i, manufacturer, paid_on)) for i in open_invoices],
            )
        ]
    else:
        plan = await _manual_targets(session, manufacturer, value.allocations, paid_on)
    payment = await writes.create(
        session,
        actor,
        Payment(
            manufacturer_id=manufacturer.id,
            payment_date=paid_on,
            amount=value.amount,
            amount_allocated=finance.ZERO,
            currency=currency,
            payment_method=value.payment_method,
            reference_number=value.reference_number,
            notes=value.notes,
            idempotency_key=value.idempotency_key,
            status=PaymentStatus.RECORDED,
            created_by=actor.id,
        ),
    )
    for invoice, amount in plan:
        await ledger.allocate(
            session, actor, INVOICE_WORKFLOW, payment, invoice, amount, manufacturer
        )
    await ledger.recalculate(session, actor, manufacturer)
    _tell_manufacturer(session, manufacturer, payment)
    return payment


def _tell_manufacturer(session: AsyncSession, manufacturer: Manufacturer, payment: Payment) -> None:
    notify_manufacturer(
        session,
        manufacturer.id,
        NotificationType.PAYMENT_RECEIVED,
        f"Payment of {payment.amount} {payment.currency} sent",
        f"We paid {payment.amount} {payment.currency} on {payment.payment_date.isoformat()} "
        f"by {payment.payment_method.value}"
        + (f" (reference {payment.reference_number})" if payment.reference_number else "")
        + ".",
    )


async def void_payment(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    void_reason: str,
    expected_version: int | None = None,
) -> Payment:
    """BR-30: void with a reason (the workflow's move reverses the allocations)."""
    return await void_money_record(
        session,
        actor,
        Voidable(Payment, PAYMENT_WORKFLOW, PaymentStatus.VOIDED),
        global_id,
        void_reason,
        expected_version,
    )


# A record of money that moved: a payment, a credit refund.
M = TypeVar("M", Payment, CreditRefund)


@dataclass(frozen=True)
class Voidable(Generic[M, S]):
    """A kind of money record and the move of its workflow that voids it."""

    model: type[M]
    workflow: StateMachine[S]
    voided: S


async def void_money_record(
    session: AsyncSession,
    actor: Actor,
    kind: Voidable[M, S],
    global_id: str,
    void_reason: str,
    expected_version: int | None,
) -> M:
    """Void with a reason: the record is found as its manufacturer's reader sees it, the
    manufacturer's account locked (the same lock allocations take), the row locked and
    reread, then moved through its workflow (whose effects undo what it did)."""
    checks = Checks()
    checks.text("void_reason", void_reason, max_length=MAX_TEXT, required=True)
    checks.raise_if_any()
    name = kind.model.__name__
    pk = decode_input_id(global_id, name, "id")
    found = await session.get(kind.model, pk)
    if found is None or not owns(
        actor, Permission.VIEW_PAYMENTS, MANUFACTURER_RECORD, found.manufacturer_id
    ):
        raise not_found(name, global_id)
    await ledger.lock_account(session, found.manufacturer_id)
    record = (
        await session.scalars(
            select(kind.model)
            .where(kind.model.id == pk)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).one()
    await apply(
        session,
        actor,
        kind.workflow,
        record,
        kind.voided,
        expected_version=expected_version,
        inputs={"void_reason": void_reason},
    )
    return record
