"""Which tables are published to subscriptions, and the channels each change belongs to.

Channels name what a subscriber follows (SPEC BR-49): `order:{id}` (the order and its
fulfillment timeline), `job:{id}` (a job, its notes and photos), `manufacturer:{id}:jobs`
(all of one manufacturer's jobs), `jobs` (every job, for staff dashboards) and
`notifications:admin` / `notifications:manufacturer:{id}`. A job moved to another
manufacturer belongs to both manufacturers' channels for that change, so the one that lost
it hears about it once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.change_log import Related, publish
from db.models import FulfillmentEvent, JobNote, JobPhoto, ManufacturingJob, Notification, Order
from domain.jobs import NotificationAudience

ALL_JOBS = "jobs"


def order_channel(order_id: Any) -> str:
    return f"order:{order_id}"


def job_channel(job_id: Any) -> str:
    return f"job:{job_id}"


def manufacturer_jobs_channel(manufacturer_id: Any) -> str:
    return f"manufacturer:{manufacturer_id}:jobs"


def notifications_channel(audience: NotificationAudience, manufacturer_id: Any = None) -> str:
    if audience is NotificationAudience.ADMIN:
        return "notifications:admin"
    return f"notifications:manufacturer:{manufacturer_id}"


def _order(row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    yield order_channel(row["id"])


def _fulfillment_event(
    row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related
) -> Iterable[str]:
    yield order_channel(row["order_id"])


def _job_channels(job_id: Any, manufacturer_ids: Iterable[Any]) -> Iterable[str]:
    yield job_channel(job_id)
    yield ALL_JOBS
    for manufacturer_id in manufacturer_ids:
        if manufacturer_id is not None:
            yield manufacturer_jobs_channel(manufacturer_id)


def _job(row: Mapping[str, Any], old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    return _job_channels(row["id"], (old.get("manufacturer_id"), row["manufacturer_id"]))


def _job_child(row: Mapping[str, Any], _old: Mapping[str, Any], related: Related) -> Iterable[str]:
    job = related.get(ManufacturingJob, row["job_id"])
    return _job_channels(row["job_id"], (job.manufacturer_id if job is not None else None,))


def _notification(
    row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related
) -> Iterable[str]:
    yield notifications_channel(NotificationAudience(row["audience"]), row["manufacturer_id"])


publish(Order, _order)
publish(FulfillmentEvent, _fulfillment_event)
publish(ManufacturingJob, _job)
publish(JobNote, _job_child)
publish(JobPhoto, _job_child)
publish(Notification, _notification)
