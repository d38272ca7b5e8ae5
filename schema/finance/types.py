"""Finance object types: invoices, their lines, payments and their allocations, credit
refunds. Amounts are
Money in the invoice's or payment's currency; what may move where comes from the
workflows."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from auth.file_links import Variant as LinkVariant
from domain import finance
from domain.clock import today
from domain.enums import ManufacturerPaymentMethod
from domain.finance import AgingBucket, CreditRefundStatus, InvoiceStatus, PaymentStatus
from resolvers.finance.rules import made_by_payments
from resolvers.finance.workflow import INVOICE_WORKFLOW, PAYMENT_WORKFLOW, REFUND_WORKFLOW
from resolvers.pagination import SortKey
from schema.catalog.types import Manufacturer
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.execution.relations import Lazy, children, to_one
from schema.files import signed_url
from schema.finance import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.money import Money
from schema.node import Node
from schema.workflow import (
    ALLOWED_DESCRIPTION,
    HISTORY_DESCRIPTION,
    StatusChange,
    allowed_transitions,
    status_history,
)

_IN_ORDER = (SortKey("position"),)
_OLDEST_FIRST = (SortKey("created_at"),)


@strawberry.type(description="What a manufacturer bills us (SPEC §1.8), moving through §2.12.")
class Invoice(Node):
    pk: strawberry.Private[uuid.UUID]
    invoice_number: str = strawberry.field(
        description='Its number, unique per manufacturer, e.g. "INV-2026-0001".'
    )
    invoice_date: date = strawberry.field(description="The date it was issued.")
    due_date: date = strawberry.field(description="When it is due (BR-27: date + terms).")
    currency: str = strawberry.field(description="ISO 4217 currency of every amount on it.")
    status: InvoiceStatus = strawberry.field(description="Where it is.")
    notes: str | None = strawberry.field(description="Notes.")
    auto_generated: bool = strawberry.field(
        description="Created when its job shipped (BR-26), not by a person."
    )
    submitted_at: datetime | None = strawberry.field(description="When it was submitted.")
    approved_at: datetime | None = strawberry.field(description="When it was approved.")
    partially_paid_at: datetime | None = strawberry.field(
        description="When a payment first covered part of it."
    )
    paid_at: datetime | None = strawberry.field(description="When it was paid in full.")
    disputed_at: datetime | None = strawberry.field(description="When it was disputed.")
    dispute_reason: str | None = strawberry.field(description="Why it was disputed.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    manufacturer_id: strawberry.Private[uuid.UUID]
    subtotal: strawberry.Private[Decimal]
    tax_amount: strawberry.Private[Decimal]
    total_amount: strawberry.Private[Decimal]
    amount_paid: strawberry.Private[Decimal]
    discount_amount: strawberry.Private[Decimal]
    attachment_file_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(name="subtotal", description="The sum of its lines.")
    def subtotal_money(self) -> Money:
        return Money(amount=self.subtotal, currency=self.currency)

    @strawberry.field(name="taxAmount", description="Tax.")
    def tax_money(self) -> Money:
        return Money(amount=self.tax_amount, currency=self.currency)

    @strawberry.field(name="totalAmount", description="Subtotal plus tax.")
    def total_money(self) -> Money:
        return Money(amount=self.total_amount, currency=self.currency)

    @strawberry.field(name="amountPaid", description="What payments cover of it.")
    def paid_money(self) -> Money:
        return Money(amount=self.amount_paid, currency=self.currency)

    @strawberry.field(
        name="discountAmount",
        description="The early-payment discount taken: settled within the window (BR-27).",
    )
    def discount_money(self) -> Money:
        return Money(amount=self.discount_amount, currency=self.currency)

    @strawberry.field(description="What is still owed on it: total less discount and payments.")
    def amount_outstanding(self) -> Money:
        owed = self.total_amount - self.discount_amount - self.amount_paid
        return Money(amount=owed, currency=self.currency)

    @strawberry.field(
        description="The invoice's document (attachInvoiceFile): a signed, expiring link; "
        "null without one."
    )
    def attachment_url(self, info: Info[Any, Any]) -> str | None:
        if self.attachment_file_id is None:
            return None
        return signed_url(info, self.attachment_file_id, LinkVariant.ORIGINAL)

    @strawberry.field(
        description="Days past its due date today (UTC); negative before it is due; null once paid."
    )
    def days_past_due(self) -> int | None:
        if self.status is InvoiceStatus.PAID:
            return None
        return (today() - self.due_date).days

    @strawberry.field(
        description="Its aging bucket today (BR-31); null unless it is owed (approved or "
        "partially paid)."
    )
    def aging_bucket(self) -> AgingBucket | None:
        if self.status not in finance.PAYABLE_STATUSES:
            return None
        return finance.aging_bucket(today(), self.due_date)

    manufacturer = to_one(
        Manufacturer, "manufacturer_id", description="Who billed it.", required=True
    )

    lines = children(
        Lazy("InvoiceLine", __name__),
        "invoice_id",
        description="Its lines, in order.",
        order=_IN_ORDER,
    )

    allocations = children(
        Lazy("PaymentAllocation", __name__),
        "invoice_id",
        description="The payments applied to it, oldest first (reversed ones included, with "
        "`reversedAt`).",
        order=_OLDEST_FIRST,
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION + " Payments make PARTIALLY_PAID and PAID.")
    def allowed_transitions(self, info: Info[Any, Any]) -> list[InvoiceStatus]:
        return [
            status
            for status in allowed_transitions(
                info, INVOICE_WORKFLOW, self.status, self.manufacturer_id
            )
            if not made_by_payments(self.status, status)
        ]


@strawberry.type(description="A line of an invoice.")
class InvoiceLine(Node):
    pk: strawberry.Private[uuid.UUID]
    position: int = strawberry.field(description="Its place on the invoice, from 0.")
    description: str = strawberry.field(description="What it bills.")
    quantity: int = strawberry.field(description="How many.")
    category: finance.InvoiceLineCategory = strawberry.field(description="What kind of cost.")
    currency: str = strawberry.field(description="The invoice's currency.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    invoice_id: strawberry.Private[uuid.UUID]
    manufacturing_job_id: strawberry.Private[uuid.UUID | None]
    manufacturer_id: strawberry.Private[uuid.UUID]
    unit_cost: strawberry.Private[Decimal]
    line_total: strawberry.Private[Decimal]

    @strawberry.field(name="unitCost", description="The price of one.")
    def unit_cost_money(self) -> Money:
        return Money(amount=self.unit_cost, currency=self.currency)

    @strawberry.field(name="lineTotal", description="quantity x unitCost, rounded to cents.")
    def line_total_money(self) -> Money:
        return Money(amount=self.line_total, currency=self.currency)

    invoice = to_one(Invoice, "invoice_id", description="The invoice.", required=True)
    job = to_one(
        Lazy("ManufacturingJob", "schema.jobs.types"),
        "manufacturing_job_id",
        description="The job it bills, if any.",
    )


@strawberry.type(description="A payment we made to a manufacturer (BR-29).")
class Payment(Node):
    pk: strawberry.Private[uuid.UUID]
    payment_date: date = strawberry.field(description="When it was paid.")
    currency: str = strawberry.field(description="ISO 4217 currency of its amounts.")
    payment_method: ManufacturerPaymentMethod = strawberry.field(description="How it was paid.")
    reference_number: str | None = strawberry.field(description="The bank's or check's reference.")
    notes: str | None = strawberry.field(description="Notes.")
    status: PaymentStatus = strawberry.field(description="Whether it stands.")
    voided_at: datetime | None = strawberry.field(description="When it was voided.")
    void_reason: str | None = strawberry.field(description="Why it was voided.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    manufacturer_id: strawberry.Private[uuid.UUID]
    amount: strawberry.Private[Decimal]
    amount_allocated: strawberry.Private[Decimal]

    @strawberry.field(name="amount", description="What was paid.")
    def amount_money(self) -> Money:
        return Money(amount=self.amount, currency=self.currency)

    @strawberry.field(name="amountAllocated", description="What is applied to invoices.")
    def allocated_money(self) -> Money:
        return Money(amount=self.amount_allocated, currency=self.currency)

    @strawberry.field(
        description="What is not applied to any invoice (zero once voided); the "
        "manufacturer's credit is these less its credit refunds."
    )
    def unallocated(self) -> Money:
        left = self.amount - self.amount_allocated
        if self.status is PaymentStatus.VOIDED:
            left = finance.ZERO
        return Money(amount=left, currency=self.currency)

    manufacturer = to_one(
        Manufacturer, "manufacturer_id", description="Who was paid.", required=True
    )

    allocations = children(
        Lazy("PaymentAllocation", __name__),
        "payment_id",
        description="The invoices it was applied to, in order (reversed ones included).",
        order=_OLDEST_FIRST,
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[PaymentStatus]:
        return allowed_transitions(info, PAYMENT_WORKFLOW, self.status, self.manufacturer_id)


@strawberry.type(description="Part of a payment applied to an invoice.")
class PaymentAllocation(Node):
    pk: strawberry.Private[uuid.UUID]
    currency: str = strawberry.field(description="The payment's currency.")
    reversed_at: datetime | None = strawberry.field(
        description="When a void of its payment reversed it; null while it stands."
    )
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    payment_id: strawberry.Private[uuid.UUID]
    invoice_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID]
    amount_applied: strawberry.Private[Decimal]

    @strawberry.field(name="amountApplied", description="What was applied.")
    def applied_money(self) -> Money:
        return Money(amount=self.amount_applied, currency=self.currency)

    payment = to_one(Payment, "payment_id", description="The payment.", required=True)
    invoice = to_one(Invoice, "invoice_id", description="The invoice.", required=True)


@strawberry.type(
    description="Credit paid back to a manufacturer (issue 28 item 3): it takes its amount "
    "from the manufacturer's credit balance; a void gives it back."
)
class CreditRefund(Node):
    pk: strawberry.Private[uuid.UUID]
    refund_date: date = strawberry.field(description="When it was paid back.")
    currency: str = strawberry.field(description="ISO 4217 currency: the manufacturer's.")
    reason: str = strawberry.field(description="Why the credit was refunded.")
    reference: str = strawberry.field(description="The bank's or check's reference.")
    status: CreditRefundStatus = strawberry.field(description="Whether it stands.")
    voided_at: datetime | None = strawberry.field(description="When it was voided.")
    void_reason: str | None = strawberry.field(description="Why it was voided.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    manufacturer_id: strawberry.Private[uuid.UUID]
    amount: strawberry.Private[Decimal]

    @strawberry.field(name="amount", description="What was paid back.")
    def amount_money(self) -> Money:
        return Money(amount=self.amount, currency=self.currency)

    manufacturer = to_one(
        Manufacturer, "manufacturer_id", description="Who was refunded.", required=True
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[CreditRefundStatus]:
        return allowed_transitions(info, REFUND_WORKFLOW, self.status, self.manufacturer_id)
