"""What checkout adds to the graph (schema/domain.py): a customer owns its checkout
sessions and payments, like its orders."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.checkout import sources
from resolvers.owners import CUSTOMER_RECORD
from schema.checkout.mutations import CheckoutMutation
from schema.checkout.types import CheckoutSession, CustomerPayment, CustomerRefund
from schema.domain import GraphDomain, NodeType

CHECKOUT = GraphDomain(
    name="checkout",
    mutation=CheckoutMutation,
    nodes=(
        NodeType(
            CheckoutSession,
            sources.CHECKOUT_SESSIONS,
            Permission.VIEW_CUSTOMER_PAYMENTS,
            CUSTOMER_RECORD,
        ),
        NodeType(
            CustomerPayment,
            sources.CUSTOMER_PAYMENTS,
            Permission.VIEW_CUSTOMER_PAYMENTS,
            CUSTOMER_RECORD,
        ),
        NodeType(
            CustomerRefund,
            sources.CUSTOMER_REFUNDS,
            Permission.VIEW_CUSTOMER_PAYMENTS,
            CUSTOMER_RECORD,
        ),
    ),
    list_sizes={"CustomerPayment.refunds": 10},
)
