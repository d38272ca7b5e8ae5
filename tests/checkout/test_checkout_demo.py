"""The demo shows checkout working on a fresh start: a paid production order, queued, and
one waiting at its checkout URL (made through checkout's own services)."""

from __future__ import annotations

from sqlalchemy import select

from db.engine import Database
from db.models import CheckoutSession, CustomerPayment, FulfillmentEvent, Order
from demo.seed import load_demo_data
from domain.checkout import CheckoutStatus, PaymentStatus
from domain.orders import OrderStatus
from settings import FilesSettings


async def test_the_demo_has_a_paid_and_an_unpaid_production_order(
    database: Database, files_settings: FilesSettings
) -> None:
    await load_demo_data(database, files=files_settings)
    async with database.transaction() as session:
        orders = list(
            await session.scalars(
                select(Order).where(Order.garment_id.is_not(None)).order_by(Order.reference)
            )
        )
        assert [OrderStatus(o.status) for o in orders] == [
            OrderStatus.SUBMITTED,
            OrderStatus.DRAFT,
        ]
        paid, waiting = orders
        (payment,) = await session.scalars(
            select(CustomerPayment).where(CustomerPayment.order_id == paid.id)
        )
        assert PaymentStatus(payment.status) is PaymentStatus.PAID
        assert payment.amount == paid.total
        queued = await session.scalars(
            select(FulfillmentEvent.message).where(
                FulfillmentEvent.order_id == paid.id, FulfillmentEvent.status == "Queued"
            )
        )
        assert list(queued) == ["Payment confirmed, order queued for production"]
        (open_session,) = await session.scalars(
            select(CheckoutSession).where(CheckoutSession.order_id == waiting.id)
        )
        assert CheckoutStatus(open_session.status) is CheckoutStatus.OPEN
        assert open_session.url
