"""Order mutations. Each runs in one transaction and reports business-rule failures in
`errors`; the rules live in resolvers.orders.rules and every status change goes through the order
state machine (resolvers.transitions)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON
from strawberry.types import Info

from auth.actor import Actor
from auth.permissions import Permission
from db.models import Order as OrderModel
from domain.errors import UserErrors
from domain.orders import OrderPriority, OrderStatus, Technique
from resolvers.gather import gather_or_cancel
from resolvers.lookup import get_for_update
from resolvers.orders import notes
from resolvers.orders import rules as orders
from schema.errors import UserError
from schema.inputs import (
    EXPECTED_VERSION,
    Work,
    mutate,
    omittable,
    optional,
    provided,
    reload,
)
from schema.orders.types import Customer, Order
from schema.payloads import Rule, creating, input_mutation, node_mutation, user_errors

# -- inputs and payloads -----------------------------------------------------------------------


@strawberry.input(description="A new customer.")
class CreateCustomerInput:
    name: str = strawberry.field(description="Name.")
    email: str | None = optional("Email address.")
    company: str | None = optional("Company.")


@strawberry.type(description="The result of a mutation on a customer.")
class CustomerPayload:
    customer: Customer | None = strawberry.field(description="The customer as committed.")
    errors: list[UserError] = user_errors()


@strawberry.input(description="One line of an order.")
class OrderItemInput:
    variant_id: strawberry.ID = strawberry.field(description="The variant ordered.")
    quantity: int = strawberry.field(description="How many units (greater than zero).")
    size: str | None = optional("Size; defaults to the variant's (required if it has none).")
    technique: Technique | None = optional("Decoration technique (default DTG).")
    unit_price: Decimal | None = optional(
        "Price of one unit; defaults to the variant's (required if it has none)."
    )
    metadata: JSON | None = optional("Free-form data of the line (a JSON object).")

    def spec(self) -> orders.ItemSpec:
        return orders.ItemSpec(**provided(self, exclude=()))


@strawberry.input(description="A new draft order.")
class CreateOrderInput:
    customer_id: strawberry.ID | None = optional(
        "Who it is for: required for staff; a customer orders for itself."
    )
    priority: OrderPriority | None = optional("Priority (default STANDARD).")
    notes: str | None = optional("Notes for production.")
    metadata: JSON | None = optional("Free-form data (a JSON object).")
    items: list[OrderItemInput] = strawberry.field(
        default_factory=list, description="The lines; at least one is needed to submit."
    )


@strawberry.input(description="Changes to a draft order; omitted fields stay as they are.")
class UpdateOrderInput:
    id: strawberry.ID = strawberry.field(description="The order (a draft).")
    expected_version: int | None = optional(EXPECTED_VERSION)
    notes: str | None = omittable("Notes for production (null clears them).")
    metadata: JSON | None = omittable("Free-form data (a JSON object); replaces the old one.")
    items: list[OrderItemInput] | None = omittable("The new lines, replacing all existing ones.")


@strawberry.input(description="Which order to move, optionally at which version.")
class OrderTransitionFields:
    id: strawberry.ID = strawberry.field(description="The order.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="Submit a draft order (it needs at least one line).")
class SubmitOrderInput(OrderTransitionFields):
    pass


@strawberry.input(description="Approve a submitted order; routing splits it into jobs.")
class ApproveOrderInput(OrderTransitionFields):
    pass


@strawberry.input(description="Mark an order in production fulfilled (every job shipped).")
class FulfillOrderInput(OrderTransitionFields):
    pass


@strawberry.input(description="Cancel an order, with a reason.")
class CancelOrderInput(OrderTransitionFields):
    reason: str = strawberry.field(description="Why (required, not blank).")


@strawberry.input(description="Change an order's priority.")
class SetOrderPriorityInput:
    id: strawberry.ID = strawberry.field(description="The order.")
    priority: OrderPriority = strawberry.field(description="The new priority.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type(description="The result of a mutation on an order.")
class OrderPayload:
    order: Order | None = strawberry.field(
        description="The order as committed (with its jobs after approval); null when "
        "`errors` is not empty."
    )
    errors: list[UserError] = user_errors()


@strawberry.input(description="Move many orders to one status, each on its own.")
class BulkUpdateOrderStatusInput:
    ids: list[strawberry.ID] = strawberry.field(description="The orders (1 to 100).")
    status: OrderStatus = strawberry.field(description="The status to move them to.")
    reason: str | None = optional("Why; required when the status is CANCELED.")


@strawberry.type(description="What happened to one order of a bulk status update.")
class BulkOrderStatusResult:
    order_id: strawberry.ID = strawberry.field(description="The ID as given.")
    order: Order | None = strawberry.field(
        description="The order as committed; null when this order's change failed."
    )
    errors: list[UserError] = user_errors("Why this order did not change; empty on success.")


@strawberry.type(description="The result of a bulk status update: one result per ID, in order.")
class BulkUpdateOrderStatusPayload:
    results: list[BulkOrderStatusResult] = strawberry.field(
        description="One per given ID, in the same order; each order changed on its own."
    )
    errors: list[UserError] = user_errors(
        "Problems of the input as a whole (then no order was touched)."
    )


def _metadata(values: dict[str, Any]) -> dict[str, Any]:
    if "metadata" in values:
        values["metadata_"] = values.pop("metadata")
    return values


def _specs(items: Any) -> list[orders.ItemSpec] | None:
    """The new lines of an order, or None to keep the ones it has (items omitted or null)."""
    return None if items is strawberry.UNSET or items is None else [item.spec() for item in items]


def _move_to(target: OrderStatus) -> Rule[Any]:
    """The rule of a status mutation: the order state machine's move to `target` (with the
    input's reason, when it has one)."""

    async def move(session: AsyncSession, actor: Actor, fields: Any) -> Any:
        ctx = await orders.change_status(
            session,
            actor,
            fields.id,
            target,
            reason=getattr(fields, "reason", None),
            expected_version=fields.expected_version,
        )
        return ctx.entity

    return move


async def _bulk_update_status(
    info: Info[Any, Any], input: BulkUpdateOrderStatusInput
) -> BulkUpdateOrderStatusPayload:
    ids = list(input.ids)
    try:
        orders.check_bulk(ids, input.status, input.reason)
    except UserErrors as exc:
        errors = UserError.from_problems(exc.problems)
        return BulkUpdateOrderStatusPayload(results=[], errors=errors)
    changed: list[tuple[str, Any, list[UserError]]] = []
    for index, global_id in enumerate(ids):
        entity, item_errors = await mutate(
            info, _bulk_item(index, global_id, input.status, input.reason)
        )
        changed.append((global_id, entity, item_errors))
    # Read back together (one batched statement), as committed.
    nodes = await gather_or_cancel(reload(info, Order, e) for _, e, _ in changed)
    results = [
        BulkOrderStatusResult(order_id=strawberry.ID(g), order=node, errors=item_errors)
        for (g, _, item_errors), node in zip(changed, nodes, strict=True)
    ]
    return BulkUpdateOrderStatusPayload(results=results, errors=[])


def _bulk_item(index: int, global_id: str, status: OrderStatus, reason: str | None) -> Work:
    async def work(session: AsyncSession, actor: Actor) -> Any:
        return await orders.bulk_change_status(session, actor, index, global_id, status, reason)

    return work


@strawberry.input(description="A note on an order: internal (staff) or a message to the customer.")
class AddOrderNoteInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    body: str = strawberry.field(description="The text (not blank, at most 5,000 characters).")
    to_customer: bool = strawberry.field(
        default=False,
        description="true: a message the customer sees on the order's timeline (and live "
        "stream); false: an internal note for staff.",
    )


async def _add_note(session: AsyncSession, actor: Actor, input: AddOrderNoteInput) -> Any:
    await notes.add_note(session, actor, input.order_id, input.body, to_customer=input.to_customer)
    return await get_for_update(session, OrderModel, input.order_id, "order_id")


@strawberry.type
class OrderMutation:
    create_customer = node_mutation(
        CustomerPayload,
        CreateCustomerInput,
        Permission.MANAGE_ORDERS,
        "Create a customer.",
        creating(orders.create_customer),
    )

    create_order = node_mutation(
        OrderPayload,
        CreateOrderInput,
        Permission.EDIT_ORDERS,
        "Create a draft order with its reference (ORD-YYYY-NNN) and lines. Every "
        "bad line is reported at its path, e.g. input.items.2.variantId.",
        lambda s, actor, input: orders.create_order(
            s,
            actor,
            input.customer_id,
            _metadata(provided(input, exclude=("customer_id", "items"))),
            [item.spec() for item in input.items],
        ),
    )

    update_order = node_mutation(
        OrderPayload,
        UpdateOrderInput,
        Permission.EDIT_ORDERS,
        "Change a draft order: notes, metadata, lines (replacing all). Any other "
        "status is IMMUTABLE.",
        lambda s, actor, input: orders.update_order(
            s,
            actor,
            input.id,
            _metadata(provided(input, exclude=("id", "expected_version", "items"))),
            _specs(input.items),
            input.expected_version,
        ),
    )

    submit_order = node_mutation(
        OrderPayload,
        SubmitOrderInput,
        Permission.MANAGE_ORDERS,
        "Submit a draft order (draft → submitted).",
        _move_to(OrderStatus.SUBMITTED),
    )

    approve_order = node_mutation(
        OrderPayload,
        ApproveOrderInput,
        Permission.MANAGE_ORDERS,
        "Approve a submitted order (submitted → approved); routing splits it into "
        "manufacturing jobs, returned in `order.jobs` (unless the order is on HOLD).",
        _move_to(OrderStatus.APPROVED),
    )

    cancel_order = node_mutation(
        OrderPayload,
        CancelOrderInput,
        Permission.EDIT_ORDERS,
        "Cancel an order with a reason: a draft or submitted one (customers their "
        "own), or an approved one (staff) while none of its jobs has been accepted; its jobs "
        "still NEW are declined.",
        _move_to(OrderStatus.CANCELED),
    )

    fulfill_order = node_mutation(
        OrderPayload,
        FulfillOrderInput,
        Permission.MANAGE_ORDERS,
        "Mark an order fulfilled (in_production → fulfilled) once every job that "
        "was not declined has shipped.",
        _move_to(OrderStatus.FULFILLED),
    )

    set_order_priority = node_mutation(
        OrderPayload,
        SetOrderPriorityInput,
        Permission.MANAGE_ORDERS,
        "Set an order's priority. HOLD pauses routing; an approved order that was "
        "held before routing is routed when it leaves HOLD.",
        lambda s, actor, input: orders.set_priority(
            s, actor, input.id, input.priority, input.expected_version
        ),
    )

    add_order_note = node_mutation(
        OrderPayload,
        AddOrderNoteInput,
        Permission.MANAGE_ORDERS,
        "Add an internal note (staff only, `internalNotes`) or a message to the customer "
        "(`toCustomer`: it joins the timeline, `events`, and the order's live stream).",
        _add_note,
    )

    bulk_update_order_status = input_mutation(
        BulkUpdateOrderStatusPayload,
        BulkUpdateOrderStatusInput,
        Permission.MANAGE_ORDERS,
        "Move up to 100 orders to one status. Each order changes in its own "
        "transaction through the order state machine; the results report each one, in order.",
        _bulk_update_status,
    )
