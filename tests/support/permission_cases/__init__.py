"""Rows of the permission matrix, one module per domain; a new domain adds its module here."""

from tests.support.permission_cases import (
    api_keys,
    catalog,
    checkout,
    coas,
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
    procurement_labels,
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
    *procurement_labels.CASES,
    *coas.CASES,
    *fulfillment_inbound.CASES,
    *lot_qc.CASES,
    *checkout.CASES,
    *designs.CASES,
    *finance.CASES,
]
