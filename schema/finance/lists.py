"""Finance lists: invoices, payments and credit refunds, their filters (and their SQL), sort
keys, defaults."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from auth.permissions import Permission
from domain.finance import CreditRefundStatus, InvoiceStatus, PaymentStatus
from resolvers.finance import sources
from resolvers.pagination import SortKey
from schema.finance import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.inputs import optional
from schema.lists import ListOf, filter_values, order_input

_TYPES = "schema.finance.types"

InvoiceOrder = order_input(
    "Invoice",
    "invoices",
    invoice_date="By invoice date.",
    due_date="By due date.",
    invoice_number="By invoice number.",
    created_at="By creation time.",
)
PaymentOrder = order_input(
    "Payment", "payments", payment_date="By payment date.", created_at="By creation time."
)
CreditRefundOrder = order_input(
    "CreditRefund", "credit refunds", refund_date="By refund date.", created_at="By creation time."
)


@strawberry.input(description="Narrows a list of invoices. All given fields must match.")
class InvoiceFilter:
    manufacturer_id: strawberry.ID | None = optional("Only this manufacturer's invoices.")
    statuses: list[InvoiceStatus] | None = optional("Only invoices in one of these statuses.")
    invoice_date_from: date | None = optional("Only invoices dated on or after this date.")
    invoice_date_to: date | None = optional("Only invoices dated on or before this date.")
    due_before: date | None = optional("Only invoices due on or before this date.")
    search: str | None = optional("Case-insensitive substring of the invoice number.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.invoice_conditions(**filter_values(self, manufacturer_id="Manufacturer"))


@strawberry.input(description="Narrows a list of payments. All given fields must match.")
class PaymentFilter:
    manufacturer_id: strawberry.ID | None = optional("Only payments to this manufacturer.")
    statuses: list[PaymentStatus] | None = optional("Only payments in one of these statuses.")
    paid_from: date | None = optional("Only payments dated on or after this date.")
    paid_to: date | None = optional("Only payments dated on or before this date.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.payment_conditions(**filter_values(self, manufacturer_id="Manufacturer"))


@strawberry.input(description="Narrows a list of credit refunds. All given fields must match.")
class CreditRefundFilter:
    manufacturer_id: strawberry.ID | None = optional("Only refunds to this manufacturer.")
    statuses: list[CreditRefundStatus] | None = optional("Only refunds in one of these statuses.")
    refunded_from: date | None = optional("Only refunds dated on or after this date.")
    refunded_to: date | None = optional("Only refunds dated on or before this date.")

    def conditions(self, info: Info[Any, Any]) -> list[ColumnElement[bool]]:
        return sources.refund_conditions(**filter_values(self, manufacturer_id="Manufacturer"))


INVOICES = ListOf(
    "Invoice",
    _TYPES,
    sources.INVOICES,
    default_order=(SortKey("invoice_date", descending=True), SortKey("invoice_number")),
    filter=InvoiceFilter,
    order=InvoiceOrder,
    permission=Permission.VIEW_INVOICES,
)
PAYMENTS = ListOf(
    "Payment",
    _TYPES,
    sources.PAYMENTS,
    default_order=(
        SortKey("payment_date", descending=True),
        SortKey("created_at", descending=True),
    ),
    filter=PaymentFilter,
    order=PaymentOrder,
    permission=Permission.VIEW_PAYMENTS,
)
CREDIT_REFUNDS = ListOf(
    "CreditRefund",
    _TYPES,
    sources.CREDIT_REFUNDS,
    default_order=(
        SortKey("refund_date", descending=True),
        SortKey("created_at", descending=True),
    ),
    filter=CreditRefundFilter,
    order=CreditRefundOrder,
    permission=Permission.VIEW_PAYMENTS,
)
