"""What API keys add to the graph (schema/domain.py)."""

from __future__ import annotations

from auth.permissions import Permission
from resolvers.api_keys.sources import SOURCE
from schema.api_keys.mutations import ApiKeyMutation
from schema.api_keys.queries import ApiKeyQuery
from schema.api_keys.types import ApiKey
from schema.domain import GraphDomain, NodeType

API_KEYS = GraphDomain(
    name="api_keys",
    query=ApiKeyQuery,
    mutation=ApiKeyMutation,
    nodes=(NodeType(ApiKey, SOURCE, Permission.MANAGE_API_KEYS),),
)
