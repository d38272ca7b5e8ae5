"""A small GraphQL client over the ASGI app, for tests.

Clients act as a role: `for_settings` signs an admin token unless told otherwise, and
`as_role(...)`/`anonymous()` give clients of the same app acting as someone else.
"""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Any

import httpx
from starlette.applications import Starlette

from app import create_app
from auth.permissions import Role
from auth.tokens import issue
from schema.persisted.documents import sha256_hex
from settings import Settings


class GraphQLError(AssertionError):
    pass


def mutation_document(name: str, selection: str) -> str:
    """The document of mutation `name` selecting `selection` from its payload: every mutation
    takes one argument, `input`, of the type named after it (`createCategory`:
    `CreateCategoryInput`)."""
    input_type = name[0].upper() + name[1:] + "Input"
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} }} }}"


def bearer(
    settings: Settings,
    role: Role,
    *,
    manufacturer_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    subject: str | None = None,
) -> dict[str, str]:
    """Headers carrying a valid token for `role`."""
    token = issue(
        settings.auth,
        role=role,
        subject=subject or f"test-{role.value}",
        manufacturer_id=manufacturer_id,
        customer_id=customer_id,
    )
    return {"Authorization": f"Bearer {token}"}


class GraphQLClient:
    def __init__(
        self,
        app: Starlette,
        headers: dict[str, str] | None = None,
        *,
        role: Role | None = None,
        owns_app: bool = True,
        trusted_documents: bool = False,
    ) -> None:
        self.app = app
        self.role = role  # who the headers authenticate as (None: anonymous or custom)
        self.settings: Settings = app.state.settings
        self.headers = headers or {}
        self._owns_app = owns_app
        # Send each document by its id (`documentId`, a trusted document) instead of its text.
        self.trusted_documents = trusted_documents
        # `http` carries the credentials too, for requests the helpers below don't cover.
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver",
            headers=self.headers,
        )

    @classmethod
    def for_settings(cls, settings: Settings, role: Role | None = Role.ADMIN) -> GraphQLClient:
        app = create_app(settings)
        return cls(app, bearer(settings, role) if role else None, role=role)

    def as_role(self, role: Role, **claims: Any) -> GraphQLClient:
        """A client of the same app acting as `role` (claims: manufacturer_id, ...)."""
        headers = bearer(self.settings, role, **claims)
        return GraphQLClient(self.app, headers, role=role, owns_app=False)

    def with_headers(self, headers: dict[str, str]) -> GraphQLClient:
        return GraphQLClient(self.app, headers, owns_app=False)

    def anonymous(self) -> GraphQLClient:
        return GraphQLClient(self.app, None, owns_app=False)

    async def __aenter__(self) -> GraphQLClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.http.aclose()
        if self._owns_app:
            await self.app.state.persisted_queries.close()
            await self.app.state.rate_limiter.close()
            await self.app.state.database.dispose()

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        if self.trusted_documents:
            body = {"documentId": sha256_hex(query), "variables": variables}
            return await self.http.post("/graphql", json=body)
        return await self.http.post("/graphql", json={"query": query, "variables": variables})

    async def raw(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response body: data, errors and extensions."""
        body: dict[str, Any] = (await self.post(query, variables)).json()
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

    async def mutate_ok(self, mutation: str, values: dict[str, Any], key: str) -> Any:
        """`payload[key]` of a mutation given `input: values` that must succeed."""
        payload = await self.mutate(mutation, {"input": values})
        assert payload["errors"] == [], payload["errors"]
        return payload[key]
