"""Build orders through the public mutations, as a client would (other tests import these).

customer = await order_factories.customer(admin)
variant = await order_factories.variant(admin)              # a priced, sized variant
order = await order_factories.draft(admin, customer["id"], [(variant["id"], 3)])
order = await order_factories.submitted(admin, customer["id"], [(variant["id"], 3)])
order = await order_factories.approved(admin, ...)          # runs routing
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.support import factories
from tests.support.graphql import GraphQLClient, mutation_document

_seq = itertools.count(1)

ORDER_FIELDS = """
  id reference status displayStatus priority priorityLabel etaDays notes metadata version
  total { amount currency }
  cancelReason submittedAt approvedAt productionStartedAt fulfilledAt canceledAt routedAt
  customer { id name }
  lineItems { id position quantity size technique unitPrice { amount } lineTotal { amount } }
  events { status orderStatus message }
  jobProgress { total shipped label }
  allowedTransitions
"""
ERRORS = "errors { code field message }"

CREATE_CUSTOMER = (
    "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {"
    " customer { id name email company } " + ERRORS + " } }"
)
CREATE_ORDER = (
    "mutation($input: CreateOrderInput!) { createOrder(input: $input) {"
    " order { " + ORDER_FIELDS + " } " + ERRORS + " } }"
)
UPDATE_ORDER = (
    "mutation($input: UpdateOrderInput!) { updateOrder(input: $input) {"
    " order { " + ORDER_FIELDS + " } " + ERRORS + " } }"
)


def transition_mutation(name: str, extra: str = "") -> str:
    """The document of a transition mutation (submitOrder, approveOrder, ...)."""
    return mutation_document(name, f"order {{ {ORDER_FIELDS} {extra} }} {ERRORS}")


SUBMIT = transition_mutation("submitOrder")
APPROVE = transition_mutation("approveOrder")
CANCEL = transition_mutation("cancelOrder")
FULFILL = transition_mutation("fulfillOrder")
SET_PRIORITY = transition_mutation("setOrderPriority")
BULK = (
    "mutation($input: BulkUpdateOrderStatusInput!) { bulkUpdateOrderStatus(input: $input) {"
    " results { orderId order { id status version } " + ERRORS + " } " + ERRORS + " } }"
)


async def customer(client: GraphQLClient, **values: Any) -> Any:
    n = next(_seq)
    values = {"name": f"Customer {n}", "email": f"customer{n}@example.com", **values}
    return await client.mutate_ok(CREATE_CUSTOMER, values, "customer")


async def variant(client: GraphQLClient, **values: Any) -> Any:
    """A variant with a size and a price (10.00), of a fresh product."""
    product = await factories.product(client)
    values = {"size": "M", "price": "10.00", **values}
    return await factories.variant(client, product["id"], **values)


def items(lines: list[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"variantId": variant_id, "quantity": quantity} for variant_id, quantity in lines]


async def draft(
    client: GraphQLClient,
    customer_id: str | None,
    lines: list[tuple[str, int]],
    **values: Any,
) -> Any:
    """A draft order (staff must name the customer; a customer client passes None)."""
    values = {"items": items(lines), **values}
    if customer_id is not None:
        values["customerId"] = customer_id
    return await client.mutate_ok(CREATE_ORDER, values, "order")


async def submitted(
    client: GraphQLClient, customer_id: str | None, lines: list[tuple[str, int]], **values: Any
) -> Any:
    order = await draft(client, customer_id, lines, **values)
    return await client.mutate_ok(SUBMIT, {"id": order["id"]}, "order")


async def submitted_to_one_maker(client: GraphQLClient, quantity: int = 5) -> Any:
    """A submitted order of one line whose family has one active manufacturer, so approving
    it routes the line to that manufacturer."""
    maker = await factories.manufacturer(client, onboardingStatus="ACTIVE", maxConcurrentJobs=5)
    family = await factories.family(client, defaultManufacturerId=maker["id"])
    category = await factories.category(client, productFamilyId=family["id"])
    product = await factories.product(client, productCategoryId=category["id"])
    variant = await factories.variant(client, product["id"], size="M", price="4.00")
    buyer = await customer(client)
    return await submitted(client, buyer["id"], [(variant["id"], quantity)])


async def approved(
    client: GraphQLClient, customer_id: str | None, lines: list[tuple[str, int]], **values: Any
) -> Any:
    """An approved order: routing has run (needs the routing domain)."""
    order = await submitted(client, customer_id, lines, **values)
    return await client.mutate_ok(APPROVE, {"id": order["id"]}, "order")
