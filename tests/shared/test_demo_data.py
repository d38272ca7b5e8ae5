"""The demo data: orders in every state with jobs at every stage, made through the domain
functions (so its status history is the workflow's), loaded idempotently, and a dashboard
with something to show for admins and for a demo manufacturer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from auth.permissions import Role
from db.engine import Database
from db.models import (
    FulfillmentEvent,
    JobIssue,
    JobNote,
    JobPhoto,
    Manufacturer,
    ManufacturingJob,
    Notification,
    Order,
    StatusChange,
)
from demo.seed import load_demo_data
from domain.jobs import JobStatus, PhotoStage, RoutedBy
from domain.notifications import NotificationType
from domain.orders import OrderStatus
from tests.support.db_state import row_counts

YEAR = datetime.now(UTC).year


async def _all(database: Database, model: type[Any]) -> list[Any]:
    async with database.transaction() as session:
        return list((await session.scalars(select(model))).all())


async def _jobs(database: Database) -> dict[str, ManufacturingJob]:
    return {job.job_number: job for job in await _all(database, ManufacturingJob)}


async def _history(database: Database, entity_id) -> list[tuple[str, str]]:
    async with database.transaction() as session:
        rows = await session.scalars(
            select(StatusChange)
            .where(StatusChange.entity_id == entity_id)
            .order_by(StatusChange.version)
        )
        return [(row.from_status, row.to_status) for row in rows]


async def test_every_order_status_and_every_job_status_is_shown(database, files_settings):
    message = await load_demo_data(database, files=files_settings)
    assert message == "demo data: 184 rows added, 10 demo orders added"

    orders = {order.reference: order for order in await _all(database, Order)}
    assert {OrderStatus(o.status) for o in orders.values()} == set(OrderStatus)
    assert sorted(orders) == [f"ORD-{YEAR}-{n:03d}" for n in range(1, 11)]  # 9, 10: checkout
    jobs = await _jobs(database)
    assert {JobStatus(j.status) for j in jobs.values()} == set(JobStatus)
    # SPEC §8 fixtures: the first order split into three jobs (one per family, BR-5).
    first = orders[f"ORD-{YEAR}-001"]
    assert sorted(n for n, j in jobs.items() if j.order_id == first.id) == [
        f"MFG-{YEAR}-001A",
        f"MFG-{YEAR}-001B",
        f"MFG-{YEAR}-001C",
    ]


async def test_the_jobs_carry_what_their_stage_needs(database, files_settings):
    await load_demo_data(database, files=files_settings)
    jobs = list((await _jobs(database)).values())
    by_status = {JobStatus(j.status): j for j in jobs}

    shipped = by_status[JobStatus.SHIPPED]
    assert shipped.shipping_carrier is not None and shipped.tracking_number
    assert shipped.shipped_at is not None
    assert by_status[JobStatus.IN_PRODUCTION].progress_percent == 65
    photos = await _all(database, JobPhoto)
    qc_photo_jobs = {p.job_id for p in photos if PhotoStage(p.stage) is PhotoStage.QC}
    assert by_status[JobStatus.QC].id in qc_photo_jobs
    assert by_status[JobStatus.READY_TO_SHIP].id in qc_photo_jobs

    declined = by_status[JobStatus.DECLINED]
    assert declined.decline_reason is not None
    (backup,) = [j for j in jobs if j.replaces_job_id == declined.id]
    assert RoutedBy(backup.routed_by) is RoutedBy.FALLBACK
    assert backup.manufacturer_id not in (None, declined.manufacturer_id)
    assert by_status[JobStatus.PENDING_ASSIGNMENT].manufacturer_id is None

    assert await _all(database, JobNote) and await _all(database, JobIssue)
    kinds = {NotificationType(n.type) for n in await _all(database, Notification)}
    assert {NotificationType.NEW_JOB, NotificationType.OVERDUE, NotificationType.DUE_SOON} <= kinds


async def test_the_demo_went_through_the_workflow(database, files_settings):
    """Status history and the order timeline are what the engine writes, move by move."""
    await load_demo_data(database, files=files_settings)
    jobs = list((await _jobs(database)).values())
    shipped = next(j for j in jobs if JobStatus(j.status) is JobStatus.SHIPPED)
    assert await _history(database, shipped.id) == [
        ("NEW", "ACCEPTED"),
        ("ACCEPTED", "IN_PRODUCTION"),
        ("IN_PRODUCTION", "QC"),
        ("QC", "READY_TO_SHIP"),
        ("READY_TO_SHIP", "SHIPPED"),
    ]
    fulfilled = next(
        o for o in await _all(database, Order) if OrderStatus(o.status) is OrderStatus.FULFILLED
    )
    assert await _history(database, fulfilled.id) == [
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "in_production"),
        ("in_production", "fulfilled"),
    ]
    events = [e for e in await _all(database, FulfillmentEvent) if e.order_id == fulfilled.id]
    assert len(events) >= 5  # created, four moves and the job's shipment


async def test_seeding_again_adds_nothing(database, files_settings):
    await load_demo_data(database, files=files_settings)
    before = await row_counts(database)
    assert (
        await load_demo_data(database, files=files_settings)
        == "demo data: 0 rows added, 0 demo orders added"
    )
    assert await row_counts(database) == before


async def test_only_if_empty_leaves_a_used_database_alone(database, files_settings):
    await load_demo_data(database, files=files_settings)
    before = await row_counts(database)
    message = await load_demo_data(database, files=files_settings, only_if_empty=True)
    assert message == "demo data: database not empty, left as it is"
    assert await row_counts(database) == before


DASHBOARD = """{ dashboard {
  stats { activeJobs dueThisWeek overdueCount jobsByStatus { status count } }
  urgentJobs { jobNumber status }
  activity(limit: 50) { summary entityType job { jobNumber } order { reference } }
} }"""


async def test_the_dashboard_answers_for_admin_and_for_a_demo_manufacturer(
    client, database, files_settings
):
    await load_demo_data(database, files=files_settings)
    admin = (await client(DASHBOARD))["dashboard"]
    counts = {row["status"]: row["count"] for row in admin["stats"]["jobsByStatus"]}
    assert all(counts[status.name] >= 1 for status in JobStatus)
    # Active: all but the shipped and the declined job.
    assert admin["stats"]["activeJobs"] == sum(counts.values()) - 2
    assert admin["stats"]["overdueCount"] >= 1
    urgent = [job["jobNumber"] for job in admin["urgentJobs"]]
    assert urgent[0] == f"MFG-{YEAR}-001A"  # the overdue one first
    assert {entry["entityType"] for entry in admin["activity"]} == {"MANUFACTURING_JOB", "ORDER"}

    async with database.transaction() as session:
        hawk = await session.scalar(select(Manufacturer).filter_by(name="Hawk Manufacturing"))
        assert hawk is not None
        own = set(
            await session.scalars(
                select(ManufacturingJob.job_number).where(
                    ManufacturingJob.manufacturer_id == hawk.id
                )
            )
        )
    portal = client.as_role(Role.MANUFACTURER, manufacturer_id=hawk.id)
    data = (await portal(DASHBOARD))["dashboard"]
    assert sum(row["count"] for row in data["stats"]["jobsByStatus"]) == len(own)
    assert [job["jobNumber"] for job in data["urgentJobs"]] == [f"MFG-{YEAR}-001A"]
    assert data["activity"] and all(e["job"]["jobNumber"] in own for e in data["activity"])
    assert all(e["order"] is None for e in data["activity"])
