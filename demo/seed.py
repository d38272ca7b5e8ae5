"""Loads the demo data. Idempotent: rows are matched on their natural keys (family code,
manufacturer name, category name within its family, SKUs, customer name, the demo key in an
order's metadata) and only missing ones are added.

Demo orders are played through the domain functions as users would: ops create, submit and
approve them (approval routes them into jobs), manufacturers accept, start, photograph, ship
or decline their jobs, through the one transition engine. The only value set directly is a
job's due date, moved closer (or into the past) as if the order had been placed weeks ago,
so that the dashboard has urgent and overdue jobs to show.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import resolvers.subscribers  # noqa: F401  (approval routes: the handlers must be registered)
from auth.actor import SYSTEM, Actor
from auth.permissions import Role
from db.base import Entity
from db.engine import Database
from db.models import (
    Category,
    Customer,
    Manufacturer,
    ManufacturingJob,
    Order,
    Product,
    ProductFamily,
    ProductFamilyManufacturer,
    Variant,
)
from demo import data as demo_data
from demo import fulfillment as demo_fulfillment
from demo import inbound as inbound_demo
from demo import photos
from demo import procurement as procurement_demo
from demo.finance import load_demo_finance
from domain.catalog import COUNTRY_TIMEZONES
from domain.checkout import to_cents
from domain.clock import today
from domain.enums import ActorType
from domain.jobs import (
    JobStatus,
    PhotoStage,
    ShippingCarrier,
)
from domain.orders import OrderStatus
from observability.progress import progress
from resolvers import writes
from resolvers.checkout import sessions as checkout_sessions
from resolvers.checkout import webhook
from resolvers.checkout.gateway import StripeSession
from resolvers.designs import rules as designs
from resolvers.ids import global_id_of
from resolvers.jobs import rules as jobs
from resolvers.jobs.due_notices import send_due_notices
from resolvers.orders import rules as orders
from resolvers.orders.production import ProductionOrderSpec, SizeSpec, create_production_order
from settings import FilesSettings

E = TypeVar("E", bound=Entity)


class _Loader:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.created = 0

    async def ensure(self, model: type[E], match: dict[str, Any], values: dict[str, Any]) -> E:
        found = await self.session.scalar(select(model).filter_by(**match))
        if found is not None:
            return found
        self.created += 1
        return await writes.create(self.session, SYSTEM, model(**match, **values))


async def load_demo_data(
    database: Database, *, only_if_empty: bool = False, files: FilesSettings | None = None
) -> str:
    """`files`: where the demo photos are stored (default: the default settings' folder)."""
    with photos.storing_in(files or FilesSettings()):
        return await _load(database, only_if_empty)


async def _load(database: Database, only_if_empty: bool) -> str:
    async with database.transaction() as session:
        if only_if_empty and await session.scalar(select(func.count()).select_from(ProductFamily)):
            return "demo data: database not empty, left as it is"
        loader = _Loader(session)
        manufacturers = {}
        for m in demo_data.MANUFACTURERS:
            manufacturers[m.name] = await loader.ensure(
                Manufacturer,
                {"name": m.name},
                {
                    "email": m.email,
                    "country": m.country,
                    "region": m.region,
                    "city": m.city,
                    "timezone": COUNTRY_TIMEZONES[m.country],
                    "capabilities": sorted(m.capabilities),
                    "certifications": sorted(m.certifications),
                    "payment_terms": m.payment_terms,
                    "avg_lead_time_days": m.avg_lead_time_days,
                    # Shipped demo jobs are invoiced (BR-26).
                    "auto_invoice_enabled": True,
                    "max_concurrent_jobs": m.max_concurrent_jobs,
                    "onboarding_status": demo_data.ONBOARDING_STATUS,
                    # Encrypted by the column type with the configured keys.
                    **(dataclasses.asdict(m.bank) if m.bank else {}),
                },
            )
        for sort_order, f in enumerate(demo_data.FAMILIES, start=1):
            ranked = [manufacturers[name] for name in f.manufacturers]
            family = await loader.ensure(
                ProductFamily,
                {"code": f.code},
                {
                    "name": f.name,
                    "description": f"Sourced from {f.region}.",
                    "target_cost_min": f.cost_min,
                    "target_cost_max": f.cost_max,
                    "lead_time_days": f.lead_time_days,
                    "sort_order": sort_order,
                    "default_manufacturer_id": ranked[0].id,
                    "backup_manufacturer_id": ranked[1].id if len(ranked) > 1 else None,
                },
            )
            for priority, manufacturer in enumerate(ranked, start=1):
                await loader.ensure(
                    ProductFamilyManufacturer,
                    {"product_family_id": family.id, "manufacturer_id": manufacturer.id},
                    _assignment_terms(manufacturer, priority, f),
                )
            categories = {}
            for position, name in enumerate(f.categories):
                categories[name] = await loader.ensure(
                    Category,
                    {"product_family_id": family.id, "name": name},
                    {"sort_order": position},
                )
            for p in f.products:
                override = (
                    manufacturers[p.manufacturer_override] if p.manufacturer_override else None
                )
                product = await loader.ensure(
                    Product,
                    {"sku": p.code},
                    {
                        "name": p.name,
                        "code": p.code,
                        "product_category_id": categories[p.category].id,
                        "unit_cost": p.cost,
                        "manufacturer_override_id": override.id if override else None,
                    },
                )
                for colour in p.colours:
                    for size in p.sizes:
                        await loader.ensure(
                            Variant,
                            {"sku": f"{p.code}-{colour[:3].upper()}-{size}"},
                            {
                                "product_id": product.id,
                                "title": f"{p.name} - {size} / {colour}",
                                "size": size,
                                "colour": colour,
                                "price": p.price,
                            },
                        )
        # The 3PL's centers exist before any demo job ships, so a shipped job is expected at
        # the default center (demo/fulfillment.py); its goods are then received and pass QC
        # (demo/inbound.py); then the 3PL's stock, a low-stock level, a package in transit.
        await demo_fulfillment.ensure_centers(session)
        orders = await _load_demo_orders(session)
        # Suppliers, price lists and purchase orders (demo/procurement.py).
        await procurement_demo.load(session, DEMO_OPS)
        await inbound_demo.receive_shipped_goods(session, DEMO_OPS)
        # The 3PL: stock with a low-stock level, a package in transit. The message counts the
        # catalog's rows, as before; each domain's demo is checked by its own test.
        await demo_fulfillment.load(session)
        orders += await _load_demo_checkout(session, loader)
        # Finance: SPEC §8's aging fixture, a dispute and a voided payment (demo/finance.py).
        await load_demo_finance(session)
        return f"demo data: {loader.created} rows added, {orders} demo orders added"


def _assignment_terms(
    manufacturer: Manufacturer, priority: int, family: demo_data.DemoFamily
) -> dict[str, Any]:
    capabilities = set(manufacturer.capabilities)
    midpoint = ((family.cost_min + family.cost_max) / 2).quantize(Decimal("0.01"))
    return {
        "priority": priority,
        "can_sublimate": "sublimation" in capabilities,
        "can_embroider": "embroidery" in capabilities,
        "can_screen_print": "screen_print" in capabilities,
        "can_dtg": "dtg" in capabilities,
        "can_cut_sew": "cut_sew" in capabilities,
        "can_heat_transfer": "heat_transfer" in capabilities,
        "moq": 50 if priority == 1 else 100,
        "cost_per_unit": midpoint,
        "lead_time_days": family.lead_time_days,
        "payment_terms": manufacturer.payment_terms,
    }


# -- orders and jobs ---------------------------------------------------------------------------

# Who plays the demo: an ops user for the orders, each manufacturer's user for its jobs.
DEMO_OPS = Actor(type=ActorType.USER, id="demo-ops", role=Role.OPS)
DEMO_KEY = "demo"


def _manufacturer_actor(manufacturer_id: uuid.UUID | None) -> Actor:
    return Actor(
        type=ActorType.USER,
        id=f"demo-manufacturer-{manufacturer_id}",
        role=Role.MANUFACTURER,
        manufacturer_id=manufacturer_id,
    )


async def _load_demo_orders(session: AsyncSession) -> int:
    """The demo orders not loaded yet (recognised by the key in their metadata)."""
    seen = {
        (metadata or {}).get(DEMO_KEY)
        for metadata in (await session.scalars(select(Order.metadata_))).all()
    }
    customers: dict[str, Customer] = {}
    for c in demo_data.CUSTOMERS:
        found = await session.scalar(select(Customer).filter_by(name=c.name))
        customers[c.name] = found or await orders.create_customer(
            session, DEMO_OPS, {"name": c.name, "email": c.email, "company": c.company}
        )
    added = 0
    for spec in progress(demo_data.ORDERS, "demo orders"):
        if spec.key not in seen:
            await _play_order(session, spec, customers[spec.customer])
            added += 1
    if added:
        # The notices the daily check (BR-9) would send for the demo's due dates.
        await send_due_notices(session, today())
    return added


async def _play_order(session: AsyncSession, spec: demo_data.DemoOrder, customer: Customer) -> None:
    variants = {
        v.sku: v
        for v in await session.scalars(
            select(Variant).where(Variant.sku.in_([line.sku for line in spec.lines]))
        )
    }
    order = await orders.create_order(
        session,
        DEMO_OPS,
        global_id_of(customer),
        {"priority": spec.priority, "notes": spec.notes, "metadata_": {DEMO_KEY: spec.key}},
        [
            orders.ItemSpec(
                variant_id=global_id_of(variants[line.sku]),
                quantity=line.quantity,
                technique=line.technique,
            )
            for line in spec.lines
        ],
    )
    order_id = global_id_of(order)
    if spec.status is OrderStatus.DRAFT:
        return
    await orders.change_status(session, DEMO_OPS, order_id, OrderStatus.SUBMITTED)
    if spec.status is OrderStatus.CANCELED:
        await orders.change_status(
            session, DEMO_OPS, order_id, OrderStatus.CANCELED, reason=spec.cancel_reason
        )
        return
    if spec.status is OrderStatus.SUBMITTED:
        return
    await orders.change_status(session, DEMO_OPS, order_id, OrderStatus.APPROVED)
    routed = await _jobs_by_family(session, order.id)
    for job_spec in spec.jobs:
        job = routed[job_spec.family]
        await _play_job(session, job, job_spec.walk, job_spec, job_spec.due_in_days)
        if job_spec.decline_reason is not None:
            backup = await session.scalar(
                select(ManufacturingJob).where(ManufacturingJob.replaces_job_id == job.id)
            )
            if backup is not None:
                await _play_job(
                    session, backup, job_spec.backup_walk, None, job_spec.backup_due_in_days
                )
    if spec.status is OrderStatus.FULFILLED:
        await orders.change_status(session, DEMO_OPS, order_id, OrderStatus.FULFILLED)


async def _jobs_by_family(
    session: AsyncSession, order_id: uuid.UUID
) -> dict[str, ManufacturingJob]:
    rows = await session.execute(
        select(ProductFamily.code, ManufacturingJob)
        .join(ProductFamily, ProductFamily.id == ManufacturingJob.product_family_id)
        .where(ManufacturingJob.order_id == order_id)
    )
    return {code: job for code, job in rows.all()}


async def _qc_photo(
    session: AsyncSession, actor: Actor, job: ManufacturingJob, caption: str
) -> None:
    """ "QC photos required" (SPEC §2.1): a drawn photo uploaded as its manufacturer."""
    await photos.add_photo(
        session, actor, global_id_of(job), job.job_number, 1, PhotoStage.QC, caption
    )


async def _play_job(
    session: AsyncSession,
    job: ManufacturingJob,
    walk: tuple[JobStatus, ...],
    spec: demo_data.DemoJob | None,
    due_in_days: int | None,
) -> None:
    """Walk one job through its moves as its manufacturer, with what each move needs."""
    day = today()
    job_id = global_id_of(job)
    for target in walk:
        actor = _manufacturer_actor(job.manufacturer_id)
        inputs: dict[str, Any] = {}
        reason = None
        if target is JobStatus.ACCEPTED:
            inputs["estimated_completion_date"] = day + timedelta(days=max(due_in_days or 7, 1))
        elif target is JobStatus.READY_TO_SHIP:
            await _qc_photo(session, actor, job, "QC: measurements and print checked")
        elif target is JobStatus.SHIPPED:
            inputs["shipping_carrier"] = ShippingCarrier.DHL
            digits = "".join(c for c in job.job_number if c.isdigit())
            inputs["tracking_number"] = f"JD0146{digits}"
        elif target is JobStatus.DECLINED and spec is not None:
            inputs["decline_reason"] = spec.decline_reason
            inputs["decline_notes"] = spec.decline_notes
            reason = spec.decline_notes
        await jobs.transition_job(
            session,
            actor,
            jobs.TransitionRequest(id=job_id, status=target, inputs=inputs, reason=reason),
        )
        if target is JobStatus.QC and JobStatus.READY_TO_SHIP not in walk:
            await _qc_photo(session, actor, job, "QC in progress: first samples measured")
    if spec is not None:
        await _job_extras(session, job, spec)
    if due_in_days is not None:
        await writes.update(session, SYSTEM, job, {"due_date": day + timedelta(days=due_in_days)})


async def _job_extras(
    session: AsyncSession, job: ManufacturingJob, spec: demo_data.DemoJob
) -> None:
    manufacturer = _manufacturer_actor(job.manufacturer_id)
    job_id = global_id_of(job)
    if spec.progress_percent is not None:
        await jobs.update_progress(session, manufacturer, job_id, spec.progress_percent, None)
    for n, (stage, caption) in enumerate(spec.photos, start=1):
        await photos.add_photo(session, manufacturer, job_id, job.job_number, n, stage, caption)
    for who, content in spec.notes:
        await jobs.add_note(
            session, manufacturer if who == "manufacturer" else DEMO_OPS, job_id, content
        )
    if spec.issue is not None:
        issue = spec.issue
        await jobs.report_issue(
            session,
            manufacturer,
            job_id,
            type=issue.type,
            severity=issue.severity,
            impact=issue.impact,
            description=issue.description,
            hold_job=issue.hold_job,
        )


# -- checkout (issue 29) -------------------------------------------------------------------------

# A garment blank (one variant per size, so a size run names one variant each) and two
# customer orders placed through createProductionOrder's services: one paid (its Stripe
# event played through the webhook's own handling, so it is SUBMITTED with the "Queued"
# event and a payment), one still waiting at its checkout URL. The demo has no Stripe key:
# the sessions' ids and URLs are recorded as Stripe would have answered.
DEMO_GARMENT_SKU = "BLANK-TEE"
DEMO_GARMENT_SIZES = {"S": "12.50", "M": "12.50", "L": "14.00", "XL": "14.00"}
DEMO_DESIGN_URL = "https://images.opsgraph.example/designs/tiger-in-neon.png"


async def _load_demo_checkout(session: AsyncSession, loader: _Loader) -> int:
    garment = await loader.ensure(
        Product,
        {"sku": DEMO_GARMENT_SKU},
        {"name": "Heavyweight Tee (blank)", "code": "BLKTEE"},
    )
    for size, price in DEMO_GARMENT_SIZES.items():
        await loader.ensure(
            Variant,
            {"sku": f"{DEMO_GARMENT_SKU}-{size}"},
            {
                "product_id": garment.id,
                "title": f"Heavyweight Tee - {size}",
                "size": size,
                "price": Decimal(price),
            },
        )
    if await session.scalar(
        select(func.count()).select_from(Order).where(Order.garment_id == garment.id)
    ):
        return 0
    customer = await session.scalar(select(Customer).filter_by(name=demo_data.CUSTOMERS[0].name))
    assert customer is not None
    buyer = Actor(
        type=ActorType.USER, id="demo-customer", role=Role.CUSTOMER, customer_id=customer.id
    )
    placed = 0
    design = await designs.create_design(
        session,
        buyer,
        None,
        {
            "title": "Neon tiger",
            "image_url": DEMO_DESIGN_URL,
            "prompt": "a tiger in neon colours, risograph print",
        },
    )
    runs = ((("S", 4), ("M", 10), ("L", 6)), (("M", 2), ("XL", 1)))
    for sizes, paid in zip(runs, (True, False), strict=True):
        spec = ProductionOrderSpec(
            garment_id=global_id_of(garment),
            sizes=[SizeSpec(size, quantity) for size, quantity in sizes],
            design_id=global_id_of(design) if paid else None,
            design_url=None if paid else DEMO_DESIGN_URL,
            notes="Neon tiger, front print",
        )
        order = await create_production_order(session, buyer, spec)
        attempt = await checkout_sessions.latest_attempt(session, order.id)
        stripe_id = f"cs_demo_{order.reference}"
        answer = StripeSession(stripe_id, f"https://checkout.stripe.com/c/pay/{stripe_id}", None)
        await checkout_sessions.record_answer(session, buyer, attempt.id, answer)
        if paid:
            event = {
                "id": f"evt_demo_{order.reference}",
                "type": "checkout.session.completed",
                "data": {
                    "object": {
                        "id": stripe_id,
                        "object": "checkout.session",
                        "payment_status": "paid",
                        "amount_total": to_cents(order.total),
                        "currency": "usd",
                        "payment_intent": f"pi_demo_{order.reference}",
                        "metadata": {"orderId": str(order.id), "userId": buyer.id},
                    }
                },
            }
            await webhook.receive(session, SYSTEM, event)
        placed += 1
    return placed
