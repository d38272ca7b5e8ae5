"""Orders, line items, customers and the fulfillment timeline (placeholder until the domain lands)."""

import strawberry


@strawberry.type
class OrderQuery:
    pass


@strawberry.type
class OrderMutation:
    pass
