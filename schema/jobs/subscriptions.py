"""`jobChanged`: jobs' changes as they commit. A job moved away from a manufacturer is
announced to it once (`accessEnded`) and then no longer streamed."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.access import deny_not_owned
from auth.permissions import Permission
from db.change_log import CommittedChange
from db.publications.jobs import (
    ALL_JOBS,
    job_channel,
    manufacturer_jobs_channel,
)
from domain.jobs import JobStatus
from schema.context import request_context
from schema.jobs.types import JobNote, JobPhoto, ManufacturingJob
from schema.node import Visibility, load_node, visibility
from schema.realtime.events import (
    ChangeEvent,
    committed_node,
    event_fields,
    hidden_event_fields,
)
from schema.realtime.messages import MessageGroup
from schema.realtime.subscribing import AfterCursor, after_cursor, global_pk, not_found

JOBS_TABLE = "manufacturing_jobs"
NOTES_TABLE = "job_notes"


@strawberry.type(description="A change of a job: status, progress, assignment, a note or a photo.")
class JobChange(ChangeEvent):
    job: ManufacturingJob | None = strawberry.field(
        description="The job as this change left it (null when `accessEnded`)."
    )
    note: JobNote | None = strawberry.field(description="The note added (table `job_notes`).")
    photo: JobPhoto | None = strawberry.field(description="The photo added (table `job_photos`).")
    access_ended: bool = strawberry.field(
        description="This change took the job out of your view (it was reassigned to another "
        "manufacturer). No further events of this job follow."
    )


def _job_channel_for(
    info: Info[Any, Any], seen: Visibility, job_pk: uuid.UUID | None, manufacturer: str | None
) -> tuple[str, uuid.UUID | None]:
    """The channel a jobChanged subscription follows, and the manufacturer it filters on."""
    manufacturer_pk = global_pk(manufacturer, "Manufacturer") if manufacturer is not None else None
    if manufacturer_pk is not None and seen.restricted and manufacturer_pk != seen.owner_id:
        actor = request_context(info).actor
        raise deny_not_owned(actor, Permission.VIEW_JOBS, info.path.as_list())
    if job_pk is not None:
        return job_channel(job_pk), manufacturer_pk
    if manufacturer_pk is None and seen.restricted:
        manufacturer_pk = seen.owner_id
    if manufacturer_pk is not None:
        return manufacturer_jobs_channel(manufacturer_pk), manufacturer_pk
    return ALL_JOBS, None


def _job_matches(
    record: CommittedChange,
    job: ManufacturingJob,
    manufacturer_pk: uuid.UUID | None,
    statuses: set[str] | None,
) -> bool:
    """Filters see both sides of a change: a job leaving QC still tells a QC board."""
    old = record.old if record.table == JOBS_TABLE else {}
    if manufacturer_pk is not None and manufacturer_pk not in {
        job.manufacturer_id,
        _uuid(old.get("manufacturer_id")),
    }:
        return False
    return statuses is None or bool({job.status.value, old.get("status")} & statuses)


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(value) if isinstance(value, str) else None


async def _job_changes(
    info: Info[Any, Any],
    group: MessageGroup,
    job_id: str | None,
    manufacturer_id: str | None,
    status: list[JobStatus] | None,
    after: str | None,
) -> AsyncGenerator[JobChange, None]:
    seen = visibility(info, ManufacturingJob)
    job_pk = global_pk(job_id, "ManufacturingJob") if job_id is not None else None
    channel, manufacturer_pk = _job_channel_for(info, seen, job_pk, manufacturer_id)
    cursor = after_cursor(after)
    if job_pk is not None and await load_node(info, ManufacturingJob, job_pk) is None:
        raise not_found("ManufacturingJob", job_id or "")
    statuses = {s.value for s in status} if status else None
    async for record in group.changes(channel, cursor):
        note = photo = None
        if record.table == JOBS_TABLE:
            pk = record.entity_id
            job = await committed_node(info, ManufacturingJob, seen, pk, record, as_committed=True)
            if job is None:
                if _moved_away_from_viewer(seen, record):
                    yield JobChange(
                        job=None,
                        note=None,
                        photo=None,
                        access_ended=True,
                        last=job_pk is not None,  # following that one job ends here
                        **hidden_event_fields(record),
                    )
                continue
        else:
            if record.table == NOTES_TABLE:
                note = await committed_node(
                    info, JobNote, visibility(info, JobNote), record.entity_id, record
                )
                job_of_child = note.job_id if note is not None else None
            else:
                photo = await committed_node(
                    info, JobPhoto, visibility(info, JobPhoto), record.entity_id, record
                )
                job_of_child = photo.job_id if photo is not None else None
            if job_of_child is None:
                continue
            job = await committed_node(info, ManufacturingJob, seen, job_of_child, record)
            if job is None:
                continue
        if not _job_matches(record, job, manufacturer_pk, statuses):
            continue
        yield JobChange(
            job=job,
            note=note,
            photo=photo,
            access_ended=False,
            **event_fields(info, record, ManufacturingJob, job),
        )


def _moved_away_from_viewer(seen: Visibility, record: CommittedChange) -> bool:
    return (
        seen.restricted
        and "manufacturer_id" in record.changed_fields
        and _uuid(record.old.get("manufacturer_id")) == seen.owner_id
    )


@strawberry.type
class JobSubscription:
    @strawberry.subscription(
        description="Changes of jobs (status, progress, reassignment, notes, photos): of one "
        "job (`id`), of one manufacturer's jobs (`manufacturerId`; a manufacturer follows its "
        "own by default, another's is FORBIDDEN), or of all; `status` keeps changes into or "
        "out of those statuses. `after` resumes from an event's cursor."
    )
    async def job_changed(
        self,
        info: Info[Any, Any],
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Follow this one job.")
        ] = None,
        manufacturer_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Follow this manufacturer's jobs."),
        ] = None,
        status: Annotated[
            list[JobStatus] | None,
            strawberry.argument(description="Only changes into or out of these statuses."),
        ] = None,
        after: AfterCursor = None,
    ) -> AsyncGenerator[JobChange, None]:
        group = MessageGroup(info)
        events = _job_changes(info, group, id, manufacturer_id, status, after)
        async for event in group.sent(events):
            yield event
