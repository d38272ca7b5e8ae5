"""The payables ledger: every write that changes what we owe a manufacturer goes through here.

One rule keeps it exact under concurrency: every such write first locks the manufacturer's
row (`lock_account`), so approvals, payments, refunds and voids for one manufacturer run
one after the other, each reading what the previous one committed; the invoices and payments an
allocation touches are locked too. Each write ends with `recalculate`, in its transaction:
balance (BR-28 as corrected, §9 #8), credit balance, standing and credit hold (§2.14, §9
#7, BR-25), announced for the catalog to store on the manufacturer row (routing reads it).

Invoice statuses change through the invoice workflow (`machine`, given by the caller), so
payments leave the same history and audit as any move.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import CreditRefund, Invoice, Manufacturer, Payment, PaymentAllocation
from domain import finance
from domain.clock import today
from domain.enums import PaymentStanding
from domain.errors import ErrorCode, UserErrors
from domain.finance import (
    PAYABLE_STATUSES,
    CreditRefundStatus,
    InvoiceStatus,
    Payable,
    PaymentStatus,
)
from domain.notifications import NotificationPriority, NotificationType
from domain.workflow import StateMachine
from resolvers import writes
from resolvers.domain_events import publish
from resolvers.events.manufacturers import ManufacturerAccountRecalculated
from resolvers.notify import notify_admins
from resolvers.transitions import apply, system_actor

# Oldest first (BR-29): by invoice date, then due date and number for a stable order.
OLDEST_FIRST = (Invoice.invoice_date, Invoice.due_date, Invoice.invoice_number, Invoice.id)


async def lock_account(session: AsyncSession, manufacturer_id: uuid.UUID) -> Manufacturer:
    """The manufacturer's row, locked until the transaction ends (re-read: what an earlier
    holder of the lock committed is what this one sees)."""
    statement = (
        select(Manufacturer)
        .where(Manufacturer.id == manufacturer_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    manufacturer = (await session.scalars(statement)).one_or_none()
    if manufacturer is None or manufacturer.deleted_at is not None:
        raise UserErrors.one(ErrorCode.NOT_FOUND, "No such manufacturer", ("input",))
    return manufacturer


def check_currency(manufacturer: Manufacturer, currency: str, field: Sequence[str]) -> None:
    """Every amount of a manufacturer's ledger is in its currency: sums never mix two."""
    if currency != manufacturer.currency:
        raise UserErrors.one(
            ErrorCode.CURRENCY_MISMATCH,
            f"{manufacturer.name} is paid in {manufacturer.currency}, not {currency}",
            tuple(field),
        )


async def payables(
    session: AsyncSession, manufacturer_id: uuid.UUID, ids: Sequence[uuid.UUID] | None = None
) -> list[Invoice]:
    """The manufacturer's approved and partially paid invoices (or those of `ids`), oldest
    first, locked."""
    statement = select(Invoice).where(Invoice.manufacturer_id == manufacturer_id)
    if ids is None:
        statement = statement.where(Invoice.status.in_(PAYABLE_STATUSES))
    else:
        statement = statement.where(Invoice.id.in_(ids))
    statement = (
        statement.order_by(*OLDEST_FIRST)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list((await session.scalars(statement)).all())


def outstanding(invoice: Invoice) -> Decimal:
    """What is owed on it now: total less the discount taken and what is paid."""
    return invoice.total_amount - invoice.discount_amount - invoice.amount_paid


def owed_on(invoice: Invoice, manufacturer: Manufacturer, paid_on: date) -> Decimal:
    """What a payment dated `paid_on` settles it with: within the early-payment window,
    the total less the discount (BR-27), less what is paid."""
    if invoice.discount_amount:
        return outstanding(invoice)
    due = finance.amount_due(
        invoice.total_amount,
        invoice.invoice_date,
        paid_on,
        manufacturer.early_payment_days,
        manufacturer.early_payment_discount,
    )
    return max(min(due - invoice.amount_paid, outstanding(invoice)), finance.ZERO)


async def settle(
    session: AsyncSession, actor: Actor, machine: StateMachine[Any], invoice: Invoice
) -> None:
    """Move a payable invoice to the status its paid amount says (APPROVED, PARTIALLY_PAID,
    PAID), through the workflow."""
    target = finance.status_for_paid(
        invoice.total_amount - invoice.discount_amount, invoice.amount_paid
    )
    if target is not invoice.status:
        await apply(session, system_actor(actor), machine, invoice, target)
        if target is not InvoiceStatus.PAID and invoice.paid_at is not None:
            invoice.paid_at = None  # reopened by a void: no longer paid


async def allocate(
    session: AsyncSession,
    actor: Actor,
    machine: StateMachine[Any],
    payment: Payment,
    invoice: Invoice,
    amount: Decimal,
    manufacturer: Manufacturer,
) -> PaymentAllocation:
    """Apply `amount` of `payment` to `invoice` (both locked; the caller checked it fits
    `owed_on` the payment's date). Settling it within the early-payment window takes the
    discount (BR-27)."""
    allocation = await writes.create(
        session,
        actor,
        PaymentAllocation(
            payment_id=payment.id,
            invoice_id=invoice.id,
            manufacturer_id=payment.manufacturer_id,
            amount_applied=amount,
        ),
    )
    await writes.update(
        session, actor, payment, {"amount_allocated": payment.amount_allocated + amount}
    )
    settles = amount == owed_on(invoice, manufacturer, payment.payment_date)
    values = {"amount_paid": invoice.amount_paid + amount}
    if settles and not invoice.discount_amount:
        values["discount_amount"] = invoice.total_amount - values["amount_paid"]
    await writes.update(session, actor, invoice, values)
    await settle(session, actor, machine, invoice)
    return allocation


async def reverse(
    session: AsyncSession, actor: Actor, machine: StateMachine[Any], payment: Payment
) -> None:
    """BR-30: undo every live allocation of a (voided) payment and revert its invoices."""
    now = datetime.now(UTC)
    live = (
        await session.scalars(
            select(PaymentAllocation)
            .where(PaymentAllocation.payment_id == payment.id)
            .where(PaymentAllocation.reversed_at.is_(None))
        )
    ).all()
    invoices = {
        i.id: i
        for i in await payables(session, payment.manufacturer_id, [a.invoice_id for a in live])
    }
    for allocation in live:
        invoice = invoices[allocation.invoice_id]
        await writes.update(session, actor, allocation, {"reversed_at": now})
        # The discount was taken by settling in time: unsettled, the total is owed again.
        await writes.update(
            session,
            actor,
            invoice,
            {
                "amount_paid": invoice.amount_paid - allocation.amount_applied,
                "discount_amount": finance.ZERO,
            },
        )
        await writes.update(
            session,
            actor,
            payment,
            {"amount_allocated": payment.amount_allocated - allocation.amount_applied},
        )
        await settle(session, actor, machine, invoice)


def _unallocated(manufacturer_id: uuid.UUID) -> Any:
    return select(func.coalesce(func.sum(Payment.amount - Payment.amount_allocated), 0)).where(
        Payment.manufacturer_id == manufacturer_id, Payment.status == PaymentStatus.RECORDED
    )


def _refunded(manufacturer_id: uuid.UUID) -> Any:
    return select(func.coalesce(func.sum(CreditRefund.amount), 0)).where(
        CreditRefund.manufacturer_id == manufacturer_id,
        CreditRefund.status == CreditRefundStatus.RECORDED,
    )


async def credit_left(session: AsyncSession, manufacturer_id: uuid.UUID) -> Decimal:
    """The credit the manufacturer holds now (the caller holds its lock): what its standing
    payments do not cover less its standing refunds (issue 28 item 3)."""
    await session.flush()
    row = (
        await session.execute(
            select(
                _unallocated(manufacturer_id).scalar_subquery(),
                _refunded(manufacturer_id).scalar_subquery(),
            )
        )
    ).one()
    return finance.cents(finance.credit_balance(Decimal(row[0]), Decimal(row[1])))


async def apply_credit(
    session: AsyncSession, actor: Actor, machine: StateMachine[Any], manufacturer: Manufacturer
) -> None:
    """BR-29: credit (what earlier payments did not cover) pays the oldest open invoices,
    from the oldest payment with credit left; never more than the credit refunds left (a
    refund took the newest payments' part)."""
    budget = await credit_left(session, manufacturer.id)
    if budget <= finance.ZERO:
        return
    credits = (
        await session.scalars(
            select(Payment)
            .where(
                Payment.manufacturer_id == manufacturer.id,
                Payment.status == PaymentStatus.RECORDED,
                Payment.amount_allocated < Payment.amount,
            )
            .order_by(Payment.payment_date, Payment.created_at, Payment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    if not credits:
        return
    open_invoices = await payables(session, manufacturer.id)
    by_id = {i.id: i for i in open_invoices}
    for payment in credits:
        owed = [
            Payable(i.id, owed_on(i, manufacturer, payment.payment_date)) for i in open_invoices
        ]
        usable = min(payment.amount - payment.amount_allocated, budget)
        for invoice_id, amount in finance.allocate_oldest_first(usable, owed):
            await allocate(
                session, actor, machine, payment, by_id[invoice_id], amount, manufacturer
            )
            budget -= amount
        if budget <= finance.ZERO:
            return


async def recalculate(
    session: AsyncSession, actor: Actor, manufacturer: Manufacturer, as_of: date | None = None
) -> ManufacturerAccountRecalculated:
    """The manufacturer's balance, credit, standing and hold from its ledger (one
    statement), announced in this transaction; admins hear when it turns delinquent or goes
    on hold."""
    await session.flush()
    as_of = as_of or today()
    payable = (
        Invoice.manufacturer_id == manufacturer.id,
        Invoice.status.in_(PAYABLE_STATUSES),
    )
    owed = Invoice.total_amount - Invoice.discount_amount - Invoice.amount_paid
    balance = select(func.coalesce(func.sum(owed), 0)).where(*payable)
    oldest_due = select(func.min(Invoice.due_date)).where(*payable, owed > 0)
    row = (
        await session.execute(
            select(
                balance.scalar_subquery(),
                _unallocated(manufacturer.id).scalar_subquery(),
                _refunded(manufacturer.id).scalar_subquery(),
                oldest_due.scalar_subquery(),
            )
        )
    ).one()
    worst = (
        None
        if row[3] is None
        else finance.days_past_due(as_of, row[3], manufacturer.payment_grace_days)
    )
    event = ManufacturerAccountRecalculated(
        manufacturer_id=manufacturer.id,
        current_balance=finance.cents(Decimal(row[0])),
        credit_balance=finance.cents(finance.credit_balance(Decimal(row[1]), Decimal(row[2]))),
        payment_standing=finance.standing(worst),
        credit_hold=finance.needs_credit_hold(worst),
        actor=actor,
    )
    _alert(session, manufacturer, event, worst)
    await publish(session, event)
    return event


def _alert(
    session: AsyncSession,
    manufacturer: Manufacturer,
    event: ManufacturerAccountRecalculated,
    worst: int | None,
) -> None:
    """§2.14: DELINQUENT with a balance alerts admin; BR-25: so does a new credit hold."""
    if event.credit_hold and not manufacturer.credit_hold_enabled:
        notify_admins(
            session,
            NotificationType.CREDIT_HOLD,
            f"{manufacturer.name}: credit hold",
            f"Our oldest unpaid invoice to {manufacturer.name} is {worst} days past due: "
            "its credit hold is on and it receives no job over its credit limit.",
            priority=NotificationPriority.HIGH,
        )
    elif (
        event.payment_standing is PaymentStanding.DELINQUENT
        and manufacturer.payment_standing is not PaymentStanding.DELINQUENT
        and event.current_balance > 0
    ):
        notify_admins(
            session,
            NotificationType.CREDIT_WARNING,
            f"{manufacturer.name}: delinquent",
            f"Our oldest unpaid invoice to {manufacturer.name} is {worst} days past due: "
            "routing sends it no new jobs until it is paid.",
            priority=NotificationPriority.HIGH,
        )
