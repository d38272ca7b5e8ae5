"""Rows of the permission matrix, one module per domain; a new domain adds its module here."""

from tests.support.permission_cases import (
    api_keys,
    catalog,
    dashboard,
    finance,
    jobs,
    notifications,
    orders,
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
    *finance.CASES,
]
