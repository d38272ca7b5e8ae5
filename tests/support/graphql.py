"""A small GraphQL client over the ASGI app, for tests.

Clients act as a role: `for_settings` signs an admin token unless told otherwise, and
`as_role(...)`/`anonymous()` give clients of the same app acting as someone else.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx
from starlette.applications import Starlette

from app import create_app
from auth.permissions import Role
from auth.tokens import issue
from schema.persisted.documents import sha256_hex
from settings import Settings


@dataclass(frozen=True)
class UploadPart:
    """A file in `variables`: the client sends the request as a GraphQL multipart request
    (the file a part of its own, null in `operations`)."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


def _uploads(value: Any, path: str) -> list[tuple[str, UploadPart]]:
    if isinstance(value, UploadPart):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _uploads(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in _uploads(v, f"{path}.{i}")]
    return []


def _without_uploads(value: Any) -> Any:
    if isinstance(value, UploadPart):
        return None
    if isinstance(value, dict):
        return {k: _without_uploads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_uploads(v) for v in value]
    return value


async def _post_multipart(
    http: httpx.AsyncClient, body: dict[str, Any], uploads: list[tuple[str, UploadPart]]
) -> httpx.Response:
    return await http.post(
        "/graphql",
        data={
            "operations": json.dumps(_without_uploads(body)),
            "map": json.dumps({str(n): [path] for n, (path, _) in enumerate(uploads)}),
        },
        files={
            str(n): (part.name, part.content, part.content_type)
            for n, (_, part) in enumerate(uploads)
        },
    )


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
        else:
            body = {"query": query, "variables": variables}
        if (uploads := _uploads(variables, "variables")) != []:
            return await _post_multipart(self.http, body, uploads)
        return await self.http.post("/graphql", json=body)

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
