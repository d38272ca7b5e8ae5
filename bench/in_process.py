"""The app in this process, driven as an admin through httpx's ASGI transport (no sockets,
no uvicorn): for the scripts that measure the app's own work. The rate and cost limits are
raised out of the way: the limiter and the cost check still run on every request, their
budgets just never run out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx

from app import create_app
from auth.permissions import Role
from auth.tokens import issue
from settings import QueryLimits, Settings


@asynccontextmanager
async def admin_client(settings: Settings, subject: str) -> AsyncIterator[httpx.AsyncClient]:
    """An admin client of an app built from `settings` (limits raised), inside the app's
    lifespan."""
    settings = replace(settings, limits=QueryLimits(rate_per_minute=10**9, max_cost=10**6))
    app = create_app(settings)
    token = issue(settings.auth, role=Role.ADMIN, subject=subject)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://bench",
            headers={"Authorization": f"Bearer {token}"},
        ) as http,
    ):
        yield http
