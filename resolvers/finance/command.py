"""`uv run app.py finance daily`: finance's daily run (resolvers/finance/daily.py)."""

from __future__ import annotations

import argparse
import asyncio

from db.engine import Database
from domain.clock import today
from resolvers.finance.daily import DailyRun, run_daily
from settings import Settings


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    finance = commands.add_parser("finance", help="finance's scheduled work")
    actions = finance.add_subparsers(dest="finance_command", required=True)
    actions.add_parser(
        "daily", help="recalculate standing and holds, send aging alerts once each (daily)"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    done = asyncio.run(_daily(settings))
    print(f"finance daily: {done.recalculated} manufacturers recalculated, {done.alerts} alerts")
    return 0


async def _daily(settings: Settings) -> DailyRun:
    database = Database(settings.database_url, encryption_keys=settings.encryption_keys)
    try:
        async with database.transaction() as session:
            return await run_daily(session, today())
    finally:
        await database.dispose()
