"""The demo's procurement side (SPEC §8 "Suppliers"), played through procurement's own
services as a buyer would: the three suppliers, the two peptide products with their price
lists, PO-2026-0042 to PurePeptides submitted, confirmed and paid 0.04217391 BTC at 90100.00
(confirmed) and received through its 3PL inbound shipment in lots BPC157-PP260315-01 (passed
its QC inspection — purity by HPLC, identity by MS, endotoxin —, in stock, with its verified
98.7% COA from Analytical Testing Services Inc.) and -02 (QC started, in quarantine), an
overdue order to Cayman still on its way, and a draft to Biosynth.

Skipped when supplier PP exists (the demo is loaded once)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from auth.permissions import Role
from db.models import (
    Lot,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    ReferenceSequence,
    Supplier,
    Variant,
)
from demo import coas as coa_demo
from domain.catalog import ProductForm
from domain.enums import ActorType
from domain.fulfillment import PackageCondition, QcResult
from domain.lot_qc import QcItem
from domain.procurement import (
    PO_SEQUENCE,
    CryptoNetwork,
    CryptoRateSource,
    PoPaymentMethod,
    PoPaymentStatus,
    PurchaseOrderStatus,
)
from resolvers import writes
from resolvers.catalog import rules as catalog
from resolvers.fulfillment import inspections, lot_inspections
from resolvers.ids import global_id_of
from resolvers.procurement import (
    payments,
    price_lists,
    purchase_orders,
    receiving,
    suppliers,
)

SUPPLIERS: tuple[dict[str, Any], ...] = (
    {
        "code": "PP",
        "name": "PurePeptides Inc.",
        "contact_name": "Dana Whitfield",
        "contact_email": "orders@purepeptides.example",
        "city": "San Diego",
        "state": "CA",
        "payment_terms": "Prepaid",
        "default_lead_time_days": 10,
        "tax_id": "33-1234567",
    },
    {
        "code": "BS",
        "name": "Biosynth AG",
        "contact_email": "sales@biosynth.example",
        "city": "Staad",
        "country": "CH",
        "payment_terms": "Net 30",
        "default_lead_time_days": 21,
    },
    {
        "code": "CC",
        "name": "Cayman Chemical",
        "contact_email": "orders@caymanchem.example",
        "city": "Ann Arbor",
        "state": "MI",
        "payment_terms": "Net 30",
    },
)
# Products BPC-157 `BPC157`, TB-500 `TB500` (SPEC §8), one 5 mg vial variant each.
PRODUCTS: tuple[tuple[str, str, str], ...] = (
    ("BPC157", "BPC-157", "BPC157-5MG"),
    ("TB500", "TB-500", "TB500-5MG"),
)
# Label data (seed 002 §10.1); both CAS numbers pass the check-digit validation. Peptides
# carry no GHS pictograms.
_PEPTIDE = {
    "form": ProductForm.LYOPHILIZED_POWDER,
    "storage_conditions": "-20 °C, desiccated, protect from light",
    "ghs_pictograms": [],
}
LABEL_DATA: dict[str, dict[str, Any]] = {
    "BPC157": {"cas_number": "137525-51-0", **_PEPTIDE},
    "TB500": {"cas_number": "885340-08-9", **_PEPTIDE},
}
# (supplier, product, unit cost, supplier SKU, minimum order quantity)
PRICES: tuple[tuple[str, str, str, str, int], ...] = (
    ("PP", "BPC157", "38.00", "PP-BPC-5", 10),
    ("PP", "TB500", "44.00", "PP-TB-5", 10),
    ("BS", "TB500", "41.50", "BS-TB500-5MG", 25),
    ("CC", "BPC157", "52.00", "CC-10050", 1),
)


# Payments are finance's to record and confirm (issue 27 item 11).
DEMO_FINANCE = Actor(type=ActorType.USER, id="demo-finance", role=Role.FINANCE)


async def load(session: AsyncSession, actor: Actor) -> int:
    """The demo's procurement records, unless they are there; how many POs were added."""
    if await session.scalar(select(Supplier.id).where(Supplier.code == "PP")) is not None:
        return 0
    made = {s["code"]: await suppliers.create_supplier(session, actor, dict(s)) for s in SUPPLIERS}
    products = {
        code: await _product(session, actor, code, name, sku) for code, name, sku in PRODUCTS
    }
    a_year_ago = datetime.now(UTC) - timedelta(days=365)
    for supplier, product, cost, sku, moq in PRICES:
        await price_lists.create_price_list(
            session,
            actor,
            {
                "supplier_id": global_id_of(made[supplier]),
                "product_id": global_id_of(products[product][0]),
                "unit_cost": Decimal(cost),
                "supplier_sku": sku,
                "unit_quantity": "5mg",
                "minimum_order_quantity": moq,
                "effective_date": a_year_ago,
            },
        )
    await _po_0042(session, actor, made["PP"], products["BPC157"])
    await _overdue(session, actor, made["CC"], products["BPC157"])
    await purchase_orders.create_purchase_order(
        session,
        actor,
        global_id_of(made["BS"]),
        {"notes": "Quarterly TB-500 restock; waiting for Biosynth's quote."},
        [_line(products["TB500"], 50)],
    )
    return 3


async def _product(
    session: AsyncSession, actor: Actor, code: str, name: str, sku: str
) -> tuple[Product, Variant]:
    product = await session.scalar(select(Product).where(Product.code == code))
    if product is None:
        product = await catalog.create_product(
            session, actor, {"name": name, "code": code, "sku": code}
        )
    if product.cas_number is None:
        # Its vial label's data (seed 002 §10.1), through the catalog's own validation.
        product = await catalog.update_product(
            session, actor, global_id_of(product), dict(LABEL_DATA[code]), None
        )
    variant = await session.scalar(select(Variant).where(Variant.sku == sku))
    if variant is None:
        variant = await writes.create(
            session,
            actor,
            Variant(product_id=product.id, sku=sku, title=f"{name} 5 mg vial", size="5mg"),
        )
    return product, variant


def _line(product: tuple[Product, Variant], quantity: int) -> purchase_orders.LineSpec:
    return purchase_orders.LineSpec(
        product_id=global_id_of(product[0]),
        variant_id=global_id_of(product[1]),
        quantity=quantity,
    )


async def _po_0042(
    session: AsyncSession, actor: Actor, supplier: Supplier, product: tuple[Product, Variant]
) -> None:
    """SPEC §8: PO-2026-0042, $3,800 = 0.04217391 BTC @ 90100.00 (kraken), 3 confirmations,
    fee 0.00001200 BTC = $1.08. 100 vials at PurePeptides' $38.00."""
    year = datetime.now(UTC).year
    # The 41 orders this year before the demo's (the shared per-year counter, BR-38).
    counter = await session.get(ReferenceSequence, (PO_SEQUENCE, year))
    if counter is None:
        session.add(ReferenceSequence(name=PO_SEQUENCE, year=year, value=41))
        await session.flush()
    order = await purchase_orders.create_purchase_order(
        session,
        actor,
        global_id_of(supplier),
        {
            "expected_at": datetime.now(UTC) + timedelta(days=4),
            "supplier_reference": "PP-SO-88213",
        },
        [_line(product, 100)],
    )
    order_id = global_id_of(order)
    for status in (PurchaseOrderStatus.SUBMITTED, PurchaseOrderStatus.CONFIRMED):
        await purchase_orders.change_status(session, actor, order_id, status, None, None)
    paid_at = datetime.now(UTC) - timedelta(days=2)
    payment = await payments.record_payment(
        session,
        DEMO_FINANCE,
        order_id,
        {
            "idempotency_key": "demo-po-0042-btc",
            "amount_usd": Decimal("3800.00"),
            "payment_method": PoPaymentMethod.CRYPTO,
            "paid_at": paid_at,
            "notes": "Prepaid in BTC per PurePeptides' terms.",
        },
        payments.CryptoDetails(
            currency="BTC",
            amount="0.04217391",
            rate_usd="90100.00",
            rate_source=CryptoRateSource.KRAKEN,
            network=CryptoNetwork.BITCOIN,
            rate_timestamp=paid_at - timedelta(minutes=1),
            tx_hash="9c1d4b7e2f0a6c3d8e5b1a7f4c2d9e0b6a3f8c1d5e7b2a4c6d8e0f1a3b5c7d9e",
            from_address="bc1q9h7garjz0xv4zq5e3k5n2h8ylrz8w6x3v4x0ml",
            to_address="bc1qpurepeptides0treasury7x9k2m4n6p8q0r2s4t",
            confirmations=3,
            fee="0.00001200",
            fee_usd=Decimal("1.08"),
        ),
        None,
    )
    await payments.change_status(
        session, DEMO_FINANCE, global_id_of(payment), PoPaymentStatus.CONFIRMED, None, None
    )
    await _receive_0042(session, actor, order)


async def _receive_0042(session: AsyncSession, actor: Actor, order: PurchaseOrder) -> None:
    """SPEC §8: the shipment received on 2026-03-15 in two deliveries, lots
    BPC157-PP260315-01 and -02; -01 passed QC (stocked at the default center), -02 is still
    in quarantine."""
    line = await session.scalar(
        select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == order.id)
    )
    assert line is not None
    arrived = datetime(2026, 3, 15, 15, 0, tzinfo=UTC)
    made = []
    for quantity, supplier_lot in ((60, "PP-BPC-2602-A"), (40, "PP-BPC-2602-B")):
        _, lots_made = await receiving.receive_purchase_order(
            session,
            actor,
            global_id_of(order),
            receiving.Receipt(
                received_at=arrived,
                package_condition=PackageCondition.GOOD,
                temperature_on_arrival=Decimal("4.0"),
            ),
            [
                receiving.ReceivedLine(
                    line_id=global_id_of(line),
                    quantity=quantity,
                    supplier_lot_number=supplier_lot,
                    manufacture_date=date(2026, 2, 20),
                    expiration_date=date(2028, 2, 20),
                )
            ],
        )
        made += lots_made
    passed, waiting = made
    await _lot_qc(session, actor, passed, waiting)
    # The lab's certificate for -01, uploaded and verified (demo/coas.py).
    await coa_demo.load(session, actor, global_id_of(passed))


# -- lot QC (issue 27 item 7): the 3PL's inspections of the lots, with their tests ----------

PASSED_TESTS = (
    QcItem("Purity", "HPLC", ">= 98.0", "99.2", "%", passes=True),
    QcItem("Identity", "MS", "1419.5 ± 1.0", "1419.6", "Da", passes=True),
    QcItem("Endotoxin", "LAL", "< 5", "< 1", "EU/mg", passes=True),
)


async def _lot_qc(session: AsyncSession, actor: Actor, passed: Lot, waiting: Lot) -> None:
    """-01 passed its inspection (ACTIVE: stocked at the default center); -02's has started,
    so it waits in quarantine."""
    done = await lot_inspections.create_lot_inspection(
        session, actor, global_id_of(passed), PASSED_TESTS, "Demo: CoA figures confirmed"
    )
    await inspections.start_inspection(session, actor, global_id_of(done))
    await inspections.complete_inspection(
        session,
        actor,
        global_id_of(done),
        inspections.Completion(result=QcResult.PASS, notes="Demo: within specification"),
    )
    started = await lot_inspections.create_lot_inspection(
        session, actor, global_id_of(waiting), PASSED_TESTS[:1]
    )
    await inspections.start_inspection(session, actor, global_id_of(started))


async def _overdue(
    session: AsyncSession, actor: Actor, supplier: Supplier, product: tuple[Product, Variant]
) -> None:
    """An order to Cayman that should have arrived last week: the overdue flag's example."""
    order = await purchase_orders.create_purchase_order(
        session,
        actor,
        global_id_of(supplier),
        {
            "expected_at": datetime.now(UTC) - timedelta(days=6),
            "shipping_cost": Decimal("45.00"),
        },
        [_line(product, 20)],
    )
    order_id = global_id_of(order)
    for status in (PurchaseOrderStatus.SUBMITTED, PurchaseOrderStatus.CONFIRMED):
        await purchase_orders.change_status(session, actor, order_id, status, None, None)
    await purchase_orders.change_status(
        session, actor, order_id, PurchaseOrderStatus.SHIPPED, None, None
    )
