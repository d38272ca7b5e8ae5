"""Finance enums exposed in the graph, documented value by value."""

from __future__ import annotations

from domain import finance
from schema.catalog import enums as _catalog_enums  # noqa: F401 - payment methods, registered there
from schema.enums import graphql_enum

graphql_enum(
    finance.InvoiceStatus,
    "Where a manufacturer invoice is (SPEC §2.12). `allowedTransitions` lists the moves from "
    "here; PARTIALLY_PAID and PAID come from payments only.",
    {
        finance.InvoiceStatus.DRAFT: "Being written; not yet submitted.",
        finance.InvoiceStatus.SUBMITTED: "Waiting for approval (auto-invoices start here).",
        finance.InvoiceStatus.APPROVED: "Approved: owed, in the payment queue and the balance.",
        finance.InvoiceStatus.PARTIALLY_PAID: "Payments cover part of it.",
        finance.InvoiceStatus.PAID: "Payments cover all of it.",
        finance.InvoiceStatus.DISPUTED: "Disputed with a reason; out of the payment queue.",
    },
)

graphql_enum(
    finance.InvoiceLineCategory,
    "What an invoice line bills.",
    {
        finance.InvoiceLineCategory.MANUFACTURING: "Making a job (quantity x unit cost).",
        finance.InvoiceLineCategory.SHIPPING: "Shipping.",
        finance.InvoiceLineCategory.RUSH: "A rush fee.",
        finance.InvoiceLineCategory.ADJUSTMENT: "An adjustment.",
        finance.InvoiceLineCategory.OTHER: "Anything else.",
    },
)

graphql_enum(
    finance.PaymentStatus,
    "Whether a payment stands.",
    {
        finance.PaymentStatus.RECORDED: "Recorded; its allocations stand.",
        finance.PaymentStatus.VOIDED: "Voided with a reason; its allocations are reversed.",
    },
)

graphql_enum(
    finance.CreditRefundStatus,
    "Whether a credit refund stands.",
    {
        finance.CreditRefundStatus.RECORDED: "Recorded: it took its amount from the credit.",
        finance.CreditRefundStatus.VOIDED: "Voided with a reason: its amount is credit again.",
    },
)

graphql_enum(
    finance.AgingBucket,
    "How late an unpaid invoice is (BR-31: days past its due date).",
    {
        finance.AgingBucket.CURRENT: "Not yet due.",
        finance.AgingBucket.DAYS_1_30: "1-30 days past due.",
        finance.AgingBucket.DAYS_31_60: "31-60 days past due.",
        finance.AgingBucket.DAYS_61_90: "61-90 days past due.",
        finance.AgingBucket.DAYS_90_PLUS: "More than 90 days past due.",
    },
)
