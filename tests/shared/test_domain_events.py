"""The in-transaction domain events (resolvers.domain_events): handlers registered in another
module run when an event is published, in a defined order, on the publisher's session, so a
failing handler rolls the publisher's change back; and the real reactions between domains
are registered where the reacting domain lives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import resolvers.catalog.handlers
import resolvers.finance.handlers
import resolvers.fulfillment.handlers
import resolvers.jobs.handlers
import resolvers.orders.handlers
import resolvers.routing.handlers
from db.engine import Database
from db.models import Customer, ManufacturingJob, Order
from domain.errors import ErrorCode, UserErrors
from domain.orders import OrderStatus
from resolvers.domain_events import EVENTS, DomainEvent, EventBus
from resolvers.events.jobs import (
    JobAssigned,
    JobDeclined,
    JobReassigned,
    JobShipped,
    JobStartedProduction,
)
from resolvers.events.manufacturers import ManufacturerAccountRecalculated
from resolvers.events.orders import OrderApproved, OrderCanceled, OrderHoldReleased
from resolvers.ids import decode_id
from tests.support import order_factories
from tests.support.domain_event_handlers import CustomerWelcomed


@dataclass(frozen=True)
class Happened(DomainEvent):
    name: str


async def _customers(database: Database) -> list[str]:
    async with database.transaction() as session:
        return list((await session.scalars(select(Customer.name).order_by(Customer.name))).all())


# -- order -------------------------------------------------------------------------------------


async def test_handlers_run_by_order_then_registration() -> None:
    bus = EventBus(collected=True)
    ran: list[str] = []

    def handler(label: str) -> Any:
        async def run(session: AsyncSession, event: Happened) -> None:
            ran.append(f"{label}:{event.name}")

        return run

    bus.subscribe(Happened, order=10)(handler("late"))
    bus.subscribe(Happened)(handler("first"))
    bus.subscribe(Happened)(handler("second"))
    bus.subscribe(Happened, order=-1)(handler("early"))
    await bus.publish(None, Happened("x"))  # type: ignore[arg-type]
    assert ran == ["early:x", "first:x", "second:x", "late:x"]


async def test_a_handler_runs_only_for_its_event_type() -> None:
    bus = EventBus(collected=True)
    ran: list[DomainEvent] = []

    async def record(session: AsyncSession, event: DomainEvent) -> None:
        ran.append(event)

    bus.subscribe(Happened)(record)
    await bus.publish(None, CustomerWelcomed(Customer(name="x")))  # type: ignore[arg-type]
    assert ran == []


async def test_publishing_before_the_handlers_are_collected_is_refused() -> None:
    bus = EventBus()
    with pytest.raises(RuntimeError, match="before the handlers were collected"):
        await bus.publish(None, Happened("too early"))  # type: ignore[arg-type]


# -- the publisher's transaction ---------------------------------------------------------------


async def test_a_handler_in_another_module_writes_in_the_publishers_transaction(
    database: Database,
) -> None:
    async with database.transaction() as session:
        customer = Customer(name="Ada")
        session.add(customer)
        await EVENTS.publish(session, CustomerWelcomed(customer))
    assert await _customers(database) == ["Ada", "Welcome for Ada"]


async def test_a_failing_handler_rolls_back_the_publishers_change(database: Database) -> None:
    async def refuse(session: AsyncSession, event: CustomerWelcomed) -> None:
        raise UserErrors.one(ErrorCode.VALIDATION, "no welcome today")

    EVENTS.subscribe(CustomerWelcomed)(refuse)
    try:
        with pytest.raises(UserErrors):
            async with database.transaction() as session:
                customer = Customer(name="Grace")
                session.add(customer)
                await session.flush()
                await EVENTS.publish(session, CustomerWelcomed(customer))
    finally:
        EVENTS.unsubscribe(CustomerWelcomed, refuse)
    # Neither the publisher's row nor the first handler's (it ran before the failing one).
    assert await _customers(database) == []


async def test_a_failing_reaction_rolls_back_the_transition_that_published_it(
    client: Any, database: Database
) -> None:
    """approveOrder publishes OrderApproved; when a reaction to it fails, the order stays
    SUBMITTED and routing's jobs are gone with it."""
    order = await order_factories.submitted_to_one_maker(client)

    async def refuse(session: AsyncSession, event: OrderApproved) -> None:
        jobs = await session.scalar(
            select(func.count()).where(ManufacturingJob.order_id == event.order.id)
        )
        assert jobs == 1  # routing ran first, in this transaction
        raise UserErrors.one(ErrorCode.VALIDATION, "approval refused downstream")

    EVENTS.subscribe(OrderApproved, order=1)(refuse)
    try:
        payload = await client.mutate(order_factories.APPROVE, {"input": {"id": order["id"]}})
    finally:
        EVENTS.unsubscribe(OrderApproved, refuse)
    assert [e["message"] for e in payload["errors"]] == ["approval refused downstream"]
    pk = decode_id(order["id"])[1]
    async with database.transaction() as session:
        stored = await session.get_one(Order, pk)
        assert stored.status is OrderStatus.SUBMITTED and stored.routed_at is None
        jobs = await session.scalar(select(func.count()).where(ManufacturingJob.order_id == pk))
        assert jobs == 0


# -- the reactions between domains -------------------------------------------------------------


def test_each_reaction_is_registered_by_the_domain_that_reacts() -> None:
    assert EVENTS.handlers(JobStartedProduction) == [resolvers.orders.handlers.start_production]
    # Finance invoices the job, the 3PL expects the goods, the order shows the shipment on its
    # timeline (in the order resolvers.subscribers imports them).
    assert EVENTS.handlers(JobShipped) == [
        resolvers.finance.handlers.invoice_shipped_job,
        resolvers.fulfillment.handlers.expect_shipped_goods,
        resolvers.orders.handlers.show_shipped_job,
    ]
    assert EVENTS.handlers(JobDeclined) == [resolvers.routing.handlers.reroute_declined_job]
    assert EVENTS.handlers(OrderApproved) == [resolvers.routing.handlers.route_approved_order]
    assert EVENTS.handlers(OrderHoldReleased) == [resolvers.routing.handlers.route_released_order]
    assert EVENTS.handlers(OrderCanceled) == [resolvers.jobs.handlers.withdraw_open_jobs]
    assert EVENTS.handlers(JobAssigned) == [resolvers.jobs.handlers.take_assignment]
    assert EVENTS.handlers(JobReassigned) == [resolvers.jobs.handlers.withdraw_acceptance]
    assert EVENTS.handlers(ManufacturerAccountRecalculated) == [
        resolvers.catalog.handlers.record_account
    ]
