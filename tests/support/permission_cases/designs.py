"""Designs rows of the permission matrix (issue 29): reading designs is A O S F R and a
customer its own; saving and changing them is A O and a customer its own."""

from __future__ import annotations

from typing import Any

from db.models import Design
from resolvers.ids import encode_id
from tests.support.permission_matrix import Case, World, mutation_case, n


async def _own_design(world: World) -> dict[str, Any]:
    async with world.database.transaction() as session:
        design = Design(
            customer_id=world.own_customer_id,
            title=f"Design {n()}",
            image_url="https://cdn.example/d.png",
            metadata_={},
        )
        session.add(design)
        await session.flush()
        return {"id": encode_id("Design", design.id)}


CASES: list[Case] = [
    Case("Query.designs", "{ designs { totalCount } }", "UAOSFRC"),
    Case("Query.design", "query($id: ID) { design(id: $id) { title } }", "UAOSFRC", _own_design),
    mutation_case(
        "createDesign",
        "UAOC",
        lambda w: {
            "customerId": encode_id("Customer", w.own_customer_id),
            "title": f"Tiger {n()}",
            "imageUrl": "https://cdn.example/tiger.png",
        },
    ),
    mutation_case("updateDesign", "UAOC", lambda w: _with(w, title=f"Renamed {n()}")),
]


async def _with(world: World, **values: Any) -> dict[str, Any]:
    return {**(await _own_design(world)), **values}
