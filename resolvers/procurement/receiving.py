"""Receiving a purchase order into lots (BR-41, BR-39): who and when, package condition and
temperature; per line the quantity, supplier lot number and dates make a PENDING lot with its
number; the lines' `quantityReceived` and the PO's status follow. Refused for a supplier
status that may not receive (SPEC §2.4).

Lot numbers come from the shared counters, one per BR-39 prefix: the increment is one atomic
statement that holds the counter's row until commit, so concurrent receptions of one
product, supplier and day get distinct consecutive numbers, and the sequence is numeric
(-100 follows -99).

A submitted PO has its 3PL inbound shipment (source PURCHASE_ORDER): receiving the PO
receives it too, in the same transaction — the lots name it, and PurchaseOrderReceived tells
the 3PL who received what, when, and in which condition (issue 27 item 5)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import InboundShipment, Lot, Product, PurchaseOrder, PurchaseOrderLine, Supplier
from domain.errors import ErrorCode, Problem, UserErrors
from domain.fulfillment import InboundSourceType, InboundStatus, PackageCondition
from domain.procurement import (
    CAN_RECEIVE,
    RECEIVABLE_PO_STATUSES,
    LotStatus,
    PurchaseOrderStatus,
    SupplierStatus,
    lot_number,
    lot_prefix,
    lot_sequence_name,
)
from resolvers import writes
from resolvers.domain_events import publish
from resolvers.events.procurement import PurchaseOrderReceived
from resolvers.ids import decode_input_id
from resolvers.lookup import get_for_update
from resolvers.procurement.workflow import PURCHASE_ORDER_WORKFLOW
from resolvers.sequences import next_value
from resolvers.transitions import apply

P = PurchaseOrderStatus


@dataclass(frozen=True)
class ReceivedLine:
    line_id: str
    quantity: int
    supplier_lot_number: str | None = None
    manufacture_date: date | None = None
    expiration_date: date | None = None


@dataclass(frozen=True)
class Receipt:
    received_at: datetime | None = None
    package_condition: PackageCondition | None = None
    temperature_on_arrival: Decimal | None = None


async def inbound_shipment_of(session: AsyncSession, order: PurchaseOrder) -> uuid.UUID | None:
    """The 3PL shipment the PO's goods arrive on (made when it was submitted), if any: read
    by its source, never through the 3PL's code."""
    found = await session.scalars(
        select(InboundShipment.id).where(
            InboundShipment.source_type == InboundSourceType.PURCHASE_ORDER,
            InboundShipment.source_id == order.id,
            InboundShipment.status != InboundStatus.CANCELLED,
        )
    )
    return found.first()


async def next_lot_number(
    session: AsyncSession, product_code: str, supplier_code: str, received_on: date
) -> str:
    prefix = lot_prefix(product_code, supplier_code, received_on)
    sequence = await next_value(session, lot_sequence_name(prefix), received_on.year)
    return lot_number(prefix, sequence)


def _line_problems(
    index: int, given: ReceivedLine, line: PurchaseOrderLine | None
) -> list[Problem]:
    path = ("input", "lines", str(index))
    problems = []
    if line is None:
        return [Problem(ErrorCode.NOT_FOUND, "No line of this purchase order", (*path, "lineId"))]
    if given.quantity <= 0:
        problems.append(
            Problem(ErrorCode.VALIDATION, "quantity must be greater than zero", (*path, "quantity"))
        )
    elif line.quantity_received + given.quantity > line.quantity_ordered:
        problems.append(
            Problem(
                ErrorCode.VALIDATION,
                f"{line.quantity_received} of {line.quantity_ordered} are in; at most "
                f"{line.quantity_ordered - line.quantity_received} more can be received",
                (*path, "quantity"),
            )
        )
    if (
        given.manufacture_date
        and given.expiration_date
        and given.expiration_date <= given.manufacture_date
    ):
        problems.append(
            Problem(
                ErrorCode.VALIDATION,
                "expirationDate must be after manufactureDate",
                (*path, "expirationDate"),
            )
        )
    if given.supplier_lot_number is not None and len(given.supplier_lot_number) > 100:
        problems.append(
            Problem(
                ErrorCode.VALIDATION,
                "supplierLotNumber must be at most 100 characters",
                (*path, "supplierLotNumber"),
            )
        )
    return problems


async def receive_purchase_order(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    receipt: Receipt,
    given: Sequence[ReceivedLine],
) -> tuple[PurchaseOrder, list[Lot]]:
    order = await get_for_update(session, PurchaseOrder, global_id, "purchase_order_id")
    status = P(order.status)
    if status not in RECEIVABLE_PO_STATUSES:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"A {status.value} purchase order cannot be received (confirmed or shipped only)",
            ("input", "purchaseOrderId"),
        )
    supplier = await session.get(Supplier, order.supplier_id)
    assert supplier is not None
    if SupplierStatus(supplier.status) not in CAN_RECEIVE:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"Supplier {supplier.code} is {supplier.status}; its deliveries are blocked",
            ("input", "purchaseOrderId"),
        )
    if not given:
        raise UserErrors.one(
            ErrorCode.VALIDATION, "Give at least one received line", ("input", "lines")
        )
    if receipt.temperature_on_arrival is not None and not (
        Decimal(-100) <= receipt.temperature_on_arrival <= Decimal(100)
    ):
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            "temperatureOnArrival must be between -100 and 100 (°C)",
            ("input", "temperatureOnArrival"),
        )
    shipment_id = await inbound_shipment_of(session, order)
    if shipment_id is not None and receipt.package_condition is None:
        # BR-41: the 3PL receives the shipment with its package's condition.
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            "packageCondition is required: the goods arrive on the PO's inbound shipment",
            ("input", "packageCondition"),
        )
    lines = {
        line.id: line
        for line in await session.scalars(
            select(PurchaseOrderLine)
            .where(PurchaseOrderLine.purchase_order_id == order.id)
            .with_for_update()
        )
    }
    problems: list[Problem] = []
    found: list[PurchaseOrderLine] = []
    for index, line_given in enumerate(given):
        try:
            pk: uuid.UUID | None = decode_input_id(line_given.line_id, "PurchaseOrderLine", "id")
        except UserErrors:
            pk = None
        line = lines.get(pk) if pk is not None else None
        problems += _line_problems(index, line_given, line)
        if line is not None:
            found.append(line)
    if len({line.id for line in found}) != len(found):
        problems.append(
            Problem(ErrorCode.VALIDATION, "Each line may be given once", ("input", "lines"))
        )
    if problems:
        raise UserErrors(problems)

    received_at = receipt.received_at or datetime.now(UTC)
    made: list[Lot] = []
    for line_given, line in zip(given, found, strict=True):
        product = await session.get(Product, line.product_id)
        assert product is not None and line.variant_id is not None  # checked at submit
        number = await next_lot_number(
            session, product.code or product.sku or "LOT", supplier.code, received_at.date()
        )
        lot = await writes.create(
            session,
            actor,
            Lot(
                lot_number=number,
                product_id=line.product_id,
                variant_id=line.variant_id,
                supplier_id=supplier.id,
                purchase_order_id=order.id,
                po_line_id=line.id,
                inbound_shipment_id=shipment_id,
                supplier_lot_number=line_given.supplier_lot_number,
                manufacture_date=line_given.manufacture_date,
                expiration_date=line_given.expiration_date,
                received_quantity=line_given.quantity,
                received_at=received_at,
                received_by=actor.id,
                package_condition=receipt.package_condition,
                temperature_on_arrival=receipt.temperature_on_arrival,
                status=LotStatus.PENDING,
            ),
        )
        made.append(lot)
        await writes.update(
            session,
            actor,
            line,
            {"quantity_received": line.quantity_received + line_given.quantity},
        )
    await _follow(session, actor, order, list(lines.values()))
    units: dict[uuid.UUID, int] = {}
    for line_given, line in zip(given, found, strict=True):
        units[line.id] = units.get(line.id, 0) + line_given.quantity
    await publish(
        session,
        PurchaseOrderReceived(
            order,
            actor,
            datetime.now(UTC),
            shipment_id=shipment_id,
            received_at=received_at,
            package_condition=receipt.package_condition,
            temperature_on_arrival=receipt.temperature_on_arrival,
            units_by_line=units,
        ),
    )
    return order, made


async def _follow(
    session: AsyncSession, actor: Actor, order: PurchaseOrder, lines: list[PurchaseOrderLine]
) -> None:
    """The PO's status follows Σ received against Σ ordered (SPEC §2.5 Rec)."""
    complete = all(line.quantity_received >= line.quantity_ordered for line in lines)
    target = P.RECEIVED if complete else P.PARTIALLY_RECEIVED
    if P(order.status) is not target:
        await apply(session, actor, PURCHASE_ORDER_WORKFLOW, order, target, reason="goods received")
