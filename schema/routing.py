"""Routing decisions, the pending-assignment queue, assignment (placeholder until the domain lands)."""

import strawberry


@strawberry.type
class RoutingQuery:
    pass


@strawberry.type
class RoutingMutation:
    pass
