"""API key mutations: create (the key is shown once), revoke."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from resolvers.api_keys import rules as api_keys
from schema.api_keys.types import ApiKey
from schema.errors import UserError
from schema.inputs import omittable, provided, reload
from schema.payloads import mutation, node_mutation, user_errors


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
