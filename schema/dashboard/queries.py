"""The dashboard root query field."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from domain.clock import today
from schema.dashboard.types import Dashboard, _job_type
from schema.node import visibility
from schema.permissions import requires


@strawberry.type
class DashboardQuery:
    @strawberry.field(
        description="Your dashboard, over the jobs you may see (manufacturer portal).",
        extensions=requires(Permission.VIEW_JOBS),
    )
    def dashboard(self, info: Info[Any, Any]) -> Dashboard:
        seen = visibility(info, _job_type())
        return Dashboard(jobs=seen.binding.source, conditions=seen.conditions(), today=today())
