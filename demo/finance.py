"""The finance part of the demo, played through finance's rules as a finance user would:
SPEC §8's aging fixture (Hawk, China Basics, Turkey Premium owed in every bucket, 69,330 in
all; Hawk's 1-30 amount left by a partial payment), a disputed invoice, a voided payment and
Last Textile's overpayment, part of it refunded (900.00 of credit left). Shipped demo jobs
are invoiced automatically (auto-invoicing is on for the demo manufacturers). Idempotent:
nothing is added once a manual invoice exists."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from auth.permissions import Role
from db.models import Invoice, Manufacturer
from demo import data as demo_data
from domain.clock import today
from domain.enums import ActorType, ManufacturerPaymentMethod
from domain.finance import InvoiceLineCategory, InvoiceStatus
from resolvers.finance import refunds
from resolvers.finance import rules as finance
from resolvers.ids import encode_id

DEMO_FINANCE = Actor(type=ActorType.USER, id="demo-finance", role=Role.FINANCE)


async def _invoice(
    session: AsyncSession, maker: Manufacturer, total: Decimal, due_in: int, what: str
) -> Invoice:
    due = today() + timedelta(days=due_in)
    return await finance.create_invoice(
        session,
        DEMO_FINANCE,
        finance.InvoiceInput(
            manufacturer_id=encode_id("Manufacturer", maker.id),
            lines=[
                finance.LineInput(what, 1, total, InvoiceLineCategory.MANUFACTURING),
            ],
            invoice_date=due - timedelta(days=30),
            due_date=due,
            submit=True,
        ),
    )


async def _approve(session: AsyncSession, invoice: Invoice) -> None:
    await finance.transition_invoice(
        session, DEMO_FINANCE, encode_id("Invoice", invoice.id), InvoiceStatus.APPROVED
    )


async def _pay(
    session: AsyncSession, maker: Manufacturer, invoice: Invoice, amount: Decimal, ref: str
) -> str:
    payment = await finance.record_payment(
        session,
        DEMO_FINANCE,
        finance.PaymentInput(
            manufacturer_id=encode_id("Manufacturer", maker.id),
            amount=amount,
            payment_method=ManufacturerPaymentMethod.WIRE,
            reference_number=ref,
            allocations=[finance.AllocationInput(encode_id("Invoice", invoice.id), amount)],
        ),
    )
    return encode_id("Payment", payment.id)


async def load_demo_finance(session: AsyncSession) -> int:
    """The demo invoices not loaded yet; how many were added."""
    manual = select(func.count()).select_from(Invoice).where(Invoice.auto_generated.is_(False))
    if await session.scalar(manual):
        return 0
    makers = {m.name: m for m in (await session.scalars(select(Manufacturer))).all()}
    added = 0
    buckets = ("current", "1-30 days", "31-60 days", "61-90 days", "90+ days")
    for name, amounts in demo_data.AGING_FIXTURE.items():
        maker = makers[name]
        for owed, due_in, bucket in zip(amounts, demo_data.AGING_DUE_IN_DAYS, buckets, strict=True):
            if not owed:
                continue
            partial = name == "Hawk Manufacturing" and bucket == "1-30 days"
            total = Decimal(owed + (demo_data.AGING_PARTIAL_PAYMENT if partial else 0))
            invoice = await _invoice(session, maker, total, due_in, f"Production ({bucket})")
            await _approve(session, invoice)
            added += 1
            if partial:
                paid = Decimal(demo_data.AGING_PARTIAL_PAYMENT)
                await _pay(session, maker, invoice, paid, "WIRE-DEMO-PARTIAL")
            if name == "China Basics" and bucket == "31-60 days":
                # Paid, then the wire came back: the void puts the invoice back in aging.
                voided = await _pay(session, maker, invoice, total, "WIRE-DEMO-RETURNED")
                await finance.void_payment(
                    session, DEMO_FINANCE, voided, "Wire returned: wrong beneficiary account"
                )
    disputed = await _invoice(
        session, makers["Last Textile"], Decimal("2400.00"), 20, "Embroidered polos"
    )
    await finance.transition_invoice(
        session,
        DEMO_FINANCE,
        encode_id("Invoice", disputed.id),
        InvoiceStatus.DISPUTED,
        dispute_reason="Wrong thread colour on 40 of 200 units",
    )
    await _overpay_and_refund(session, makers["Last Textile"])
    return added + 1


async def _overpay_and_refund(session: AsyncSession, maker: Manufacturer) -> None:
    """Issue 28 item 3: a payment with nothing owed is all credit; part of it goes back."""
    maker_id = encode_id("Manufacturer", maker.id)
    await finance.record_payment(
        session,
        DEMO_FINANCE,
        finance.PaymentInput(
            manufacturer_id=maker_id,
            amount=Decimal("1500.00"),
            payment_method=ManufacturerPaymentMethod.WIRE,
            reference_number="WIRE-DEMO-DEPOSIT",
            notes="Deposit for the polos order",
        ),
    )
    await refunds.refund_credit(
        session,
        DEMO_FINANCE,
        refunds.RefundInput(
            manufacturer_id=maker_id,
            amount=Decimal("600.00"),
            reason="Polos order cut to 120 units: deposit partly returned",
            reference="WIRE-DEMO-REFUND",
            idempotency_key="demo-credit-refund-last-textile",
        ),
    )
