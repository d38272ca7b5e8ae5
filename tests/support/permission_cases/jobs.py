"""Jobs rows of the permission matrix (SPEC §4 "Manufacturing": View all jobs = A O F · ◐ S,
View own mfr jobs = A O M, Update job status = A O · ◐ M, View job costs = A O F; the
routing queue is staff's)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from db.models import JobIssue, JobPhoto, StoredFile
from domain.files import ContentType, FilePurpose, Retention
from domain.jobs import IssueSeverity, IssueType, JobStatus, PhotoStage
from resolvers.ids import encode_id
from tests.support import seeding
from tests.support.files import photo_part
from tests.support.permission_matrix import Case, World, mutation_case

FUTURE = (date.today() + timedelta(days=10)).isoformat()


async def _own_job_row(world: World, status: JobStatus = JobStatus.NEW) -> Any:
    return await seeding.job(
        world.database, manufacturer_id=world.own_manufacturer_uuid, status=status
    )


async def _own_job(world: World, status: JobStatus = JobStatus.NEW) -> str:
    return seeding.gid(await _own_job_row(world, status))


async def _with_id(world: World, values: dict[str, Any]) -> dict[str, Any]:
    return {"id": await _own_job(world), **values}


async def _job_id(world: World) -> dict[str, Any]:
    return {"id": await _own_job(world)}


async def _issue(world: World) -> dict[str, Any]:
    job = await _own_job_row(world, JobStatus.QC)
    async with world.database.transaction() as session:
        issue = JobIssue(
            job_id=job.id, type=IssueType.OTHER, severity=IssueSeverity.LOW, description="x"
        )
        session.add(issue)
    return {"issueId": encode_id("JobIssue", issue.id)}


async def _accept(world: World) -> dict[str, Any]:
    return {
        "id": await _own_job(world),
        "status": "ACCEPTED",
        "estimatedCompletionDate": FUTURE,
    }


async def _batch(world: World) -> dict[str, Any]:
    return {"items": [await _accept(world)]}


async def _progress(world: World) -> dict[str, Any]:
    return {"id": await _own_job(world, JobStatus.IN_PRODUCTION), "progressPercent": 30}


async def _note(world: World) -> dict[str, Any]:
    return {"jobId": await _own_job(world), "content": "note"}


async def _photo(world: World) -> dict[str, Any]:
    return {"jobId": await _own_job(world), "file": photo_part(), "stage": "QC"}


async def _photo_with_file(world: World) -> dict[str, Any]:
    """A photo of an own job with its stored file's row (links need no bytes)."""
    job = await _own_job_row(world)
    async with world.database.transaction() as session:
        stored = StoredFile(
            purpose=FilePurpose.JOB_PHOTO,
            retention=Retention.ORPHANS_PRUNED,
            storage_key="job_photo/00/00.jpg",
            sha256="0" * 64,
            size=1,
            content_type=ContentType.JPEG,
            original_name="p.jpg",
            thumbnail_key="job_photo/thumbnails/00/00.jpg",
            thumbnail_size=1,
        )
        session.add(stored)
        await session.flush()
        photo = JobPhoto(job_id=job.id, file_id=stored.id, stage=PhotoStage.QC)
        session.add(photo)
    return {"id": encode_id("JobPhoto", photo.id)}


async def _report(world: World) -> dict[str, Any]:
    return {
        "jobId": await _own_job(world),
        "type": "OTHER",
        "severity": "LOW",
        "description": "x",
    }


JOB_Q = "query($id: ID) { manufacturingJob(id: $id) { %s } }"
FILE_Q = "query($id: ID!) { node(id: $id) { ... on JobPhoto { file { %s } } } }"

CASES: list[Case] = [
    # -- root queries
    Case("Query.manufacturingJobs", "{ manufacturingJobs { totalCount } }", "UAOSFMR"),
    Case("Query.manufacturingJob", JOB_Q % "jobNumber", "UAOSFMR", _job_id),
    Case("Query.pendingAssignments", "{ pendingAssignments { totalCount } }", "UAOFR"),
    # -- cost fields ("View job costs = A O F")
    Case("ManufacturingJob.quotedCost", JOB_Q % "quotedCost { amount }", "UAOF", _job_id),
    Case("ManufacturingJob.actualCost", JOB_Q % "actualCost { amount }", "UAOFM", _job_id),
    # -- links to a job photo's file: the photo's readers ("View own mfr jobs" for M)
    Case("File.url", FILE_Q % "url", "UAOSFMR", _photo_with_file),
    Case("File.thumbnailUrl", FILE_Q % "thumbnailUrl", "UAOSFMR", _photo_with_file),
    # -- relations into another permission's type
    Case("ManufacturingJob.order", JOB_Q % "order { id }", "UAOSFR", _job_id),
    Case("ManufacturingJob.manufacturer", JOB_Q % "manufacturer { name }", "UAOFMR", _job_id),
    # -- mutations ("Update job status = A O · ◐ M")
    mutation_case("transitionJob", "UAOM", _accept),
    mutation_case("batchTransitionJobs", "UAOM", _batch),
    mutation_case("updateJobProgress", "UAOM", _progress),
    mutation_case("addJobNote", "UAOM", _note),
    mutation_case("addJobPhoto", "UAOM", _photo),
    mutation_case(
        "enterJobActualCost",
        "UAOM",
        lambda w: _with_id(w, {"actualCost": "120.00"}),
    ),
    mutation_case("reportJobIssue", "UAOM", _report),
    mutation_case("resolveJobIssue", "UAOM", _issue),
]
