"""Routing root query fields: the routing history."""

from __future__ import annotations

import strawberry

from schema.routing.lists import ROUTING_HISTORY


@strawberry.type
class RoutingQuery:
    routing_history = ROUTING_HISTORY.field(
        description="Routing decisions, newest first: why each job went where it went (an "
        "order's routing with reasons: filter by orderId).",
        filter_description="Only decisions matching every given field.",
    )
