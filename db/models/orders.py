"""Customers, orders, their line items and fulfillment timeline (SPEC §1.3)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Entity, JSONValue, utcnow
from db.columns import amount_column, enum_column
from domain.bounds import LARGE_AMOUNT
from domain.orders import OrderPriority, OrderStatus, Technique


class Customer(Entity):
    """Who an order is for; a `customer` token is bound to one of these."""

    __tablename__ = "customers"

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(255))
    company: Mapped[str | None] = mapped_column(String(200))


class Order(Entity):
    __tablename__ = "orders"

    # ORD-YYYY-NNN, from the per-year sequence (resolvers.sequences).
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[OrderStatus] = mapped_column(
        enum_column(OrderStatus), default=OrderStatus.DRAFT, server_default="draft", index=True
    )
    priority: Mapped[OrderPriority] = mapped_column(
        enum_column(OrderPriority), default=OrderPriority.STANDARD, server_default="standard"
    )
    notes: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JSONValue, default=dict, key="metadata_"
    )
    total: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT), default=Decimal("0.00"))
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    # Stage timestamps, set by the order state machine.
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    production_started_at: Mapped[datetime | None] = mapped_column(default=None)
    fulfilled_at: Mapped[datetime | None] = mapped_column(default=None)
    canceled_at: Mapped[datetime | None] = mapped_column(default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # When routing split the order into jobs (routing is idempotent per order).
    routed_at: Mapped[datetime | None] = mapped_column(default=None)
    # A production order ([001] createProductionOrder): the design printed, the garment
    # blank (a catalog product; its variants are the sizes) and the prompt behind the design.
    design_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("designs.id", ondelete="SET NULL"), index=True
    )
    garment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    image_url: Mapped[str | None] = mapped_column(String(2000))
    prompt: Mapped[str | None] = mapped_column(Text)
    # The garment's title as ordered (customers see it; the catalog is staff-only).
    garment_title: Mapped[str | None] = mapped_column(String(200))


class OrderItem(Entity):
    """A line: one variant in one size and technique (the union of [001] and [003], SPEC §1.3)."""

    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("variants.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    size: Mapped[str] = mapped_column(String(20))
    technique: Mapped[Technique] = mapped_column(
        enum_column(Technique), default=Technique.DTG, server_default="dtg"
    )
    unit_price: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    metadata_: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JSONValue, default=dict, key="metadata_"
    )


class FulfillmentEvent(Base):
    """The customer-facing timeline of an order; insert-only (enforced in the database)."""

    __tablename__ = "fulfillment_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    # The display label ([001]: "Queued", "Printing", ...), and the raw state behind it.
    status: Mapped[str] = mapped_column(String(50))
    order_status: Mapped[OrderStatus | None] = mapped_column(enum_column(OrderStatus))
    message: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JSONValue, default=dict, key="metadata_"
    )
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class OrderNote(Entity):
    """An internal note on an order, for staff only (the ops queue, seed 001 "Add notes and
    messages"); messages for the customer go on the timeline instead."""

    __tablename__ = "order_notes"

    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(String(255))
    author_role: Mapped[str | None] = mapped_column(String(32))
