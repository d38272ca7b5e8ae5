"""`node(id:)` and `nodes(ids:)`: fetch any entity by its global ID (Relay)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers.gather import gather_or_cancel
from resolvers.ids import InvalidGlobalId, decode_id
from resolvers.pagination import MAX_PAGE_SIZE
from schema.errors import bad_user_input
from schema.node import NODE_TYPES, Node, load_node


async def _load(info: Info[Any, Any], global_id: str) -> Node | None:
    try:
        type_name, pk = decode_id(global_id)
    except InvalidGlobalId as exc:
        raise bad_user_input(str(exc)) from exc
    binding = NODE_TYPES.get(type_name)
    if binding is None:
        return None
    node: Node | None = await load_node(info, binding.node_type, pk)
    return node


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID; null when it does not exist.")
    async def node(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        return await _load(info, id)

    @strawberry.field(
        description=f"Several objects by global ID, in the same order (at most {MAX_PAGE_SIZE}); "
        "null for each that does not exist."
    )
    async def nodes(
        self,
        info: Info[Any, Any],
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_PAGE_SIZE:
            raise bad_user_input(f"At most {MAX_PAGE_SIZE} ids per call")
        # Gathered, so loads of one type share a batch: one statement per type. A type the
        # viewer may not read fails the field, and the other loads are called off.
        return await gather_or_cancel(_load(info, i) for i in ids)
