"""Order references (ORD-YYYY-NNN): one sequence per year, unique under concurrency, and the
SQL a list of orders costs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from db.models import (
    Customer,
    FulfillmentEvent,
    ManufacturingJob,
    Order,
    OrderItem,
    ReferenceSequence,
)
from domain.jobs import JobStatus
from domain.orders import OrderStatus
from resolvers.ids import decode_id
from settings import QueryLimits
from tests.support import order_factories
from tests.support.order_factories import CREATE_ORDER

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions

YEAR = datetime.now(UTC).year


async def test_each_year_has_its_own_sequence(client, database):
    async with database.transaction() as session:
        session.add(ReferenceSequence(name="ORD", year=YEAR - 1, value=41))
        session.add(ReferenceSequence(name="PO", year=YEAR, value=7))
    customer = await order_factories.customer(client)
    first = await order_factories.draft(client, customer["id"], [])
    assert first["reference"] == f"ORD-{YEAR}-001"

    async with database.transaction() as session:
        row = await session.get(ReferenceSequence, ("ORD", YEAR))
        assert row is not None
        row.value = 998
    second = await order_factories.draft(client, customer["id"], [])
    third = await order_factories.draft(client, customer["id"], [])
    assert [second["reference"], third["reference"]] == [f"ORD-{YEAR}-999", f"ORD-{YEAR}-1000"]
    async with database.transaction() as session:
        last_year = await session.get(ReferenceSequence, ("ORD", YEAR - 1))
        assert last_year is not None and last_year.value == 41


async def test_a_failed_create_does_not_use_a_number(client):
    customer = await order_factories.customer(client)
    payload = await client.mutate(
        CREATE_ORDER,
        {"input": {"customerId": customer["id"], "items": [{"variantId": "x", "quantity": 1}]}},
    )
    assert payload["errors"]
    order = await order_factories.draft(client, customer["id"], [])
    assert order["reference"] == f"ORD-{YEAR}-001"


async def test_concurrent_creates_get_distinct_consecutive_references(client, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs concurrent writers: SQLite serialises the whole database")
    customer = await order_factories.customer(client)
    payloads = await asyncio.gather(
        *(client.mutate(CREATE_ORDER, {"input": {"customerId": customer["id"]}}) for _ in range(20))
    )
    assert all(p["errors"] == [] for p in payloads), [p["errors"] for p in payloads]
    numbers = sorted(int(p["order"]["reference"].rsplit("-", 1)[1]) for p in payloads)
    assert numbers == list(range(1, 21))


LIST = """{
  orders(first: 100) {
    totalCount
    edges { node {
      reference status displayStatus total { amount }
      customer { name }
      lineItems { quantity size unitPrice { amount } }
      events { status message }
      jobProgress { total shipped label }
      statusHistory { toStatus }
      allowedTransitions
    } }
  }
}"""


async def _build(database: Any, count: int, variant_pk: Any) -> None:
    """`count` orders, each with a customer, 2 lines, an event and 2 jobs (one shipped)."""
    async with database.transaction() as session:
        for _ in range(count):
            customer = Customer(name="Customer")
            session.add(customer)
            await session.flush()
            order = Order(
                reference=f"ORD-1999-{customer.id.hex[:8]}",
                customer_id=customer.id,
                status=OrderStatus.IN_PRODUCTION,
                total=Decimal("20.00"),
            )
            session.add(order)
            await session.flush()
            for position in range(2):
                session.add(
                    OrderItem(
                        order_id=order.id,
                        variant_id=variant_pk,
                        position=position,
                        quantity=1,
                        size="M",
                        unit_price=Decimal("10.00"),
                    )
                )
            session.add(FulfillmentEvent(order_id=order.id, status="Finishing", message="m"))
            for letter, status in (("A", JobStatus.SHIPPED), ("B", JobStatus.QC)):
                session.add(
                    ManufacturingJob(
                        job_number=f"MFG-{order.reference}{letter}",
                        order_id=order.id,
                        status=status,
                        quantity=1,
                    )
                )


async def _statements(make_client: Any) -> tuple[int, dict[str, Any]]:
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        body = await client.raw(LIST)
    assert "errors" not in body, body.get("errors")
    return body["extensions"]["debug"]["sqlStatements"], body["data"]


async def test_listing_10_or_50_orders_with_their_relations_runs_the_same_statements(
    client, make_client, database
):
    variant_pk = decode_id((await order_factories.variant(client))["id"])[1]
    await _build(database, 10, variant_pk)
    with_10, data = await _statements(make_client)
    assert data["orders"]["totalCount"] == 10
    node = data["orders"]["edges"][0]["node"]
    assert node["jobProgress"] == {"total": 2, "shipped": 1, "label": "1 of 2 ready"}
    assert len(node["lineItems"]) == 2 and node["customer"]["name"].startswith("Customer")

    await _build(database, 40, variant_pk)
    with_50, data = await _statements(make_client)
    assert len(data["orders"]["edges"]) == 50
    assert with_10 == with_50
    # The page, its count, customers, lines, events, jobs, status history.
    assert with_50 <= 7
