"""The domains of the graph, in the order their root fields appear in it. A new domain is
one line here (README, "Adding a domain"); what it adds is its own `graph.py`."""

from __future__ import annotations

from schema.api_keys.graph import API_KEYS
from schema.catalog.graph import CATALOG
from schema.checkout.graph import CHECKOUT
from schema.dashboard.graph import DASHBOARD
from schema.designs.graph import DESIGNS
from schema.domain import GraphDomain
from schema.finance.graph import FINANCE
from schema.fulfillment.graph import FULFILLMENT
from schema.jobs.graph import JOBS
from schema.notifications.graph import NOTIFICATIONS
from schema.orders.graph import ORDERS
from schema.procurement.graph import PROCUREMENT
from schema.routing.graph import ROUTING

DOMAINS: tuple[GraphDomain, ...] = (
    CATALOG,
    API_KEYS,
    ORDERS,
    JOBS,
    NOTIFICATIONS,
    ROUTING,
    DASHBOARD,
    PROCUREMENT,
    FULFILLMENT,
    CHECKOUT,
    DESIGNS,
    FINANCE,
)
