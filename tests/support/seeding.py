"""Rows written straight into the database, for tests that need a record in a given state
(a job in QC, an order already approved) without walking it there through the API."""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal
from typing import Any

from db.engine import Database
from db.models import Customer, ManufacturingJob, Order, OrderItem
from domain.jobs import JobStatus
from domain.orders import OrderStatus, Technique
from resolvers.ids import global_id_of

_seq = itertools.count(1)


gid = global_id_of


async def customer(database: Database, **values: Any) -> Customer:
    n = next(_seq)
    row = Customer(**{"name": f"Customer {n}", "email": f"c{n}@example.com", **values})
    async with database.transaction() as session:
        session.add(row)
    return row


async def order(
    database: Database,
    *,
    customer_id: uuid.UUID | None = None,
    status: OrderStatus = OrderStatus.DRAFT,
    items: list[tuple[uuid.UUID, int]] | None = None,
    technique: Technique = Technique.DTG,
    **values: Any,
) -> Order:
    """An order in any status; `items` are (variant id, quantity) lines at 10.00 each."""
    if customer_id is None:
        customer_id = (await customer(database)).id
    n = next(_seq)
    row = Order(
        **{
            "reference": f"ORD-1999-{n:03d}",
            "customer_id": customer_id,
            "status": status,
            **values,
        }
    )
    async with database.transaction() as session:
        session.add(row)
        await session.flush()
        for position, (variant_id, quantity) in enumerate(items or []):
            session.add(
                OrderItem(
                    order_id=row.id,
                    variant_id=variant_id,
                    position=position,
                    quantity=quantity,
                    size="M",
                    technique=technique,
                    unit_price=Decimal("10.00"),
                )
            )
    return row


async def job(
    database: Database,
    *,
    manufacturer_id: uuid.UUID | None,
    status: JobStatus = JobStatus.NEW,
    order_id: uuid.UUID | None = None,
    **values: Any,
) -> ManufacturingJob:
    """A job in any status (for an order of its own unless `order_id` is given)."""
    if order_id is None:
        order_id = (await order(database, status=OrderStatus.APPROVED)).id
    n = next(_seq)
    row = ManufacturingJob(
        **{
            "job_number": f"MFG-1999-{n:03d}A",
            "order_id": order_id,
            "manufacturer_id": manufacturer_id,
            "status": status,
            "quantity": 10,
            **values,
        }
    )
    async with database.transaction() as session:
        session.add(row)
    return row
