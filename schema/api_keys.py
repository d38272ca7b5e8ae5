"""Partner API keys in the graph: list, create (the key is shown once), revoke."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from auth.api_keys import is_active as key_is_active
from auth.permissions import Permission, Role
from db.models import ApiKey as ApiKeyModel
from resolvers import api_keys
from resolvers.pagination import SortKey
from schema.enums import graphql_enum
from schema.errors import UserError
from schema.inputs import omittable, provided, reload
from schema.lists import ListOf
from schema.node import Node
from schema.payloads import mutation, node_mutation, user_errors

SOURCE = ApiKeyModel.__table__

graphql_enum(
    Role,
    "What a caller may do: SPEC §4's roles. Tokens carry one in their `role` claim.",
    {
        Role.SUPERADMIN: "Everything.",
        Role.ADMIN: "Everything except user management.",
        Role.OPS: "Catalog, manufacturing and 3PL; financial reads of terms.",
        Role.SALES: "Catalog reads, limited job, inventory and outbound reads.",
        Role.FINANCE: "Catalog and manufacturing reads; financial reads and writes.",
        Role.MANUFACTURER: "Its own profile, jobs, invoices and shipments.",
        Role.CUSTOMER: "Its own orders.",
        Role.PARTNER: "API-key callers: their own runs, through persisted queries.",
        Role.READONLY: "Every read except cost and bank data.",
    },
)


@strawberry.type(description="A partner API key. Its secret is shown only when it is created.")
class ApiKey(Node):
    pk: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="What the key is for, e.g. the partner's name.")
    prefix: str = strawberry.field(
        description="The key's public start (`ogk_…`), to recognise it; not a credential."
    )
    role: Role = strawberry.field(description="The role its callers act as.")
    created_by: str | None = strawberry.field(description="Subject of whoever created it.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    expires_at: datetime | None = strawberry.field(description="When it stops working, if ever.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked.")
    last_used_at: datetime | None = strawberry.field(
        description="When it last authenticated a request (to the minute)."
    )
    version: int = strawberry.field(description="Increments on every change.")

    @strawberry.field(description="Neither revoked nor expired (as of this request).")
    def is_active(self) -> bool:
        return key_is_active(self.revoked_at, self.expires_at)


@strawberry.input(description="A new partner API key.")
class CreateApiKeyInput:
    name: str = strawberry.field(description="What the key is for (at most 100 characters).")
    expires_at: datetime | None = omittable("When it stops working; never when omitted.")


@strawberry.type(description="The result of creating an API key.")
class CreateApiKeyPayload:
    api_key: ApiKey | None = strawberry.field(description="The key's record.")
    secret: str | None = strawberry.field(
        description="The key itself, for `Authorization: ApiKey <secret>`. Shown only now: "
        "it is stored as a hash and cannot be recovered."
    )
    errors: list[UserError] = user_errors("Why nothing changed.")


@strawberry.input(description="Which API key to revoke.")
class RevokeApiKeyInput:
    id: strawberry.ID = strawberry.field(description="The key.")


@strawberry.type(description="The result of revoking an API key.")
class RevokeApiKeyPayload:
    api_key: ApiKey | None = strawberry.field(description="The key, now revoked.")
    errors: list[UserError] = user_errors("Why nothing changed.")


@strawberry.type
class ApiKeyQuery:
    api_keys = ListOf(
        "ApiKey",
        __name__,
        SOURCE,
        default_order=(SortKey("created_at", descending=True),),
        permission=Permission.MANAGE_API_KEYS,
    ).field(description="Partner API keys, newest first.")


async def _key_and_secret(
    info: Info[Any, Any], _: Any, result: Any, errors: list[UserError]
) -> CreateApiKeyPayload:
    key, secret = result if result else (None, None)
    return CreateApiKeyPayload(
        api_key=await reload(info, ApiKey, key), secret=secret, errors=errors
    )


@strawberry.type
class ApiKeyMutation:
    create_api_key = mutation(
        CreateApiKeyPayload,
        CreateApiKeyInput,
        Permission.MANAGE_API_KEYS,
        "Create a partner API key. The payload's `secret` is the only time the key is shown.",
        lambda s, actor, input: api_keys.create_key(s, actor, provided(input)),
        _key_and_secret,
    )

    revoke_api_key = node_mutation(
        RevokeApiKeyPayload,
        RevokeApiKeyInput,
        Permission.MANAGE_API_KEYS,
        "Revoke an API key: requests carrying it are refused from now on.",
        lambda s, actor, input: api_keys.revoke_key(s, actor, input.id),
    )
