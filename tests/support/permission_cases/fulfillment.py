"""3PL rows of the permission matrix (SPEC §4 "3PL"): View FCs = A O F (and readonly);
Manage FCs = A; View inventory = A O F · ◐ S (sales without cost fields); moving stock is
A O, approving a large adjustment A; View outbound = A O F · ◐ S, managing it A O."""

from __future__ import annotations

from typing import Any

from db.models import InventoryAdjustment, OutboundShipment
from domain.fulfillment import AdjustmentReason, AdjustmentStatus
from domain.orders import OrderStatus
from resolvers.fulfillment.outbound import create_outbound
from resolvers.ids import decode_id, encode_id
from tests.support import fulfillment, seeding
from tests.support.fulfillment import OPS
from tests.support.permission_matrix import Case, World, mutation_case, n

LEVELS_Q = "{ inventoryLevels { edges { node { %s } } } }"
OUTBOUND_Q = "{ outboundShipments { edges { node { %s } } } }"


async def _stocked(world: World, units: int = 10) -> tuple[Any, Any]:
    """A center of its own holding `units` of the world's variant: (center, level) UUIDs."""
    center = await fulfillment.center(world.database)
    variant = decode_id(world.variant["id"])[1]
    await fulfillment.stock(world.database, center, variant, units)
    level = (await fulfillment.ledger_level(world.database, center, variant)).id
    return center, level


async def _center(world: World) -> dict[str, Any]:
    return {"id": encode_id("FulfillmentCenter", await fulfillment.center(world.database))}


async def _adjust(world: World) -> dict[str, Any]:
    center, _ = await _stocked(world)
    return {
        "centerId": encode_id("FulfillmentCenter", center),
        "variantId": world.variant["id"],
        "quantity": 1,
        "reason": "COUNT_CORRECTION",
    }


async def _pending(world: World) -> dict[str, Any]:
    _, level = await _stocked(world)
    async with world.database.transaction() as session:
        adjustment = InventoryAdjustment(
            level_id=level,
            quantity=1,
            reason=AdjustmentReason.COUNT_CORRECTION,
            status=AdjustmentStatus.PENDING_APPROVAL,
        )
        session.add(adjustment)
        await session.flush()
        return {"id": encode_id("InventoryAdjustment", adjustment.id)}


async def _level(world: World) -> dict[str, Any]:
    _, level = await _stocked(world)
    return {"id": encode_id("InventoryLevel", level), "binLocation": f"B-{n()}"}


async def _approved_order(world: World) -> Any:
    variant = decode_id(world.variant["id"])[1]
    return await seeding.order(
        world.database,
        customer_id=world.own_customer_id,
        status=OrderStatus.APPROVED,
        items=[(variant, 1)],
    )


async def _new_outbound(world: World) -> dict[str, Any]:
    center, _ = await _stocked(world)
    order = await _approved_order(world)
    return {
        "orderId": encode_id("Order", order.id),
        "centerId": encode_id("FulfillmentCenter", center),
    }


async def _pending_outbound(world: World) -> dict[str, Any]:
    given = await _new_outbound(world)
    async with world.database.transaction() as session:
        shipment: OutboundShipment = await create_outbound(
            session, OPS, given["orderId"], center_global_id=given["centerId"]
        )
        return {"id": encode_id("OutboundShipment", shipment.id), "status": "PICKING"}


async def _any_outbound(world: World) -> dict[str, Any]:
    await _pending_outbound(world)
    return {}


CASES: list[Case] = [
    Case("Query.fulfillmentCenters", "{ fulfillmentCenters { totalCount } }", "UAOFR"),
    Case(
        "Query.fulfillmentCenter",
        "query($id: ID) { fulfillmentCenter(id: $id) { code stats { unitsOnHand } } }",
        "UAOFR",
        _center,
    ),
    Case("Query.inventoryLevels", "{ inventoryLevels { totalCount } }", "UAOSFR"),
    Case("Query.inventoryTransactions", "{ inventoryTransactions { totalCount } }", "UAOSFR"),
    Case("Query.inventoryAlerts", "{ inventoryAlerts { totalCount } }", "UAOSFR"),
    Case("Query.inventoryAdjustments", "{ inventoryAdjustments { totalCount } }", "UAOSFR"),
    Case("Query.outboundShipments", "{ outboundShipments { totalCount } }", "UAOSFR"),
    Case(
        "Query.outboundShipment",
        "query($id: String) { outboundShipment(shipmentNumber: $id) { status } }",
        "UAOSFR",
        lambda w: _given({"id": f"OUT-NONE-{n()}"}),
    ),
    Case(
        "InventoryLevel.costPerUnit",
        LEVELS_Q % "onHand costPerUnit { amount }",
        "UAOF",
        lambda w: _after(_stocked(w)),
    ),
    Case(
        "OutboundShipment.shippingCost",
        OUTBOUND_Q % "status shippingCost { amount }",
        "UAOF",
        _any_outbound,
    ),
    mutation_case(
        "createFulfillmentCenter", "UA", lambda w: {"code": f"FC-P{n()}", "name": "Matrix"}
    ),
    mutation_case("updateFulfillmentCenter", "UA", lambda w: _with(_center(w), name="Renamed")),
    mutation_case("deactivateFulfillmentCenter", "UA", _center),
    mutation_case("adjustInventory", "UAO", _adjust),
    mutation_case("approveInventoryAdjustment", "UA", _pending),
    mutation_case("rejectInventoryAdjustment", "UA", _pending),
    mutation_case("updateInventoryLevel", "UAO", _level),
    mutation_case("createOutboundShipment", "UAO", _new_outbound),
    mutation_case("transitionOutboundShipment", "UAO", _pending_outbound),
    Case(
        "Mutation.consolidateOrders",
        "mutation { consolidateOrders { errors { code message } } }",
        "UAO",
    ),
]


async def _given(value: dict[str, Any]) -> dict[str, Any]:
    return value


async def _after(work: Any) -> dict[str, Any]:
    await work
    return {}


async def _with(values: Any, **more: Any) -> dict[str, Any]:
    return {**(await values), **more}
