"""API key root query fields: the list of keys."""

from __future__ import annotations

import strawberry

from schema.api_keys.lists import API_KEYS


@strawberry.type
class ApiKeyQuery:
    api_keys = API_KEYS.field(description="Partner API keys, newest first.")
