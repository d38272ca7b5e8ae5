"""What the dashboard adds to the graph (schema/domain.py)."""

from __future__ import annotations

from domain.jobs import JobStatus
from resolvers.dashboard.sources import ACTIVITY_LIMIT, URGENT_LIMIT
from schema.dashboard.queries import DashboardQuery
from schema.domain import GraphDomain

DASHBOARD = GraphDomain(
    name="dashboard",
    query=DashboardQuery,
    # Capped by their `limit` maximum; one entry per job status.
    list_sizes={
        "Dashboard.urgentJobs": URGENT_LIMIT,
        "Dashboard.activity": ACTIVITY_LIMIT,
        "DashboardStats.jobsByStatus": len(JobStatus),
    },
)
