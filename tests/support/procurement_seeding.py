"""Procurement rows written straight into the database, for tests that need a supplier, a
purchase order or a payment in a given state without walking it there through the API."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from db.engine import Database
from db.models import (
    Lot,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderPayment,
    Supplier,
    SupplierPriceList,
    Variant,
)
from domain.procurement import (
    LotStatus,
    PaymentStatus,
    PoPaymentMethod,
    PoPaymentStatus,
    PurchaseOrderStatus,
    SupplierStatus,
)

_seq = itertools.count(1)


def _code() -> str:
    n = next(_seq)
    return "Z" + chr(65 + (n // 676) % 26) + chr(65 + (n // 26) % 26) + chr(65 + n % 26)


async def supplier(
    database: Database, status: SupplierStatus = SupplierStatus.ACTIVE, **values: Any
) -> Supplier:
    async with database.transaction() as session:
        row = Supplier(name=f"Seeded {next(_seq)}", code=_code(), status=status, **values)
        session.add(row)
    return row


async def product(database: Database) -> Product:
    """A product with one variant (`variant_of`)."""
    async with database.transaction() as session:
        n = next(_seq)
        row = Product(name=f"Seeded product {n}", code=f"SP{n}", sku=f"SEED-{n}")
        session.add(row)
        await session.flush()
        session.add(Variant(product_id=row.id, sku=f"SEED-{n}-V", title=f"Seeded {n}"))
    return row


async def variant_of(database: Database, product_id: uuid.UUID) -> Variant:
    async with database.transaction() as session:
        found = await session.scalar(select(Variant).where(Variant.product_id == product_id))
    assert found is not None
    return found


async def price_list(
    database: Database, supplier_id: uuid.UUID, product_id: uuid.UUID, **values: Any
) -> SupplierPriceList:
    async with database.transaction() as session:
        row = SupplierPriceList(
            supplier_id=supplier_id,
            product_id=product_id,
            unit_cost=values.pop("unit_cost", Decimal("5.00")),
            effective_date=values.pop("effective_date", datetime(2026, 1, 1, tzinfo=UTC)),
            **values,
        )
        session.add(row)
    return row


async def purchase_order(
    database: Database,
    supplier_id: uuid.UUID,
    product_id: uuid.UUID,
    status: PurchaseOrderStatus = PurchaseOrderStatus.DRAFT,
    *,
    ordered: int = 10,
    received: int = 0,
    lines: int = 1,
    unit_cost: Decimal = Decimal("10.00"),
    **values: Any,
) -> PurchaseOrder:
    """A PO in `status` with `lines` lines of `ordered` units, `received` of each in; past
    draft it has a PO number."""
    n = next(_seq)
    variant = await variant_of(database, product_id)
    async with database.transaction() as session:
        order = PurchaseOrder(
            supplier_id=supplier_id,
            status=status,
            po_number=None if status is PurchaseOrderStatus.DRAFT else f"PO-1999-{n:04d}",
            subtotal=unit_cost * ordered * lines,
            total=unit_cost * ordered * lines,
            **values,
        )
        session.add(order)
        await session.flush()
        for position in range(lines):
            session.add(
                PurchaseOrderLine(
                    purchase_order_id=order.id,
                    position=position,
                    product_id=product_id,
                    variant_id=variant.id,
                    quantity_ordered=ordered,
                    quantity_received=received,
                    unit_cost=unit_cost,
                )
            )
    return order


async def payment(
    database: Database,
    purchase_order_id: uuid.UUID,
    status: PoPaymentStatus = PoPaymentStatus.PENDING,
    amount: Decimal = Decimal("100.00"),
) -> PurchaseOrderPayment:
    async with database.transaction() as session:
        row = PurchaseOrderPayment(
            purchase_order_id=purchase_order_id,
            idempotency_key=f"seed-{next(_seq)}",
            amount_usd=amount,
            payment_method=PoPaymentMethod.WIRE,
            paid_at=datetime.now(UTC),
            status=status,
        )
        session.add(row)
    return row


PAID = PaymentStatus.PAID


async def lot(
    database: Database,
    order: PurchaseOrder,
    status: LotStatus = LotStatus.PENDING,
    *,
    quantity: int = 5,
    **values: Any,
) -> Lot:
    """A lot of the order's first line, numbered SEED-…, in `status`."""
    async with database.transaction() as session:
        line = await session.scalar(
            select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == order.id)
        )
        assert line is not None and line.variant_id is not None
        row = Lot(
            lot_number=f"SEED-{next(_seq)}",
            product_id=line.product_id,
            variant_id=line.variant_id,
            supplier_id=order.supplier_id,
            purchase_order_id=order.id,
            po_line_id=line.id,
            received_quantity=quantity,
            received_at=datetime.now(UTC),
            status=status,
            **values,
        )
        session.add(row)
    return row
