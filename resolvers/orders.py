"""Orders (SPEC §1.3, §2.2).

CONTRACT (being implemented; resolvers.workflows.orders and .jobs call these):
- guards `require_line_items`, `require_every_job_shipped`, `require_no_job_accepted`;
- effects `record_status_event`, `withdraw_open_jobs`, `follow_job`.
"""

from __future__ import annotations

from typing import Any

from domain.errors import Problem


async def require_line_items(ctx: Any) -> Problem | None:
    raise NotImplementedError


async def require_every_job_shipped(ctx: Any) -> Problem | None:
    raise NotImplementedError


async def require_no_job_accepted(ctx: Any) -> Problem | None:
    raise NotImplementedError


async def record_status_event(ctx: Any) -> None:
    raise NotImplementedError


async def withdraw_open_jobs(ctx: Any) -> None:
    raise NotImplementedError


async def follow_job(ctx: Any) -> None:
    raise NotImplementedError
