"""Stripe's answer and its webhook race: the customer can pay (and the webhook commit) before
createProductionOrder records the session Stripe created."""

from __future__ import annotations

from decimal import Decimal

from auth.actor import SYSTEM, Actor
from auth.permissions import Role
from db.engine import Database
from domain.checkout import CheckoutStatus, to_cents
from domain.enums import ActorType
from domain.orders import OrderStatus
from resolvers.checkout import sessions, webhook
from resolvers.checkout.gateway import StripeSession
from resolvers.ids import decode_id
from resolvers.orders.production import ProductionOrderSpec, SizeSpec, create_production_order
from tests.support.checkout_world import DESIGN_URL, Shop


async def test_a_session_paid_before_its_answer_was_recorded_ends_completed(
    shop: Shop, database: Database
) -> None:
    customer = Actor(
        type=ActorType.USER,
        id="c1",
        role=Role.CUSTOMER,
        customer_id=decode_id(shop.customer_id)[1],
    )
    spec = ProductionOrderSpec(
        garment_id=shop.garment_id, sizes=[SizeSpec("M", 2)], design_url=DESIGN_URL
    )
    async with database.transaction() as session:
        order = await create_production_order(session, customer, spec)
        attempt = await sessions.latest_attempt(session, order.id)
    assert order.total == Decimal("25.00")
    event = {
        "id": "evt_race",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": "cs_race",
                "payment_status": "paid",
                "amount_total": to_cents(order.total),
                "currency": "usd",
                "payment_intent": "pi_race",
                "metadata": {"orderId": str(order.id), "userId": "c1"},
            }
        },
    }
    async with database.transaction() as session:
        assert (await webhook.receive(session, SYSTEM, event)).name == "applied"
    async with database.transaction() as session:
        answer = StripeSession("cs_race", "https://checkout.example/cs_race", 2500)
        row = await sessions.record_answer(session, customer, attempt.id, answer)
        assert CheckoutStatus(row.status) is CheckoutStatus.COMPLETED
        refreshed = await session.get(type(order), order.id)
        assert refreshed is not None
        assert OrderStatus(refreshed.status) is OrderStatus.SUBMITTED
