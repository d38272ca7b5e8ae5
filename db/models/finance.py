"""Manufacturer payables (SPEC §1.8): invoices and their lines, payments and how each payment
is allocated to invoices.

`Invoice.amount_paid` and `Payment.amount_allocated` are the sums of their live allocations,
kept in the transaction that changes an allocation (under the manufacturer's lock,
resolvers/finance/ledger.py), so lists and reports read what is owed without summing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity
from db.columns import amount_column, enum_column
from domain.bounds import AMOUNT, LARGE_AMOUNT
from domain.enums import ManufacturerPaymentMethod
from domain.finance import (
    AgingAlert,
    CreditRefundStatus,
    InvoiceLineCategory,
    InvoiceStatus,
    PaymentStatus,
)


def _manufacturer_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("manufacturers.id", ondelete="RESTRICT"), index=True)


class Invoice(Entity):
    """What a manufacturer bills us, moving through SPEC §2.12."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("manufacturer_id", "invoice_number"),
        CheckConstraint(
            "amount_paid >= 0 AND discount_amount >= 0 "
            "AND amount_paid + discount_amount <= total_amount",
            name="paid_range",
        ),
    )

    invoice_number: Mapped[str] = mapped_column(String(50))
    manufacturer_id: Mapped[uuid.UUID] = _manufacturer_fk()
    invoice_date: Mapped[date]
    due_date: Mapped[date] = mapped_column(index=True)
    subtotal: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    tax_amount: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    total_amount: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    amount_paid: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00"), server_default="0"
    )
    # The early-payment discount taken when a payment in time settled it (BR-27).
    discount_amount: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00"), server_default="0"
    )
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    status: Mapped[InvoiceStatus] = mapped_column(enum_column(InvoiceStatus), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    attachment_file_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("files.id", ondelete="RESTRICT")
    )
    auto_generated: Mapped[bool] = mapped_column(default=False, server_default="0")
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    partially_paid_at: Mapped[datetime | None] = mapped_column(default=None)
    paid_at: Mapped[datetime | None] = mapped_column(default=None)
    disputed_at: Mapped[datetime | None] = mapped_column(default=None)
    dispute_reason: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(String(255))


class InvoiceItem(Entity):
    """A line of an invoice; a manufacturing line names its job, which no other invoice may
    bill again (the unique key, besides the check before writing)."""

    __tablename__ = "invoice_items"
    __table_args__ = (UniqueConstraint("manufacturing_job_id", "category"),)

    invoice_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    manufacturing_job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manufacturing_jobs.id", ondelete="RESTRICT")
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[Decimal] = mapped_column(amount_column(AMOUNT))
    line_total: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    category: Mapped[InvoiceLineCategory] = mapped_column(enum_column(InvoiceLineCategory))


class Payment(Entity):
    """A payment we made to a manufacturer (BR-29); what it does not cover is credit."""

    __tablename__ = "manufacturer_payments"
    __table_args__ = (
        CheckConstraint(
            "amount_allocated >= 0 AND amount_allocated <= amount", name="allocated_range"
        ),
    )

    manufacturer_id: Mapped[uuid.UUID] = _manufacturer_fk()
    payment_date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    amount_allocated: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00"), server_default="0"
    )
    currency: Mapped[str] = mapped_column(String(3))
    payment_method: Mapped[ManufacturerPaymentMethod] = mapped_column(
        enum_column(ManufacturerPaymentMethod)
    )
    reference_number: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    # Repeating a key returns the first payment (API.md "Idempotency").
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus), index=True)
    voided_at: Mapped[datetime | None] = mapped_column(default=None)
    void_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(255))


class CreditRefund(Entity):
    """Credit paid back to a manufacturer (issue 28 item 3, BR-29 "or refunded"): it takes
    from the credit its payments left, never more; a void gives it back."""

    __tablename__ = "credit_refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="positive"),)

    manufacturer_id: Mapped[uuid.UUID] = _manufacturer_fk()
    refund_date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(100))
    # Repeating a key with the same figures returns the first refund (API.md "Idempotency").
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[CreditRefundStatus] = mapped_column(enum_column(CreditRefundStatus), index=True)
    voided_at: Mapped[datetime | None] = mapped_column(default=None)
    void_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(255))


class InvoiceAlert(Entity):
    """An aging alert sent about an invoice (BR-31): each at most once."""

    __tablename__ = "invoice_alerts"
    __table_args__ = (UniqueConstraint("invoice_id", "alert"),)

    invoice_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    alert: Mapped[AgingAlert] = mapped_column(enum_column(AgingAlert))
    sent_on: Mapped[date]


class PaymentAllocation(Entity):
    """Part of a payment applied to an invoice; a void reverses it (kept, with the time)."""

    __tablename__ = "payment_allocations"
    __table_args__ = (CheckConstraint("amount_applied > 0", name="positive"),)

    payment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("manufacturer_payments.id", ondelete="RESTRICT"), index=True
    )
    invoice_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("invoices.id", ondelete="RESTRICT"), index=True
    )
    manufacturer_id: Mapped[uuid.UUID] = _manufacturer_fk()
    amount_applied: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    reversed_at: Mapped[datetime | None] = mapped_column(default=None)
