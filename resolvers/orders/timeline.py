"""An order's fulfillment timeline (SPEC §2.2): the message each status shows, the insert-only
events, and how far its jobs have shipped. Read by the order workflow and the orders module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FulfillmentEvent, Order
from domain.jobs import JobStatus
from domain.orders import DISPLAY_LABELS, OrderStatus

MESSAGES: dict[OrderStatus, str] = {
    OrderStatus.DRAFT: "Order created; specs under review",
    OrderStatus.SUBMITTED: "Order submitted, queued for production",
    OrderStatus.APPROVED: "Order approved; routing to manufacturers",
    OrderStatus.IN_PRODUCTION: "Production started",
    OrderStatus.FULFILLED: "Order fulfilled: every job has shipped",
    OrderStatus.CANCELED: "Order canceled",
}


def add_event(
    session: AsyncSession,
    order: Order,
    message: str,
    *,
    status: OrderStatus | None = None,
    occurred_at: datetime | None = None,
    metadata: dict[str, Any] | None = None,
) -> FulfillmentEvent:
    """Append to an order's timeline (insert-only): the display label of `status` (default:
    the order's current status) and the raw status behind it."""
    raw = OrderStatus(status or order.status)
    event = FulfillmentEvent(
        order_id=order.id,
        status=DISPLAY_LABELS[raw],
        order_status=raw,
        message=message,
        metadata_=metadata or {},
        occurred_at=occurred_at or datetime.now(UTC),
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class Progress:
    """How many of an order's jobs have shipped; declined jobs are not counted."""

    total: int
    shipped: int

    @property
    def label(self) -> str:
        return f"{self.shipped} of {self.total} ready"


def job_progress(statuses: Sequence[JobStatus | str]) -> Progress:
    counted = [JobStatus(s) for s in statuses if JobStatus(s) is not JobStatus.DECLINED]
    return Progress(total=len(counted), shipped=sum(1 for s in counted if s is JobStatus.SHIPPED))
