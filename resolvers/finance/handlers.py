"""What finance does when other domains' events arrive, in the same transaction: a shipped
job is invoiced (BR-26)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Manufacturer, ProductFamilyManufacturer
from domain.finance import InvoiceLineCategory
from domain.notifications import NotificationType
from resolvers.domain_events import subscribe
from resolvers.events.jobs import JobShipped
from resolvers.finance.rules import InvoiceInput, LineInput, create_invoice, invoiced
from resolvers.ids import encode_id
from resolvers.notify import about, notify_admins
from resolvers.transitions import system_actor


async def _unit_cost(session: AsyncSession, event: JobShipped) -> Decimal | None:
    """§9 #9: the job's quoted cost per unit, else the family assignment's cost per unit."""
    job = event.job
    if job.quoted_cost is not None and job.quantity > 0:
        return job.quoted_cost / job.quantity
    if job.product_family_id is None:
        return None
    statement = select(ProductFamilyManufacturer.cost_per_unit).where(
        ProductFamilyManufacturer.product_family_id == job.product_family_id,
        ProductFamilyManufacturer.manufacturer_id == job.manufacturer_id,
    )
    return (await session.scalars(statement)).first()


@subscribe(JobShipped)
async def invoice_shipped_job(session: AsyncSession, event: JobShipped) -> None:
    """BR-26: a job shipped by a manufacturer with auto-invoicing on is invoiced, SUBMITTED,
    due by its terms (BR-27), admins told; a job already invoiced is not invoiced again."""
    job = event.job
    if job.manufacturer_id is None:
        return
    manufacturer = await session.get_one(Manufacturer, job.manufacturer_id)
    if not manufacturer.auto_invoice_enabled:
        return
    if await invoiced(session, job.id, InvoiceLineCategory.MANUFACTURING):
        return
    actor = system_actor(event.actor)
    unit_cost = await _unit_cost(session, event)
    if unit_cost is None or job.quantity <= 0:
        notify_admins(
            session,
            NotificationType.INVOICE_SUBMITTED,
            f"{job.job_number}: no auto-invoice",
            f"Job {job.job_number} shipped but has no quoted cost and no family cost: "
            "create its invoice by hand.",
            **about(job),
        )
        return
    # A quoted cost that does not split into whole cents per unit is billed as one line
    # of the whole job, so the invoice adds up to the quote to the cent.
    exact = unit_cost == unit_cost.quantize(Decimal("0.01"))
    line = LineInput(
        description=f"{job.job_number}: {job.quantity} units",
        quantity=job.quantity if exact else 1,
        unit_cost=unit_cost if exact else (job.quoted_cost or Decimal(0)),
        category=InvoiceLineCategory.MANUFACTURING,
        job_id=encode_id("ManufacturingJob", job.id),
    )
    invoice = await create_invoice(
        session,
        actor,
        InvoiceInput(
            manufacturer_id=encode_id("Manufacturer", manufacturer.id),
            lines=[line],
            invoice_date=event.at.date(),
            submit=True,
        ),
    )
    invoice.auto_generated = True
