"""What finance adds to the graph (schema/domain.py): a manufacturer owns its invoices,
their lines, its payments and their allocations, its credit refunds."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.finance import sources
from resolvers.owners import MANUFACTURER_RECORD
from schema.domain import GraphDomain, NodeType
from schema.finance.mutations import FinanceMutation
from schema.finance.queries import FinanceQuery
from schema.finance.subscriptions import FinanceSubscription
from schema.finance.types import (
    CreditRefund,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentAllocation,
)

FINANCE = GraphDomain(
    name="finance",
    query=FinanceQuery,
    mutation=FinanceMutation,
    subscription=FinanceSubscription,
    nodes=(
        NodeType(Invoice, sources.INVOICES, Permission.VIEW_INVOICES, MANUFACTURER_RECORD),
        NodeType(InvoiceLine, sources.INVOICE_ITEMS, Permission.VIEW_INVOICES, MANUFACTURER_RECORD),
        NodeType(Payment, sources.PAYMENTS, Permission.VIEW_PAYMENTS, MANUFACTURER_RECORD),
        NodeType(
            PaymentAllocation, sources.ALLOCATIONS, Permission.VIEW_PAYMENTS, MANUFACTURER_RECORD
        ),
        NodeType(
            CreditRefund, sources.CREDIT_REFUNDS, Permission.VIEW_PAYMENTS, MANUFACTURER_RECORD
        ),
    ),
    # An invoice's lines (a few as a rule, at most 100); the payments applied to one
    # invoice, the invoices one payment covers; a status history; the reports' rows.
    list_sizes={
        "Invoice.lines": 10,
        "Invoice.allocations": 10,
        "Invoice.statusHistory": 10,
        "Payment.allocations": 50,
        "Payment.statusHistory": 2,
        "CreditRefund.statusHistory": 2,
        "AgingReport.rows": 50,
        "AgingReport.totals": 2,
        "AgingDetail.rows": 50,
        "AgingDetail.totals": 2,
        "PaymentDue.byTerms": 6,
        "Query.paymentDue": 2,
        "Dashboard.paymentDue": 2,
        "Query.costReport": 100,
        "Query.marginReport": 100,
    },
)
