"""Order object types: customers, orders, their line items and fulfillment timeline.

Fields read what the row holds; relations go through the request's loaders, so a list of
orders with their lines, customer, events and job progress costs the same statements for
10 orders as for 50.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.fulfillment import OrderFulfillment, OutboundStatus, order_fulfillment
from domain.orders import (
    DISPLAY_LABELS,
    ETA_DAYS,
    PRIORITY_LABELS,
    OrderPriority,
    OrderStatus,
    Technique,
)
from resolvers.fulfillment import sources as fulfillment_sources
from resolvers.jobs import sources as job_sources
from resolvers.orders import sources as order_sources
from resolvers.orders.timeline import job_progress
from resolvers.orders.workflow import ORDER_WORKFLOW
from resolvers.pagination import SortKey
from schema.catalog.types import Product, Variant
from schema.context import request_context
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.execution.relations import Lazy, children, to_one
from schema.fulfillment import enums as _fulfillment_enums  # noqa: F401 - OrderFulfillment's descriptions
from schema.money import DEFAULT_CURRENCY, Money
from schema.node import Node
from schema.orders import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.orders.lists import ORDERS
from schema.workflow import (
    ALLOWED_DESCRIPTION,
    HISTORY_DESCRIPTION,
    StatusChange,
    allowed_transitions,
    status_history,
)

_BY_POSITION = (SortKey("position"),)
_CHRONOLOGICAL = (SortKey("occurred_at"),)
_BY_JOB_NUMBER = (SortKey("job_number"),)
_BY_CREATION = (SortKey("created_at"),)
_BY_ATTEMPT = (SortKey("attempt"),)


@strawberry.type(description="Who orders are for; a customer user sees only its own.")
class Customer(Node):
    pk: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="Name.")
    email: str | None = strawberry.field(description="Email address.")
    company: str | None = strawberry.field(description="Company.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)

    orders = ORDERS.field(
        "The customer's orders, newest first unless ordered.",
        parent="customer_id",
        filter_description="Only matching orders.",
    )


@strawberry.type(description="A line of an order: one variant in one size and technique.")
class OrderItem(Node):
    pk: strawberry.Private[uuid.UUID]
    position: int = strawberry.field(description="Position in the order, from 0.")
    quantity: int = strawberry.field(description="How many units (greater than zero).")
    size: str = strawberry.field(description='Size, e.g. "M".')
    technique: Technique = strawberry.field(description="How it is decorated.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    order_id: strawberry.Private[uuid.UUID]
    variant_id: strawberry.Private[uuid.UUID]
    customer_id: strawberry.Private[uuid.UUID]
    unit_price: strawberry.Private[Decimal]
    metadata_: strawberry.Private[dict[str, Any]]

    @strawberry.field(name="unitPrice", description="Price of one unit.")
    def unit_price_money(self) -> Money:
        return Money(amount=self.unit_price, currency=DEFAULT_CURRENCY)

    @strawberry.field(description="quantity times unitPrice.")
    def line_total(self) -> Money:
        return Money(amount=self.unit_price * self.quantity, currency=DEFAULT_CURRENCY)

    @strawberry.field(description="Free-form data of the line (a JSON object).")
    def metadata(self) -> JSON:
        return JSON(self.metadata_)

    order = to_one(
        Lazy("Order", __name__), "order_id", description="The order it belongs to.", required=True
    )

    variant = to_one(
        Variant,
        "variant_id",
        description="The variant ordered; null (FORBIDDEN) for viewers who may not see the "
        "catalog.",
    )


@strawberry.type(description="One entry of an order's timeline (insert-only).")
class FulfillmentEvent:
    status: str = strawberry.field(description='The display label, e.g. "Queued".')
    order_status: OrderStatus | None = strawberry.field(
        description="The order's raw status when it happened."
    )
    message: str | None = strawberry.field(description="What happened.")
    occurred_at: datetime = strawberry.field(description="When (UTC).")
    metadata_: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="Free-form details (a JSON object).")
    def metadata(self) -> JSON:
        return JSON(self.metadata_)

    @classmethod
    def from_row(cls, row: Any) -> FulfillmentEvent:
        return cls(
            status=row.status,
            order_status=OrderStatus(row.order_status) if row.order_status else None,
            message=row.message,
            occurred_at=row.occurred_at,
            metadata_=row.metadata_ or {},
        )


@strawberry.type(description="An internal note on an order, for staff only (the ops queue).")
class OrderNote(Node):
    pk: strawberry.Private[uuid.UUID]
    body: str = strawberry.field(description="The note.")
    author_id: str | None = strawberry.field(description="Who wrote it (token subject).")
    author_role: str | None = strawberry.field(description="Their role.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    order_id: strawberry.Private[uuid.UUID]


@strawberry.type(description='How many of an order\'s jobs have shipped ("2 of 3 ready").')
class JobProgress:
    total: int = strawberry.field(description="Jobs of the order, declined ones not counted.")
    shipped: int = strawberry.field(description="Of those, how many have shipped.")
    label: str = strawberry.field(description='E.g. "2 of 3 ready".')


@strawberry.type(description="A production order: the customer's lines, split into jobs.")
class Order(Node):
    pk: strawberry.Private[uuid.UUID]
    reference: str = strawberry.field(description="Unique reference, ORD-YYYY-NNN.")
    status: OrderStatus = strawberry.field(description="Where the order is (raw state).")
    priority: OrderPriority = strawberry.field(description="Rush, standard or hold.")
    notes: str | None = strawberry.field(description="Notes for production.")
    cancel_reason: str | None = strawberry.field(description="Why it was canceled.")
    submitted_at: datetime | None = strawberry.field(description="When it was submitted.")
    approved_at: datetime | None = strawberry.field(description="When it was approved.")
    production_started_at: datetime | None = strawberry.field(
        description="When its first job started production."
    )
    fulfilled_at: datetime | None = strawberry.field(description="When it was fulfilled.")
    canceled_at: datetime | None = strawberry.field(description="When it was canceled.")
    routed_at: datetime | None = strawberry.field(
        description="When routing split it into jobs (null until then, e.g. while on HOLD)."
    )
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    customer_id: strawberry.Private[uuid.UUID]
    total: strawberry.Private[Decimal]
    currency: strawberry.Private[str]
    metadata_: strawberry.Private[dict[str, Any]]
    # A production order ([001] order summary; createProductionOrder).
    prompt: str | None = strawberry.field(description="The prompt behind the design, if any.")
    image_url: str | None = strawberry.field(
        description="The design's image, as printed and shown at checkout."
    )
    garment_title: str | None = strawberry.field(
        description="The garment blank's title as ordered (for every viewer of the order)."
    )
    design_id: strawberry.Private[uuid.UUID | None]
    garment_id: strawberry.Private[uuid.UUID | None]

    design = to_one(
        Lazy("Design", "schema.designs.types"),
        "design_id",
        description="The saved design a production order prints (null for a bare design URL).",
    )

    garment = to_one(
        Product,
        "garment_id",
        description="The garment blank of a production order (its variants are the sizes); "
        "null otherwise, and (FORBIDDEN) for viewers who may not see the catalog.",
    )

    @strawberry.field(
        description='The customer-facing label of the status ("Spec Review", "Queued", '
        '"Printing", "Finishing", "Ready").'
    )
    def display_status(self) -> str:
        return DISPLAY_LABELS[OrderStatus(self.status)]

    @strawberry.field(description='"Rush", "Standard" or "Hold".')
    def priority_label(self) -> str:
        return PRIORITY_LABELS[OrderPriority(self.priority)]

    @strawberry.field(
        description="Days to deliver at this priority: 2 rush, 5 standard, null hold."
    )
    def eta_days(self) -> int | None:
        return ETA_DAYS[OrderPriority(self.priority)]

    @strawberry.field(
        name="total", description="The sum of quantity times unit price over the lines."
    )
    def total_money(self) -> Money:
        return Money(amount=self.total, currency=self.currency)

    @strawberry.field(description="Free-form data (a JSON object).")
    def metadata(self) -> JSON:
        return JSON(self.metadata_)

    customer = to_one(Customer, "customer_id", description="Who the order is for.", required=True)

    line_items = children(
        OrderItem, "order_id", description="The lines, in order.", order=_BY_POSITION
    )

    @strawberry.field(description="The timeline, oldest first.")
    async def events(self, info: Info[Any, Any]) -> list[FulfillmentEvent]:
        loader = request_context(info).loaders.children(
            order_sources.FULFILLMENT_EVENTS, "order_id", _CHRONOLOGICAL
        )
        return [FulfillmentEvent.from_row(row) for row in await loader.load(self.pk)]

    jobs = children(
        Lazy("ManufacturingJob", "schema.jobs.types"),
        "order_id",
        description="The manufacturing jobs routing split it into (one per manufacturer); "
        "null (FORBIDDEN) for viewers who may not see jobs.",
        order=_BY_JOB_NUMBER,
        nullable=True,
    )

    internal_notes = children(
        OrderNote,
        "order_id",
        description="Staff-only notes, oldest first; null (FORBIDDEN) for other viewers. "
        "Messages to the customer are in `events`.",
        order=_BY_CREATION,
        nullable=True,
    )

    payments = children(
        Lazy("CustomerPayment", "schema.checkout.types"),
        "order_id",
        description="What the customer paid for it through Stripe (checkout).",
        order=_BY_CREATION,
        nullable=True,
    )

    checkout_sessions = children(
        Lazy("CheckoutSession", "schema.checkout.types"),
        "order_id",
        description="The attempts at paying it (Stripe Checkout Sessions), first first.",
        order=_BY_ATTEMPT,
        nullable=True,
    )

    @strawberry.field(description='How many jobs have shipped ("2 of 3 ready").')
    async def job_progress(self, info: Info[Any, Any]) -> JobProgress:
        loader = request_context(info).loaders.children(
            job_sources.JOBS, "order_id", _BY_JOB_NUMBER
        )
        progress = job_progress([row.status for row in await loader.load(self.pk)])
        return JobProgress(total=progress.total, shipped=progress.shipped, label=progress.label)

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[OrderStatus]:
        return allowed_transitions(info, ORDER_WORKFLOW, OrderStatus(self.status), self.customer_id)

    outbound_shipments = children(
        Lazy("OutboundShipment", "schema.fulfillment.types"),
        "order_id",
        description="Its packages from the 3PL, oldest first (an order may ship in several); "
        "null (FORBIDDEN) for viewers who may not read outbound shipments.",
        order=_BY_CREATION,
        nullable=True,
    )

    @strawberry.field(
        description="Where its goods are, from its outbound shipments: AWAITING_ITEMS until "
        "every unit is in a package, READY_TO_SHIP, then PARTIALLY_SHIPPED, SHIPPED (every "
        "package has left), DELIVERED."
    )
    async def fulfillment_status(self, info: Info[Any, Any]) -> OrderFulfillment:
        loaders = request_context(info).loaders
        shipments = await loaders.children(
            fulfillment_sources.OUTBOUND_SHIPMENTS, "order_id", _BY_CREATION
        ).load(self.pk)
        live = [row for row in shipments if row.status != OutboundStatus.CANCELED]
        lines = await loaders.children(order_sources.ORDER_ITEMS, "order_id", _BY_POSITION).load(
            self.pk
        )
        items = await loaders.children(
            fulfillment_sources.OUTBOUND_SHIPMENT_ITEMS, "shipment_id", _BY_CREATION
        ).load_many([row.id for row in live])
        packaged = sum(item.quantity for found in items for item in found)
        unpackaged = sum(line.quantity for line in lines) - packaged
        return order_fulfillment(unpackaged, [OutboundStatus(row.status) for row in live])
