"""Finance root query fields: invoices, payments and credit refunds (a manufacturer: its own,
SPEC §5 `my-invoices`, `my-payments`), one of each by ID."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from resolvers.finance import sources
from schema.finance.costs import FinanceCostQuery
from schema.finance.lists import CREDIT_REFUNDS, INVOICES, PAYMENTS
from schema.finance.reports import FinanceReportQuery
from schema.finance.types import CreditRefund, Invoice, Payment
from schema.lookups import lookup_field


@strawberry.type
class FinanceQuery(FinanceReportQuery, FinanceCostQuery):
    invoices = INVOICES.field(
        description="Manufacturer invoices you may see (a manufacturer: its own), newest "
        "first unless ordered."
    )
    invoice = lookup_field(
        Invoice,
        sources.INVOICES,
        Permission.VIEW_INVOICES,
        "One invoice with its lines and payments; null when it does not exist or is not "
        "yours to see.",
        id="Its ID.",
    )
    payments = PAYMENTS.field(
        description="Payments to manufacturers you may see (a manufacturer: its own), "
        "newest first unless ordered."
    )
    payment = lookup_field(
        Payment,
        sources.PAYMENTS,
        Permission.VIEW_PAYMENTS,
        "One payment with its allocations; null when it does not exist or is not yours to see.",
        id="Its ID.",
    )
    credit_refunds = CREDIT_REFUNDS.field(
        description="Credit refunds to manufacturers you may see (a manufacturer: its own), "
        "newest first unless ordered."
    )
    credit_refund = lookup_field(
        CreditRefund,
        sources.CREDIT_REFUNDS,
        Permission.VIEW_PAYMENTS,
        "One credit refund; null when it does not exist or is not yours to see.",
        id="Its ID.",
    )
