"""BR-23: inbound shipments still on their way OPSGRAPH_SHIPMENT_LOST_DAYS after their
expected date are flagged lost and the admins alerted, once, by the daily command."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from db.models import InboundShipment
from domain.fulfillment import InboundSourceType, InboundStatus, PackageCondition, is_lost
from domain.jobs import JobStatus
from domain.notifications import NotificationType
from resolvers.fulfillment import inbound
from resolvers.fulfillment.lost_shipments import flag_lost_shipments
from resolvers.ids import encode_id
from tests.support import fulfillment, seeding
from tests.support.graphql import GraphQLClient
from tests.support.inbound import notifications_of
from tests.support.job_support import catalog

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 7)


def test_lost_means_still_on_the_way_the_given_days_after_the_expected_date() -> None:
    expected = TODAY - timedelta(days=7)
    assert is_lost(InboundStatus.EXPECTED, expected, TODAY, 7)
    assert is_lost(InboundStatus.IN_TRANSIT, expected, TODAY, 7)
    assert not is_lost(InboundStatus.EXPECTED, expected + timedelta(days=1), TODAY, 7)
    assert not is_lost(InboundStatus.DELIVERED, expected, TODAY, 7)
    assert not is_lost(InboundStatus.EXPECTED, None, TODAY, 7)


async def _shipments(client: GraphQLClient, database: Any) -> dict[str, InboundShipment]:
    """Shipments expected 10, 7 and 6 days ago, and one received though 10 days late."""
    world = await catalog(client, database)
    center_id = await fulfillment.center(database, default=True)
    made = {}
    for name, days in (("late", 10), ("due", 7), ("recent", 6), ("received", 10)):
        job = await seeding.job(database, manufacturer_id=world.own_id, status=JobStatus.SHIPPED)
        async with database.transaction() as session:
            shipment = await inbound.create_shipment(
                session,
                fulfillment.OPS,
                inbound.NewShipment(
                    source_type=InboundSourceType.MANUFACTURING_JOB,
                    source_id=job.id,
                    manufacturer_id=job.manufacturer_id,
                    fulfillment_center_id=center_id,
                    lines=[inbound.ExpectedLine(world.variant_id, 2)],
                    expected_arrival=TODAY - timedelta(days=days),
                ),
            )
            if name == "received":
                await inbound.receive(
                    session,
                    fulfillment.OPS,
                    encode_id("InboundShipment", shipment.id),
                    inbound.Receipt(PackageCondition.GOOD),
                )
        made[name] = shipment
    return made


async def test_overdue_shipments_are_flagged_once_and_the_admins_alerted(
    client: GraphQLClient, database: Any
) -> None:
    made = await _shipments(client, database)
    async with database.transaction() as session:
        assert await flag_lost_shipments(session, TODAY, 7) == 2
    async with database.transaction() as session:
        assert await flag_lost_shipments(session, TODAY, 7) == 0  # nobody is told twice
    alerts = await notifications_of(database, NotificationType.SHIPMENT_LOST.value)
    numbers = sorted(made[n].shipment_number for n in ("late", "due"))
    assert sorted(a.title.split()[0] for a in alerts) == numbers
    assert all(a.audience.value == "admin" and a.priority.value == "high" for a in alerts)

    found = await client(
        "{ inboundShipments(filter: {lost: true}) { edges { node { shipmentNumber isLost } } } }"
    )
    lost = [e["node"] for e in found["inboundShipments"]["edges"]]
    assert sorted(n["shipmentNumber"] for n in lost) == numbers
    assert all(n["isLost"] for n in lost)


async def test_the_daily_command_reads_the_days_from_the_environment(
    client: GraphQLClient, database: Any, settings: Any, tmp_path: Path
) -> None:
    await _shipments(client, database)
    days_since = (date.today() - TODAY).days  # the command runs on today's date
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "OPSGRAPH_DEV_SECRETS_FILE": str(tmp_path / "secrets.json"),
        "OPSGRAPH_SHIPMENT_LOST_DAYS": str(8 + days_since),
    }
    env.pop("REDIS_URL", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "app.py",
        "flag-lost-shipments",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    # 8 days: only the shipment 10 days late (the received one is no longer on its way).
    assert out.decode().strip() == "inbound shipments flagged lost: 1"
    async with database.transaction() as session:
        flagged = (
            await session.scalars(
                select(InboundShipment.shipment_number).where(
                    InboundShipment.lost_flagged_at.is_not(None)
                )
            )
        ).all()
    assert len(flagged) == 1
