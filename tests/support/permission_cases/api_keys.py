"""API keys rows of the permission matrix: superadmin and admin only."""

from __future__ import annotations

from typing import Any

from tests.support.permission_matrix import Case, World, mutation_case, n


async def _fresh_api_key(world: World) -> dict[str, Any]:
    payload = await world.admin.mutate(
        'mutation { createApiKey(input: {name: "k"}) { apiKey { id } errors { code } } }'
    )
    return {"id": payload["apiKey"]["id"]}


CASES: list[Case] = [
    Case("Query.apiKeys", "{ apiKeys { totalCount } }", "UA"),
    mutation_case("createApiKey", "UA", lambda w: {"name": f"Partner {n()}"}),
    mutation_case("revokeApiKey", "UA", _fresh_api_key),
]
