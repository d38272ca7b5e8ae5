"""Checkout's vocabularies in the graph, every value documented."""

from __future__ import annotations

from domain.checkout import CheckoutStatus, PaymentStatus, RefundStatus
from schema.enums import graphql_enum

graphql_enum(
    CheckoutStatus,
    "Where one attempt at paying an order (a Stripe Checkout Session) is.",
    {
        CheckoutStatus.PENDING: "Recorded; Stripe has not answered yet.",
        CheckoutStatus.OPEN: "Created at Stripe: the customer pays at its `url`.",
        CheckoutStatus.FAILED: "Stripe could not create it; `resumeCheckout` makes a new one.",
        CheckoutStatus.COMPLETED: "Paid.",
        CheckoutStatus.EXPIRED: "Expired at Stripe or replaced by a newer attempt; the order "
        "stays payable.",
    },
)

graphql_enum(
    PaymentStatus,
    "What became of a customer's payment.",
    {
        PaymentStatus.PAID: "Received and applied: the order was submitted.",
        PaymentStatus.HELD: "Received but not applied (wrong amount, or the order was no longer "
        "a draft): ops review it (`holdReason`).",
        PaymentStatus.PARTIALLY_REFUNDED: "Part of it was refunded.",
        PaymentStatus.REFUNDED: "All of it was refunded.",
    },
    name="CustomerPaymentStatus",  # finance's and procurement's payments have their own
)

graphql_enum(
    RefundStatus,
    "Where a refund is.",
    {
        RefundStatus.PENDING: "Stripe accepted it; `charge.refunded` will confirm it.",
        RefundStatus.SUCCEEDED: "Stripe confirmed it.",
        RefundStatus.FAILED: "Stripe could not refund it.",
    },
)
