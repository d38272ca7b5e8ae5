"""What orders add to the graph (schema/domain.py): a customer owns its profile and its
orders."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.orders import sources
from resolvers.orders.rules import MAX_BULK
from resolvers.owners import CUSTOMER_PROFILE, CUSTOMER_RECORD
from schema.domain import GraphDomain, NodeType
from schema.orders.mutations import OrderMutation
from schema.orders.queries import OrderQuery
from schema.orders.subscriptions import OrderSubscription
from schema.orders.types import Customer, Order, OrderItem, OrderNote

ORDERS = GraphDomain(
    name="orders",
    query=OrderQuery,
    mutation=OrderMutation,
    subscription=OrderSubscription,
    nodes=(
        NodeType(Customer, sources.CUSTOMERS, Permission.VIEW_ORDERS, CUSTOMER_PROFILE),
        NodeType(Order, sources.ORDERS, Permission.VIEW_ORDERS, CUSTOMER_RECORD),
        NodeType(OrderItem, sources.ORDER_ITEMS, Permission.VIEW_ORDERS, CUSTOMER_RECORD),
        NodeType(OrderNote, sources.ORDER_NOTES, Permission.MANAGE_ORDERS),
    ),
    # Lines and timeline of one order, its jobs (one per manufacturer) and history.
    list_sizes={
        "Order.lineItems": 20,
        "Order.events": 20,
        "Order.jobs": 10,
        "Order.statusHistory": 10,
        "Order.payments": 5,
        "Order.internalNotes": 20,
        "Order.checkoutSessions": 10,
        "BulkUpdateOrderStatusPayload.results": MAX_BULK,
    },
)
