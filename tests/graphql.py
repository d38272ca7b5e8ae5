"""A small GraphQL client over the ASGI app, for tests."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx
from starlette.applications import Starlette

from app import create_app
from settings import Settings


class GraphQLError(AssertionError):
    pass


class GraphQLClient:
    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )

    @classmethod
    def for_settings(cls, settings: Settings) -> GraphQLClient:
        return cls(create_app(settings))

    async def __aenter__(self) -> GraphQLClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.http.aclose()
        await self.app.state.database.dispose()

    async def raw(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response body: data, errors and extensions."""
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        body: dict[str, Any] = response.json()
        return body

    async def __call__(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """`data` of a response that must have no top-level errors."""
        body = await self.raw(query, variables)
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        return body["data"]

    async def mutate(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The single payload of a mutation (the first root field's value)."""
        data = await self(query, variables)
        (payload,) = data.values()
        return payload
