"""Rows of the permission matrix, one module per domain; a new domain adds its module here."""

from tests.support.permission_cases import (
    api_keys,
    catalog,
    checkout,
    dashboard,
    designs,
    finance,
    fulfillment,
    fulfillment_inbound,
    jobs,
    lot_qc,
    notifications,
    orders,
    procurement,
    routing,
)

CASES = [
    *catalog.CASES,
    *api_keys.CASES,
    *orders.CASES,
    *jobs.CASES,
    *notifications.CASES,
    *routing.CASES,
    *dashboard.CASES,
    *fulfillment.CASES,
    *procurement.CASES,
    *fulfillment_inbound.CASES,
    *lot_qc.CASES,
    *checkout.CASES,
    *designs.CASES,
    *finance.CASES,
]
