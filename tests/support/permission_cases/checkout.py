"""Checkout rows of the permission matrix (issue 29 item 8; SPEC §4 "customers see their own
orders; ops see all"): paying for orders is A O and a customer its own; refunding is A O F;
reading payments and checkout sessions follows reading orders (A O S F R, a customer its own).

The matrix's app has no Stripe key, so an allowed call answers PAYMENTS_NOT_CONFIGURED (it
passed the permission; tests/checkout covers what it does with Stripe)."""

from __future__ import annotations

from typing import Any

from domain.orders import OrderStatus
from resolvers.ids import decode_id, encode_id
from tests.support import seeding
from tests.support.permission_matrix import Case, World, mutation_case

NOT_CONFIGURED = frozenset({"PAYMENTS_NOT_CONFIGURED"})


async def _own_draft(world: World) -> dict[str, Any]:
    variant_pk = decode_id(world.variant["id"])[1]
    order = await seeding.order(
        world.database,
        customer_id=world.own_customer_id,
        status=OrderStatus.DRAFT,
        items=[(variant_pk, 2)],
    )
    return {"orderId": seeding.gid(order)}


async def _refund(world: World) -> dict[str, Any]:
    return {**(await _own_draft(world)), "reason": "Misprint", "idempotencyKey": "k-1"}


def _production_order(world: World) -> dict[str, Any]:
    return {
        "customerId": encode_id("Customer", world.own_customer_id),
        "garmentId": world.product["id"],
        "designUrl": "https://cdn.example/design.png",
        "sizes": [{"size": "M", "quantity": 1}],
    }


CASES: list[Case] = [
    mutation_case("createProductionOrder", "UAOC", _production_order, NOT_CONFIGURED),
    mutation_case("resumeCheckout", "UAOC", _own_draft, NOT_CONFIGURED),
    mutation_case("refundOrder", "UAOF", _refund, NOT_CONFIGURED),
]
