"""Finance mutations: invoices (create, move), payments (record, void) and credit refunds
(refund, void). Each runs in one
transaction; the rules live in resolvers.finance.rules and the workflows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from auth.permissions import Permission
from db.storage import storage_for
from domain.enums import ManufacturerPaymentMethod
from domain.finance import InvoiceLineCategory, InvoiceStatus
from resolvers.finance import refunds, rules
from schema.context import request_context
from schema.errors import UserError
from schema.finance.reports import FinanceExportMutation
from schema.finance.types import CreditRefund, Invoice, Payment
from schema.inputs import EXPECTED_VERSION, INPUT, optional, reload
from schema.payloads import node_mutation, user_errors
from schema.permissions import requires


@strawberry.input(description="A line of a new invoice.")
class InvoiceLineInput:
    description: str = strawberry.field(description="What it bills (at most 500 characters).")
    quantity: int = strawberry.field(description="How many (1 to 1,000,000).")
    unit_cost: Decimal = strawberry.field(description='The price of one, e.g. "6.00".')
    category: InvoiceLineCategory = strawberry.field(
        default=InvoiceLineCategory.MANUFACTURING, description="What kind of cost."
    )
    job_id: strawberry.ID | None = optional(
        "The job it bills: the manufacturer's own, never invoiced before (CONFLICT)."
    )

    def rule(self) -> rules.LineInput:
        return rules.LineInput(
            description=self.description,
            quantity=self.quantity,
            unit_cost=self.unit_cost,
            category=self.category,
            job_id=self.job_id,
        )


@strawberry.input(
    description="A new invoice: by finance for any manufacturer, by a manufacturer for itself."
)
class CreateInvoiceInput:
    manufacturer_id: strawberry.ID = strawberry.field(description="Who bills it.")
    lines: list[InvoiceLineInput] = strawberry.field(description="Its lines (1 to 100).")
    invoice_number: str | None = optional(
        "Its number, unique per manufacturer; INV-<year>-<n> when left out."
    )
    invoice_date: date | None = optional("Its date; today (UTC) when left out.")
    due_date: date | None = optional(
        "When it is due; the invoice date plus the manufacturer's terms when left out (BR-27)."
    )
    tax_amount: Decimal = strawberry.field(default=Decimal("0.00"), description="Tax.")
    total_amount: Decimal | None = optional(
        "The total as the invoice states it: refused (VALIDATION) unless the lines plus tax "
        "make exactly this."
    )
    currency: str | None = optional(
        "Its currency; the manufacturer's when left out (CURRENCY_MISMATCH if another)."
    )
    notes: str | None = optional("Notes (at most 2000 characters).")
    submit: bool = strawberry.field(
        default=False, description="Submit it at once (SUBMITTED) instead of keeping a DRAFT."
    )


@strawberry.type(description="The result of a mutation on an invoice.")
class InvoicePayload:
    invoice: Invoice | None = strawberry.field(
        description="The invoice as committed; null when `errors` is not empty."
    )
    errors: list[UserError] = user_errors()


@strawberry.input(description="An invoice's document, uploaded with the request.")
class AttachInvoiceFileInput:
    invoice_id: strawberry.ID = strawberry.field(description="The invoice.")
    file: Upload = strawberry.field(
        description="The invoice document: PDF, JPEG or PNG up to 10 MB, a file part of a "
        'multipart request (README "Files"). It replaces an earlier one.'
    )


@strawberry.input(description="Move an invoice to another status.")
class TransitionInvoiceInput:
    id: strawberry.ID = strawberry.field(description="The invoice.")
    status: InvoiceStatus = strawberry.field(
        description="The status to move it to (PARTIALLY_PAID and PAID come from payments)."
    )
    expected_version: int | None = optional(EXPECTED_VERSION)
    dispute_reason: str | None = optional("Required to dispute (→ DISPUTED).")
    reason: str | None = optional("Why, kept in the status history (at most 2000 characters).")


@strawberry.input(description="Part of a payment applied to a chosen invoice.")
class AllocationInput:
    invoice_id: strawberry.ID = strawberry.field(description="An approved or partly paid invoice.")
    amount: Decimal = strawberry.field(description="At most what is owed on it.")


@strawberry.input(description="A payment to a manufacturer.")
class RecordPaymentInput:
    manufacturer_id: strawberry.ID = strawberry.field(description="Who was paid.")
    amount: Decimal = strawberry.field(description='What was paid, e.g. "3000.00".')
    payment_method: ManufacturerPaymentMethod = strawberry.field(description="How.")
    payment_date: date | None = optional("When; today (UTC) when left out.")
    currency: str | None = optional(
        "Its currency; the manufacturer's when left out (CURRENCY_MISMATCH if another)."
    )
    reference_number: str | None = optional("The bank's or check's reference.")
    notes: str | None = optional("Notes.")
    idempotency_key: str | None = optional(
        "A key of the client's choosing: repeating it answers with the first payment and "
        "records nothing."
    )
    allocations: list[AllocationInput] | None = optional(
        "Manual allocation: these invoices and amounts. Left out: automatic, oldest "
        "approved invoices first. What the payment does not cover becomes credit."
    )

    def rule(self) -> rules.PaymentInput:
        return rules.PaymentInput(
            manufacturer_id=self.manufacturer_id,
            amount=self.amount,
            payment_method=self.payment_method,
            payment_date=self.payment_date,
            currency=self.currency,
            reference_number=self.reference_number,
            notes=self.notes,
            idempotency_key=self.idempotency_key,
            allocations=None
            if self.allocations is None
            else [rules.AllocationInput(a.invoice_id, a.amount) for a in self.allocations],
        )


@strawberry.type(description="The result of a mutation on a payment.")
class PaymentPayload:
    payment: Payment | None = strawberry.field(
        description="The payment as committed; null when `errors` is not empty."
    )
    errors: list[UserError] = user_errors()


@strawberry.input(description="Void a payment.")
class VoidPaymentInput:
    id: strawberry.ID = strawberry.field(description="The payment.")
    void_reason: str = strawberry.field(description="Why (at most 2000 characters).")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="Pay back part or all of a manufacturer's credit balance.")
class RefundCreditInput:
    manufacturer_id: strawberry.ID = strawberry.field(description="Who is refunded.")
    amount: Decimal = strawberry.field(
        description='What is paid back, e.g. "250.00": positive, at most its credit balance '
        "(INSUFFICIENT_CREDIT)."
    )
    reason: str = strawberry.field(description="Why (at most 2000 characters).")
    reference: str = strawberry.field(
        description="The bank's or check's reference (at most 100 characters)."
    )
    idempotency_key: str = strawberry.field(
        description="A key of the client's choosing: repeating it with the same figures "
        "answers with the first refund; with other figures it is CONFLICT."
    )
    refund_date: date | None = optional("When; today (UTC) when left out.")
    currency: str | None = optional(
        "Its currency; the manufacturer's when left out (CURRENCY_MISMATCH if another)."
    )


@strawberry.type(description="The result of a mutation on a credit refund.")
class CreditRefundPayload:
    credit_refund: CreditRefund | None = strawberry.field(
        description="The refund as committed; null when `errors` is not empty."
    )
    errors: list[UserError] = user_errors()


@strawberry.input(description="Void a credit refund.")
class VoidCreditRefundInput:
    id: strawberry.ID = strawberry.field(description="The refund.")
    void_reason: str = strawberry.field(description="Why (at most 2000 characters).")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type
class FinanceMutation(FinanceExportMutation):
    @strawberry.mutation(
        description="Attach the invoice's document (the manufacturer's PDF or scan): checked "
        "by its content (FILE_* codes) after the invoice, stored by the files mechanism, "
        "read back through `attachmentUrl`, a signed link.",
        extensions=requires(Permission.EDIT_INVOICES),
    )
    async def attach_invoice_file(
        self, info: Info[Any, Any], input: Annotated[AttachInvoiceFileInput, INPUT]
    ) -> InvoicePayload:
        ctx = request_context(info)
        files = ctx.settings.files
        outcome = await rules.attach(
            ctx,
            input.invoice_id,
            file=input.file,
            storage=storage_for(files),
            max_upload_bytes=files.max_upload_bytes,
        )
        invoice = await reload(info, Invoice, outcome.value) if outcome.value else None
        return InvoicePayload(invoice=invoice, errors=UserError.from_problems(outcome.problems))

    create_invoice = node_mutation(
        InvoicePayload,
        CreateInvoiceInput,
        Permission.EDIT_INVOICES,
        "Create an invoice (DRAFT, or SUBMITTED with `submit`). Lines must add up: a given "
        "`totalAmount` other than lines plus tax is VALIDATION; a job already invoiced is "
        "CONFLICT; a manufacturer invoices only itself and its own jobs (NOT_FOUND).",
        lambda s, actor, input: rules.create_invoice(
            s,
            actor,
            rules.InvoiceInput(
                manufacturer_id=input.manufacturer_id,
                lines=[line.rule() for line in input.lines],
                invoice_number=input.invoice_number,
                invoice_date=input.invoice_date,
                due_date=input.due_date,
                tax_amount=input.tax_amount,
                total_amount=input.total_amount,
                currency=input.currency,
                notes=input.notes,
                submit=input.submit,
            ),
        ),
    )

    transition_invoice = node_mutation(
        InvoicePayload,
        TransitionInvoiceInput,
        Permission.EDIT_INVOICES,
        "Move an invoice along SPEC §2.12: submit (its manufacturer or finance), approve "
        "(finance; credit pays it first, the balance is recalculated), dispute with a "
        "reason, resolve a dispute. Moves not allowed from here, or not to you, are "
        "INVALID_TRANSITION.",
        lambda s, actor, input: rules.transition_invoice(
            s,
            actor,
            input.id,
            input.status,
            expected_version=input.expected_version,
            dispute_reason=input.dispute_reason,
            reason=input.reason,
        ),
    )

    record_payment = node_mutation(
        PaymentPayload,
        RecordPaymentInput,
        Permission.RECORD_PAYMENTS,
        "Record a payment to a manufacturer (BR-29): allocated automatically, oldest "
        "approved invoices first, or to the invoices given; the rest is credit. Balance, "
        "credit and standing are recalculated and the manufacturer is notified.",
        lambda s, actor, input: rules.record_payment(s, actor, input.rule()),
    )

    void_payment = node_mutation(
        PaymentPayload,
        VoidPaymentInput,
        Permission.RECORD_PAYMENTS,
        "Void a payment with a reason (BR-30): its allocations are reversed, its invoices "
        "reverted, balance and standing recalculated, admins notified. INSUFFICIENT_CREDIT "
        "when credit refunds took what it leaves: void those first.",
        lambda s, actor, input: rules.void_payment(
            s, actor, input.id, input.void_reason, input.expected_version
        ),
    )

    refund_credit = node_mutation(
        CreditRefundPayload,
        RefundCreditInput,
        Permission.RECORD_PAYMENTS,
        "Refund part or all of a manufacturer's credit (what its payments did not cover): "
        "at most the credit balance (INSUFFICIENT_CREDIT), in its currency. Later "
        "allocations never use refunded credit; balance and credit are recalculated and the "
        "manufacturer is notified.",
        lambda s, actor, input: refunds.refund_credit(
            s,
            actor,
            refunds.RefundInput(
                manufacturer_id=input.manufacturer_id,
                amount=input.amount,
                reason=input.reason,
                reference=input.reference,
                idempotency_key=input.idempotency_key,
                refund_date=input.refund_date,
                currency=input.currency,
            ),
        ),
    )

    void_credit_refund = node_mutation(
        CreditRefundPayload,
        VoidCreditRefundInput,
        Permission.RECORD_PAYMENTS,
        "Void a credit refund with a reason (the money came back): its amount is the "
        "manufacturer's credit again; the manufacturer is notified.",
        lambda s, actor, input: refunds.void_refund(
            s, actor, input.id, input.void_reason, input.expected_version
        ),
    )
