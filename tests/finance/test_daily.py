"""Issue 28 item 6: `finance daily` recalculates standing and holds as the calendar moves,
and sends BR-31's aging alerts (due in 7 days, +1, +14, +30 "credit hold warning", 60+)
once each; running it again the same day changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from db.engine import Database
from db.models import InvoiceAlert, Notification
from domain.notifications import NotificationType
from resolvers.finance.daily import run_daily
from tests.support import finance
from tests.support.db_state import row_counts
from tests.support.finance import account, invoice
from tests.support.graphql import GraphQLClient


async def _daily(database: Database, on: date) -> Any:
    async with database.transaction() as session:
        return await run_daily(session, on)


async def _alerts(database: Database) -> list[str]:
    async with database.transaction() as session:
        found = await session.scalars(
            select(Notification.title)
            .where(Notification.type == NotificationType.AGING_ALERT)
            .order_by(Notification.created_at)
        )
        return list(found.all())


async def test_standing_moves_with_the_calendar_and_alerts_go_once(
    client: GraphQLClient, database: Database
) -> None:
    fin = finance.finance_client(client)
    maker = await finance.manufacturer(client, name="Calendar Co")
    # NET30 from 25 days ago: due in 5 days, GOOD today.
    made = await invoice(fin, maker["id"], "500.00", dated=25)
    assert (await account(fin, maker["id"]))["paymentStanding"] == "GOOD"

    await _daily(database, date.today())
    assert await _alerts(database) == [
        f"Calendar Co: invoice {made['invoiceNumber']} is due within 7 days"
    ]
    before = await row_counts(database)
    await _daily(database, date.today())
    assert await row_counts(database) == before

    # 20 days on it is 15 days late: WARNING, the +14 alert (not +1 as well).
    await _daily(database, date.today() + timedelta(days=20))
    assert (await account(fin, maker["id"]))["paymentStanding"] == "WARNING"
    assert (await _alerts(database))[-1].endswith("is 14+ days past due")
    # 70 days on: DELINQUENT, on hold, the 60+ alert.
    run = await _daily(database, date.today() + timedelta(days=70))
    assert run.recalculated >= 1
    held = await account(fin, maker["id"])
    assert (held["paymentStanding"], held["creditHoldEnabled"]) == ("DELINQUENT", True)
    assert (await _alerts(database))[-1].endswith("60+ days past due")
    async with database.transaction() as session:
        sent = (await session.scalars(select(InvoiceAlert.alert))).all()
    assert sorted(a.value for a in sent) == ["due_in_7_days", "past_due_14", "past_due_60"]
