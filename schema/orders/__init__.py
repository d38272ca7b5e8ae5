"""Orders, line items, customers and the fulfillment timeline (SPEC §1.3, §2.2).

Importing the package registers the order node types (schema.node.register_node): where
each is read from, the permission that reads it and who owns it (a customer its own).
"""

from auth.permissions import Permission
from resolvers.orders import sources as order_sources
from resolvers.owners import CUSTOMER_PROFILE, CUSTOMER_RECORD
from schema.node import register_node
from schema.orders.mutations import OrderMutation
from schema.orders.queries import OrderQuery
from schema.orders.types import Customer, Order, OrderItem

register_node(
    Customer, order_sources.CUSTOMERS, read=Permission.VIEW_ORDERS, owner=CUSTOMER_PROFILE
)
register_node(Order, order_sources.ORDERS, read=Permission.VIEW_ORDERS, owner=CUSTOMER_RECORD)
register_node(
    OrderItem, order_sources.ORDER_ITEMS, read=Permission.VIEW_ORDERS, owner=CUSTOMER_RECORD
)

__all__ = ["OrderMutation", "OrderQuery"]
