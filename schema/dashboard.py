"""Dashboards scoped to the viewer (placeholder until the domain lands)."""

import strawberry


@strawberry.type
class DashboardQuery:
    pass
