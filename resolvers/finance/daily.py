"""Finance's daily run (`uv run app.py finance daily`): standing and holds move with the
calendar even when nothing is written, so every manufacturer owed anything (or not in GOOD
standing) is recalculated (§2.14, §9 #7, BR-25); and BR-31's aging alerts go to the admins,
each once per invoice. Running it again the same day (or twice) changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import Invoice, InvoiceAlert, Manufacturer
from domain import finance
from domain.enums import ActorType, PaymentStanding
from domain.finance import ALERT_FROM, PAYABLE_STATUSES, AgingAlert
from domain.notifications import NotificationPriority, NotificationType
from resolvers import writes
from resolvers.finance import ledger
from resolvers.notify import notify_admins

SCHEDULED = Actor(type=ActorType.SCHEDULED_JOB, id="finance-daily")

_TEXT = {
    AgingAlert.DUE_IN_7_DAYS: "is due within 7 days",
    AgingAlert.PAST_DUE_1: "is past due",
    AgingAlert.PAST_DUE_14: "is 14+ days past due",
    AgingAlert.CREDIT_HOLD_WARNING: "is 30+ days past due: credit hold warning",
    AgingAlert.PAST_DUE_60: "is 60+ days past due: the manufacturer is on credit hold",
}


@dataclass(frozen=True)
class DailyRun:
    recalculated: int
    alerts: int


async def run_daily(session: AsyncSession, today: date) -> DailyRun:
    owed = Invoice.status.in_(PAYABLE_STATUSES)
    makers = (
        await session.scalars(
            select(Manufacturer.id)
            .where(
                or_(
                    Manufacturer.id.in_(select(Invoice.manufacturer_id).where(owed)),
                    Manufacturer.payment_standing != PaymentStanding.GOOD,
                )
            )
            .order_by(Manufacturer.id)
        )
    ).all()
    for manufacturer_id in makers:
        manufacturer = await ledger.lock_account(session, manufacturer_id)
        await ledger.recalculate(session, SCHEDULED, manufacturer, today)
    return DailyRun(len(makers), await _send_alerts(session, today))


async def _send_alerts(session: AsyncSession, today: date) -> int:
    unpaid = (
        await session.execute(
            select(Invoice, Manufacturer.name)
            .join(Manufacturer, Manufacturer.id == Invoice.manufacturer_id)
            .where(Invoice.status.in_(PAYABLE_STATUSES))
            .order_by(Invoice.due_date, Invoice.id)
        )
    ).all()
    if not unpaid:
        return 0
    sent_before = (
        await session.execute(
            select(InvoiceAlert.invoice_id, InvoiceAlert.alert).where(
                InvoiceAlert.invoice_id.in_([invoice.id for invoice, _ in unpaid])
            )
        )
    ).all()
    worst: dict[object, int] = {}
    for invoice_id, kind in sent_before:
        worst[invoice_id] = max(worst.get(invoice_id, -999), ALERT_FROM[AgingAlert(kind)])
    sent = 0
    for invoice, name in unpaid:
        days_late = (today - invoice.due_date).days
        alert = finance.alert_for(days_late)
        if alert is None or ALERT_FROM[alert] <= worst.get(invoice.id, -999):
            continue
        owed = ledger.outstanding(invoice)
        notify_admins(
            session,
            NotificationType.AGING_ALERT,
            f"{name}: invoice {invoice.invoice_number} {_TEXT[alert].split(':')[0]}",
            f"Invoice {invoice.invoice_number} of {name} ({owed} {invoice.currency} owed, due "
            f"{invoice.due_date.isoformat()}) {_TEXT[alert]}.",
            priority=NotificationPriority.HIGH
            if ALERT_FROM[alert] >= 30
            else NotificationPriority.NORMAL,
        )
        await writes.create(
            session, SCHEDULED, InvoiceAlert(invoice_id=invoice.id, alert=alert, sent_on=today)
        )
        sent += 1
    return sent
