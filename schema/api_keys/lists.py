"""The API key list: newest first, for those who manage keys."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.api_keys.sources import SOURCE
from resolvers.pagination import SortKey
from schema.lists import ListOf

API_KEYS = ListOf(
    "ApiKey",
    "schema.api_keys.types",
    SOURCE,
    default_order=(SortKey("created_at", descending=True),),
    permission=Permission.MANAGE_API_KEYS,
)
