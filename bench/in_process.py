"""The app in this process, driven as an admin through httpx's ASGI transport (no sockets,
no uvicorn): for the scripts that measure the app's own work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from app import create_app
from auth.permissions import Role
from auth.tokens import issue
from settings import Settings


@asynccontextmanager
async def admin_client(settings: Settings, subject: str) -> AsyncIterator[httpx.AsyncClient]:
    """An admin client of an app built from `settings`, inside the app's lifespan."""
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
