"""Jobs' published tables: a job, its notes and its photos go to `job:{id}`, `jobs` (every
job, for staff dashboards) and `manufacturer:{id}:jobs`. A job moved to another manufacturer
belongs to both manufacturers' channels for that change, so the one that lost it hears about
it once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.change_log import Related, publish
from db.models import JobNote, JobPhoto, ManufacturingJob

ALL_JOBS = "jobs"


def job_channel(job_id: Any) -> str:
    return f"job:{job_id}"


def manufacturer_jobs_channel(manufacturer_id: Any) -> str:
    return f"manufacturer:{manufacturer_id}:jobs"


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


publish(ManufacturingJob, _job)
publish(JobNote, _job_child)
publish(JobPhoto, _job_child)
