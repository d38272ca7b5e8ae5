"""Orders rows of the permission matrix (SPEC §4: "Customers see their own orders; ops see
all orders"; [001] "order PATCH is ops-only"): reading orders is A O S F R and a customer
its own; drafting and canceling is A O and a customer its own; submitting, approving,
fulfilling, priorities, bulk changes and customers are A O."""

from __future__ import annotations

from typing import Any

from domain.jobs import JobStatus
from domain.orders import OrderStatus
from resolvers.ids import decode_id, encode_id
from tests.support import seeding
from tests.support.permission_matrix import Case, World, mutation_case, n


async def _own_order(world: World, status: OrderStatus = OrderStatus.DRAFT) -> Any:
    variant_pk = decode_id(world.variant["id"])[1]
    return await seeding.order(
        world.database, customer_id=world.own_customer_id, status=status, items=[(variant_pk, 2)]
    )


def _own_customer(world: World) -> str:
    return encode_id("Customer", world.own_customer_id)


async def _draft(world: World) -> dict[str, Any]:
    return {"id": seeding.gid(await _own_order(world))}


async def _submitted(world: World) -> dict[str, Any]:
    return {"id": seeding.gid(await _own_order(world, OrderStatus.SUBMITTED))}


async def _shipped(world: World) -> dict[str, Any]:
    order = await _own_order(world, OrderStatus.IN_PRODUCTION)
    await seeding.job(
        world.database,
        manufacturer_id=world.own_manufacturer_uuid,
        order_id=order.id,
        status=JobStatus.SHIPPED,
    )
    return {"id": seeding.gid(order)}


async def _draft_with(world: World, **values: Any) -> dict[str, Any]:
    return {**(await _draft(world)), **values}


async def _bulk(world: World) -> dict[str, Any]:
    return {"ids": [(await _draft(world))["id"]], "status": "SUBMITTED"}


async def _order_lookup(world: World) -> dict[str, Any]:
    return {"id": (await _draft(world))["id"]}


CASES: list[Case] = [
    Case("Query.orders", "{ orders { totalCount } }", "UAOSFRC"),
    Case(
        "Query.order", "query($id: ID) { order(id: $id) { reference } }", "UAOSFRC", _order_lookup
    ),
    Case("Query.customers", "{ customers { totalCount } }", "UAOSFRC"),
    mutation_case("createCustomer", "UAO", lambda w: {"name": f"Customer {n()}"}),
    mutation_case(
        "createOrder",
        "UAOC",
        lambda w: {
            "customerId": _own_customer(w),
            "items": [{"variantId": w.variant["id"], "quantity": 1, "size": "M", "unitPrice": "1"}],
        },
    ),
    mutation_case("updateOrder", "UAOC", lambda w: _draft_with(w, notes=f"n{n()}")),
    mutation_case("submitOrder", "UAO", _draft),
    mutation_case("approveOrder", "UAO", _submitted),
    mutation_case("cancelOrder", "UAOC", lambda w: _draft_with(w, reason="changed mind")),
    mutation_case("fulfillOrder", "UAO", _shipped),
    mutation_case("setOrderPriority", "UAO", lambda w: _draft_with(w, priority="RUSH")),
    mutation_case("bulkUpdateOrderStatus", "UAO", _bulk),
    # The ops queue's notes and messages (issue 29): ops only.
    mutation_case(
        "addOrderNote",
        "UAO",
        lambda w: _order_note(w),
    ),
]


async def _order_note(world: World) -> dict[str, Any]:
    return {"orderId": (await _draft(world))["id"], "body": f"Note {n()}"}
