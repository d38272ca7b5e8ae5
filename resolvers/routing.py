"""Auto-routing (SPEC BR-1..BR-8, BR-24): turning an approved order into manufacturing jobs.

CONTRACT (being implemented; the workflows call these):
- `route_approved_order(ctx)`: effect of the order's submitted → approved move.
- `reroute_declined_job(ctx)`: effect of a job's NEW → DECLINED move (BR-8).
"""

from __future__ import annotations

from typing import Any


async def route_approved_order(ctx: Any) -> None:
    raise NotImplementedError


async def reroute_declined_job(ctx: Any) -> None:
    raise NotImplementedError
