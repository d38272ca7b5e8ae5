"""3PL mutations. Each runs in one transaction and reports business-rule failures in
`errors`; stock changes only through the ledger (resolvers.fulfillment.ledger) and outbound
statuses only through their state machine (resolvers.transitions)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON
from strawberry.types import Info

from auth.actor import Actor
from auth.permissions import Permission
from db.models import OutboundShipment as OutboundShipmentRow
from domain.fulfillment import AdjustmentReason, CenterCapability, OutboundStatus
from domain.jobs import ShippingCarrier
from resolvers.fulfillment import outbound, rules
from resolvers.fulfillment.outbound_workflow import OUTBOUND_WORKFLOW
from resolvers.ids import encode_id
from resolvers.transitions import transition
from schema.context import request_context
from schema.errors import UserError
from schema.fulfillment import types
from schema.inputs import EXPECTED_VERSION, INPUT, mutate, omittable, optional, provided, reload
from schema.payloads import creating, node_mutation, updating, user_errors
from schema.permissions import requires

# -- fulfillment centers ----------------------------------------------------------------------


@strawberry.input(description="Fields of a fulfillment center; omitted fields stay as they are.")
class FulfillmentCenterFields:
    address_line1: str | None = omittable("Street address.")
    address_line2: str | None = omittable("Second address line.")
    city: str | None = omittable("City.")
    region: str | None = omittable("State or region.")
    postal_code: str | None = omittable("Postal code.")
    country: str | None = omittable("ISO 3166-1 alpha-2 country, e.g. US.")
    phone: str | None = omittable("Phone.")
    email: str | None = omittable("Email address.")
    contact_name: str | None = omittable("Who to talk to.")
    operating_hours: JSON | None = omittable('Opening hours by day, e.g. {"mon": "08:00-17:00"}.')
    capabilities: list[CenterCapability] | None = omittable(
        "What it does (default: receive, store, ship)."
    )
    carrier_preferences: list[ShippingCarrier] | None = omittable(
        "Carriers it prefers, most preferred first."
    )
    is_default: bool | None = omittable(
        "Make it the default center (the previous default stops being one)."
    )


@strawberry.input(description="A new fulfillment center.")
class CreateFulfillmentCenterInput(FulfillmentCenterFields):
    code: str = strawberry.field(description='Unique code, e.g. "FC-EAST" (stored upper-case).')
    name: str = strawberry.field(description="Name.")


@strawberry.input(description="Changes to a fulfillment center; omitted fields stay.")
class UpdateFulfillmentCenterInput(FulfillmentCenterFields):
    id: strawberry.ID = strawberry.field(description="The center.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    code: str | None = omittable("New code.")
    name: str | None = omittable("New name.")


@strawberry.input(description="Deactivate a fulfillment center (not the default).")
class DeactivateFulfillmentCenterInput:
    id: strawberry.ID = strawberry.field(description="The center.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type(description="The result of a mutation on a fulfillment center.")
class FulfillmentCenterPayload:
    fulfillment_center: types.FulfillmentCenter | None = strawberry.field(
        description="The center as committed."
    )
    errors: list[UserError] = user_errors()


async def _create_center(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
    values.setdefault("capabilities", list(CenterCapability))
    return await rules.create_center(session, actor, values)


# -- inventory --------------------------------------------------------------------------------


@strawberry.input(description="Change on hand with a reason code (BR-16).")
class AdjustInventoryInput:
    center_id: strawberry.ID = strawberry.field(description="The fulfillment center.")
    variant_id: strawberry.ID = strawberry.field(description="The variant.")
    quantity: int = strawberry.field(description="Units to add (positive) or remove (negative).")
    reason: AdjustmentReason = strawberry.field(description="Why (THEFT needs a note).")
    note: str | None = optional("What happened.")


@strawberry.input(description="Approve an adjustment waiting for approval.")
class ApproveInventoryAdjustmentInput:
    id: strawberry.ID = strawberry.field(description="The adjustment.")
    note: str | None = optional("Why.")


@strawberry.input(description="Reject an adjustment waiting for approval.")
class RejectInventoryAdjustmentInput:
    id: strawberry.ID = strawberry.field(description="The adjustment.")
    note: str | None = optional("Why.")


@strawberry.type(description="The result of a mutation on an inventory adjustment.")
class InventoryAdjustmentPayload:
    adjustment: types.InventoryAdjustment | None = strawberry.field(
        description="The adjustment as committed: APPLIED, or PENDING_APPROVAL above the "
        "approval threshold."
    )
    errors: list[UserError] = user_errors()


@strawberry.input(description="Where a level is kept and when it alerts; quantities stay.")
class UpdateInventoryLevelInput:
    id: strawberry.ID = strawberry.field(description="The level.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    bin_location: str | None = omittable("Bin, e.g. A-03-2.")
    reorder_point: int | None = omittable("LOW_STOCK below this many available.")
    max_threshold: int | None = omittable("OVERSTOCK above this many on hand.")
    cost_per_unit: Decimal | None = omittable('Cost of one unit, e.g. "6.00" (cost data).')
    last_counted_at: datetime | None = omittable("When it was last counted.")


@strawberry.type(description="The result of a mutation on an inventory level.")
class InventoryLevelPayload:
    inventory_level: types.InventoryLevel | None = strawberry.field(
        description="The level as committed."
    )
    errors: list[UserError] = user_errors()


# -- outbound shipments -----------------------------------------------------------------------


@strawberry.input(description="Part of an order line to put in the shipment.")
class OutboundItemInput:
    order_item_id: strawberry.ID = strawberry.field(description="The order line.")
    quantity: int = strawberry.field(description="Units of it (at most what no shipment holds).")


@strawberry.input(description="A new outbound shipment for an order; its stock is reserved.")
class CreateOutboundShipmentInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    center_id: strawberry.ID | None = optional("The center it leaves from (default: default).")
    items: list[OutboundItemInput] | None = optional(
        "What goes in it (default: every unit of the order no shipment holds yet)."
    )


@strawberry.input(description="Move an outbound shipment to another status (SPEC §2.9).")
class TransitionOutboundShipmentInput:
    id: strawberry.ID = strawberry.field(description="The shipment.")
    status: OutboundStatus = strawberry.field(description="The status to move to.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    carrier: ShippingCarrier | None = optional("Required to ship.")
    tracking_number: str | None = optional("Required to ship.")
    weight_kg: Decimal | None = optional("When packed: weight, kg.")
    length_cm: Decimal | None = optional("When packed: length, cm.")
    width_cm: Decimal | None = optional("When packed: width, cm.")
    height_cm: Decimal | None = optional("When packed: height, cm.")
    shipping_cost: Decimal | None = optional("When packed or shipped: cost (cost data).")
    reason: str | None = optional("Why; required to cancel.")


@strawberry.type(description="The result of a mutation on an outbound shipment.")
class OutboundShipmentPayload:
    outbound_shipment: types.OutboundShipment | None = strawberry.field(
        description="The shipment as committed."
    )
    errors: list[UserError] = user_errors()


@strawberry.type(description="What consolidation (BR-22) found for one order.")
class ConsolidationResult:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    outbound_shipment: types.OutboundShipment | None = strawberry.field(
        description="The shipment proposed for it (PENDING, stock reserved), if ready."
    )
    split_across_centers: bool = strawberry.field(
        description="Every line is available, but not at one center: reported, not shipped."
    )
    lines_missing: int = strawberry.field(description="Lines no center can fill yet.")


@strawberry.type(description="The result of consolidating orders.")
class ConsolidateOrdersPayload:
    results: list[ConsolidationResult] = strawberry.field(
        description="Every approved order with lines not in a shipment, rush first, then oldest."
    )
    errors: list[UserError] = user_errors()


_TRANSITION_INPUTS = (
    "carrier",
    "tracking_number",
    "weight_kg",
    "length_cm",
    "width_cm",
    "height_cm",
    "shipping_cost",
    "reason",
)


async def _transition(session: AsyncSession, actor: Actor, input: Any) -> Any:
    inputs = {name: getattr(input, name) for name in _TRANSITION_INPUTS}
    if isinstance(inputs["tracking_number"], str):
        inputs["tracking_number"] = inputs["tracking_number"].strip() or None
    ctx = await transition(
        session,
        actor,
        OUTBOUND_WORKFLOW,
        OutboundShipmentRow,
        input.id,
        input.status,
        expected_version=input.expected_version,
        inputs=inputs,
        reason=input.reason,
    )
    return ctx.entity


@strawberry.type
class FulfillmentMutation:
    create_fulfillment_center = node_mutation(
        FulfillmentCenterPayload,
        CreateFulfillmentCenterInput,
        Permission.MANAGE_FULFILLMENT_CENTERS,
        "Create a fulfillment center (admins).",
        creating(_create_center),
    )

    update_fulfillment_center = node_mutation(
        FulfillmentCenterPayload,
        UpdateFulfillmentCenterInput,
        Permission.MANAGE_FULFILLMENT_CENTERS,
        "Change a fulfillment center; `isDefault: true` moves the default to it.",
        updating(rules.update_center),
    )

    deactivate_fulfillment_center = node_mutation(
        FulfillmentCenterPayload,
        DeactivateFulfillmentCenterInput,
        Permission.MANAGE_FULFILLMENT_CENTERS,
        "Deactivate a fulfillment center: it takes no new work. The default center cannot be "
        "deactivated.",
        lambda s, actor, input: rules.deactivate_center(s, actor, input.id, input.expected_version),
    )

    @strawberry.mutation(
        description="Adjust on hand with a reason code (BR-16). Up to "
        "OPSGRAPH_ADJUSTMENT_APPROVAL_UNITS units either way apply at once; more wait for an "
        "admin (PENDING_APPROVAL). Taking more than is available is INSUFFICIENT_STOCK.",
        extensions=requires(Permission.MOVE_INVENTORY),
    )
    async def adjust_inventory(
        self, info: Info[Any, Any], input: Annotated[AdjustInventoryInput, INPUT]
    ) -> InventoryAdjustmentPayload:
        units = request_context(info).settings.fulfillment.adjustment_approval_units
        adjustment, errors = await mutate(
            info,
            lambda s, actor: rules.adjust(
                s,
                actor,
                center_global_id=input.center_id,
                variant_global_id=input.variant_id,
                quantity=input.quantity,
                reason=input.reason,
                note=input.note,
                approval_units=units,
            ),
        )
        return InventoryAdjustmentPayload(
            adjustment=await reload(info, types.InventoryAdjustment, adjustment), errors=errors
        )

    approve_inventory_adjustment = node_mutation(
        InventoryAdjustmentPayload,
        ApproveInventoryAdjustmentInput,
        Permission.APPROVE_ADJUSTMENTS,
        "Approve a pending adjustment (admins): the ledger records it now.",
        lambda s, actor, input: rules.decide_adjustment(
            s, actor, input.id, approve=True, note=input.note
        ),
    )

    reject_inventory_adjustment = node_mutation(
        InventoryAdjustmentPayload,
        RejectInventoryAdjustmentInput,
        Permission.APPROVE_ADJUSTMENTS,
        "Reject a pending adjustment (admins): the stock does not change.",
        lambda s, actor, input: rules.decide_adjustment(
            s, actor, input.id, approve=False, note=input.note
        ),
    )

    update_inventory_level = node_mutation(
        InventoryLevelPayload,
        UpdateInventoryLevelInput,
        Permission.MOVE_INVENTORY,
        "Set a level's bin, reorder point, max threshold or cost; quantities change only "
        "through the ledger.",
        lambda s, actor, input: rules.set_level_details(
            s, actor, input.id, provided(input), input.expected_version
        ),
    )

    create_outbound_shipment = node_mutation(
        OutboundShipmentPayload,
        CreateOutboundShipmentInput,
        Permission.MANAGE_OUTBOUND,
        "Create an outbound shipment for an order, reserving its stock (INSUFFICIENT_STOCK "
        "and nothing created otherwise). An order may ship in several; a unit already in a "
        "shipment is never reserved twice (CONFLICT).",
        lambda s, actor, input: outbound.create_outbound(
            s,
            actor,
            input.order_id,
            center_global_id=input.center_id,
            items=None
            if input.items is None
            else [(item.order_item_id, item.quantity) for item in input.items],
        ),
    )

    transition_outbound_shipment = node_mutation(
        OutboundShipmentPayload,
        TransitionOutboundShipmentInput,
        Permission.VIEW_OUTBOUND,
        "Move an outbound shipment (`allowedTransitions` lists the moves): picking records "
        "the picks, shipping needs carrier and tracking (they reach the order), delivery of "
        "every package fulfils the order, canceling releases the reservation.",
        _transition,
    )

    @strawberry.mutation(
        description="Consolidation (BR-22): every approved order whose remaining lines are all "
        "available at one center gets a PENDING outbound shipment there, stock reserved; rush "
        "orders first, then oldest. Also runs when stock arrives.",
        extensions=requires(Permission.MANAGE_OUTBOUND),
    )
    async def consolidate_orders(self, info: Info[Any, Any]) -> ConsolidateOrdersPayload:
        found, errors = await mutate(info, lambda s, actor: outbound.consolidate(s, actor))
        results = []
        for item in found or []:
            node = await reload(info, types.OutboundShipment, item.shipment)
            results.append(
                ConsolidationResult(
                    order_id=strawberry.ID(encode_id("Order", item.order.id)),
                    outbound_shipment=node,
                    split_across_centers=item.readiness.split,
                    lines_missing=len(item.readiness.missing),
                )
            )
        return ConsolidateOrdersPayload(results=results, errors=errors)
