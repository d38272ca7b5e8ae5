"""API key root query fields: the list of keys."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from resolvers.api_keys.sources import SOURCE
from resolvers.pagination import SortKey
from schema.lists import ListOf


@strawberry.type
class ApiKeyQuery:
    api_keys = ListOf(
        "ApiKey",
        "schema.api_keys.types",
        SOURCE,
        default_order=(SortKey("created_at", descending=True),),
        permission=Permission.MANAGE_API_KEYS,
    ).field(description="Partner API keys, newest first.")
