"""The ops queue's notes and messages on an order (seed 001 "Ops Dashboard: add notes and
messages"): an internal note is for staff only; a message to the customer joins the order's
timeline, and so its live stream (`orderChanged`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import FulfillmentEvent, Order, OrderNote
from domain.validation import Checks
from resolvers import writes
from resolvers.lookup import get_for_update
from resolvers.orders.timeline import add_event

MAX_BODY = 5_000


async def add_note(
    session: AsyncSession, actor: Actor, order_global_id: str, body: str, *, to_customer: bool
) -> OrderNote | FulfillmentEvent:
    checks = Checks()
    checks.text("body", body, max_length=MAX_BODY, required=True)
    checks.raise_if_any()
    order = await get_for_update(session, Order, order_global_id, "order_id")
    text = body.strip()
    role = actor.role.value if actor.role else None
    if to_customer:
        event = add_event(
            session,
            order,
            text,
            occurred_at=datetime.now(UTC),
            metadata={"kind": "message", "author_role": role},
        )
        # A message is a change of the order (its version and updated_at move, audited).
        await writes.update(session, actor, order, {"updated_at": datetime.now(UTC)})
        await session.flush()
        return event
    note = OrderNote(order_id=order.id, body=text, author_id=actor.id, author_role=role)
    return await writes.create(session, actor, note)
