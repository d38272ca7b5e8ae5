"""Manufacturing jobs (SPEC §1.4, §2.1): status moves, progress, notes, photos and issues.

Status changes go through the one engine (resolvers.transitions) with JOB_WORKFLOW: what a
move requires, guards, stamps and triggers is declared there, not here. The other changes
check ownership the same way: a job the caller may not see is NOT_FOUND.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NotRequired, TypedDict, Unpack

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import owns
from auth.actor import Actor
from auth.permissions import Permission, Role
from db.models import JobIssue, JobNote, JobPhoto, ManufacturingJob
from db.storage import Storage
from domain import jobs as job_enums
from domain.bounds import AMOUNT
from domain.errors import ErrorCode, Problem, UserErrors
from domain.files import FilePurpose
from domain.jobs import (
    PhotoStage,
)
from domain.notifications import NotificationPriority, NotificationType
from domain.validation import Checks, camel
from resolvers import uploads, writes
from resolvers.context import RequestContext
from resolvers.ids import decode_input_id
from resolvers.jobs.workflow import JOB_WORKFLOW
from resolvers.lookup import get_for_update, not_found
from resolvers.mutations import Outcome, run_mutation
from resolvers.notify import about, notify_admins, notify_manufacturer
from resolvers.owners import MANUFACTURER_RECORD
from resolvers.transitions import transition

JOB = "ManufacturingJob"
MAX_BATCH = 50
MAX_NOTE = 5000
MAX_TEXT = 2000
# Inputs a move may require that another mutation provides (transitionJob does not take them).
_GIVEN_BY: Mapping[str, str] = {"manufacturer_id": "assignJob"}


def _may_work_on(actor: Actor, job: ManufacturingJob) -> bool:
    """Reading and working on a job: both grants must cover it (a manufacturer: its own)."""
    return all(
        owns(actor, permission, MANUFACTURER_RECORD, job.manufacturer_id)
        for permission in (Permission.VIEW_JOBS, Permission.WORK_ON_JOBS)
    )


async def _job(
    session: AsyncSession, actor: Actor, global_id: str, field: str, *, lock: bool = True
) -> ManufacturingJob:
    """The job an input ID names, if the caller may work on it (NOT_FOUND otherwise)."""
    if lock:
        job = await get_for_update(session, ManufacturingJob, global_id, field)
    else:
        found = await session.get(ManufacturingJob, decode_input_id(global_id, JOB, field))
        if found is None:
            raise not_found(JOB, global_id, field)
        job = found
    if not _may_work_on(actor, job):
        raise not_found(JOB, global_id, field)
    return job


# -- status moves --------------------------------------------------------------------------


@dataclass(frozen=True)
class TransitionRequest:
    """One requested move, with the inputs of every move keyed by column name."""

    id: str
    status: job_enums.JobStatus
    expected_version: int | None = None
    inputs: Mapping[str, Any] | None = None
    reason: str | None = None


def _check_inputs(request: TransitionRequest, path: tuple[str | int, ...]) -> None:
    inputs = request.inputs or {}
    problems = []
    limits = {"tracking_number": 100, "decline_notes": MAX_TEXT}
    for name, limit in limits.items():
        value = inputs.get(name)
        if isinstance(value, str) and len(value) > limit:
            problems.append(
                Problem(
                    ErrorCode.VALIDATION,
                    f"{camel(name)} must be at most {limit} characters",
                    tuple(str(p) for p in (*path, name)),
                )
            )
    if request.reason is not None and len(request.reason) > MAX_TEXT:
        problems.append(
            Problem(
                ErrorCode.VALIDATION,
                f"reason must be at most {MAX_TEXT} characters",
                tuple(str(p) for p in (*path, "reason")),
            )
        )
    if problems:
        raise UserErrors(problems)


def _explain(problem: Problem) -> Problem:
    """A move needing an input that transitionJob cannot take: name the mutation that can."""
    if problem.field and problem.field[-1] in _GIVEN_BY:
        name = problem.field[-1]
        mutation = _GIVEN_BY[name]
        return Problem(
            problem.code,
            f"This move needs {camel(name)}, which transitionJob does not take: "
            f"use {mutation} instead",
            (*problem.field[:-1], "status"),
        )
    return problem


async def transition_job(
    session: AsyncSession,
    actor: Actor,
    request: TransitionRequest,
    path: tuple[str | int, ...] = ("input",),
) -> ManufacturingJob:
    """Move a job to `request.status` through JOB_WORKFLOW."""
    _check_inputs(request, path)
    inputs = {k: v for k, v in (request.inputs or {}).items() if v is not None}
    try:
        context = await transition(
            session,
            actor,
            JOB_WORKFLOW,
            ManufacturingJob,
            request.id,
            request.status,
            expected_version=request.expected_version,
            inputs=inputs,
            reason=request.reason,
            path=path,
        )
    except UserErrors as exc:
        raise UserErrors([_explain(p) for p in exc.problems]) from exc
    job: ManufacturingJob = context.entity
    return job


def _at(problem: Problem, path: tuple[str | int, ...]) -> Problem:
    """Re-root a problem reported against ("input", ...) under the item's path."""
    field = problem.field
    prefix = tuple(str(p) for p in path)
    if field and field[0] == "input" and field[: len(prefix)] != prefix:
        return Problem(problem.code, problem.message, (*prefix, *field[1:]))
    return problem


@dataclass(frozen=True)
class BatchResult:
    id: str
    job_id: uuid.UUID | None
    problems: tuple[Problem, ...]


async def batch_transition(
    ctx: RequestContext, requests: Sequence[TransitionRequest]
) -> list[BatchResult]:
    """Each move in its own transaction, in order: one failing leaves the others applied."""
    if len(requests) > MAX_BATCH:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"At most {MAX_BATCH} jobs per batch (got {len(requests)})",
            ("input", "items"),
        )
    results = []
    for index, request in enumerate(requests):
        path: tuple[str | int, ...] = ("input", "items", index)

        async def work(
            session: AsyncSession, request: TransitionRequest = request, path: Any = path
        ) -> uuid.UUID:
            job = await transition_job(session, ctx.actor, request, path)
            return job.id

        outcome = await run_mutation(ctx, work)
        results.append(
            BatchResult(
                id=request.id,
                job_id=outcome.value,
                problems=tuple(_at(p, path) for p in outcome.problems),
            )
        )
    return results


# -- jobs following routing and their order (handlers of other domains' events) ------------


# -- progress, notes, photos, issues -------------------------------------------------------


async def update_progress(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    progress_percent: int,
    expected_version: int | None,
) -> ManufacturingJob:
    """SPEC §2.1: "progress updates are allowed only" in IN_PRODUCTION; 0-100."""
    job = await _job(session, actor, global_id, "id")
    writes.check_version(job, expected_version)
    checks = Checks()
    checks.require(
        0 <= progress_percent <= 100, "progress_percent", "progressPercent must be 0 to 100"
    )
    if job.status != job_enums.JobStatus.IN_PRODUCTION:
        checks.fail(
            "progress_percent",
            f"progress can be reported only while IN_PRODUCTION (the job is {job.status})",
            ErrorCode.INVALID_TRANSITION,
        )
    checks.raise_if_any()
    return await writes.update(session, actor, job, {"progress_percent": progress_percent})


async def enter_actual_cost(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    actual_cost: Decimal,
    expected_version: int | None,
) -> ManufacturingJob:
    """SPEC §4 "Enter actual costs = A O M": what making the job cost (a manufacturer: its
    own jobs), which the cost and margin reports use (BR-32)."""
    job = await get_for_update(session, ManufacturingJob, global_id)
    if not all(
        owns(actor, permission, MANUFACTURER_RECORD, job.manufacturer_id)
        for permission in (Permission.VIEW_JOBS, Permission.ENTER_ACTUAL_COSTS)
    ):
        raise not_found(JOB, global_id)
    writes.check_version(job, expected_version)
    checks = Checks()
    checks.money("actual_cost", actual_cost, kind=AMOUNT)
    checks.raise_if_any()
    return await writes.update(session, actor, job, {"actual_cost": actual_cost})


def author_role(actor: Actor) -> job_enums.NoteAuthorRole:
    if actor.role is Role.MANUFACTURER:
        return job_enums.NoteAuthorRole.MANUFACTURER
    if actor.role is Role.CUSTOMER:
        return job_enums.NoteAuthorRole.CUSTOMER
    return job_enums.NoteAuthorRole.ADMIN


async def add_note(session: AsyncSession, actor: Actor, job_id: str, content: str) -> JobNote:
    job = await _job(session, actor, job_id, "job_id", lock=False)
    checks = Checks()
    checks.text("content", content, max_length=MAX_NOTE, required=True)
    checks.raise_if_any()
    role = author_role(actor)
    note = await writes.create(
        session,
        actor,
        JobNote(job_id=job.id, content=content, author_id=actor.id, author_role=role),
    )
    if role is job_enums.NoteAuthorRole.ADMIN and job.manufacturer_id is not None:
        notify_manufacturer(
            session,
            job.manufacturer_id,
            NotificationType.NOTE_ADDED,
            f"New note on {job.job_number}",
            content if len(content) <= 200 else content[:197] + "...",
            **about(job),
        )
    return note


def photo_purpose(stage: PhotoStage) -> FilePurpose:
    return FilePurpose.QC_PHOTO if stage is PhotoStage.QC else FilePurpose.JOB_PHOTO


async def check_photo(
    session: AsyncSession, actor: Actor, job_id: str, caption: str | None
) -> ManufacturingJob:
    """What a photo is refused for before its bytes are read: the job (NOT_FOUND unless the
    caller may work on it) and the caption."""
    job = await _job(session, actor, job_id, "job_id", lock=False)
    checks = Checks()
    checks.text("caption", caption, max_length=MAX_TEXT, required=False)
    checks.raise_if_any()
    return job


async def attach_photo(
    session: AsyncSession,
    actor: Actor,
    job_id: str,
    stored: uploads.Stored,
    *,
    stage: PhotoStage,
    caption: str | None = None,
) -> JobPhoto:
    """Record a stored upload (resolvers/uploads.py) and add it to the job, checked again:
    it may have changed since the upload was checked."""
    job = await check_photo(session, actor, job_id, caption)
    file = await uploads.record(session, actor, stored, attached=True)
    return await writes.create(
        session,
        actor,
        JobPhoto(job_id=job.id, file_id=file.id, caption=caption, stage=stage, created_by=actor.id),
    )


async def add_photo(
    ctx: RequestContext,
    job_id: str,
    *,
    file: object,
    stage: PhotoStage,
    storage: Storage,
    max_upload_bytes: int,
    caption: str | None = None,
) -> Outcome[JobPhoto]:
    """Check, store and add an uploaded photo (resolvers.uploads.attach_upload: no database
    connection is held while its bytes are read, decoded and stored; a refused photo stores
    nothing)."""
    return await uploads.attach_upload(
        ctx,
        file,
        photo_purpose(stage),
        check=lambda s: check_photo(s, ctx.actor, job_id, caption),
        attach=lambda s, stored: attach_photo(
            s, ctx.actor, job_id, stored, stage=stage, caption=caption
        ),
        storage=storage,
        max_upload_bytes=max_upload_bytes,
    )


_URGENT_SEVERITIES = (job_enums.IssueSeverity.HIGH, job_enums.IssueSeverity.CRITICAL)


class Issue(TypedDict):
    """An issue's columns as a caller gives them."""

    type: job_enums.IssueType
    severity: job_enums.IssueSeverity
    description: str
    impact: NotRequired[job_enums.IssueImpact | None]


async def report_issue(
    session: AsyncSession,
    actor: Actor,
    job_id: str,
    *,
    hold_job: bool = False,
    **reported: Unpack[Issue],
) -> JobIssue:
    """Record a problem; with `hold_job` the job stops moving forward until it is resolved."""
    job = await _job(session, actor, job_id, "job_id")
    type, severity, description = reported["type"], reported["severity"], reported["description"]
    checks = Checks()
    checks.text("description", description, max_length=MAX_NOTE, required=True)
    checks.raise_if_any()
    row = JobIssue(job_id=job.id, holds_job=hold_job, reported_by=actor.id, **reported)
    issue = await writes.create(session, actor, row)
    await writes.update(
        session, actor, job, {"has_open_issue": True, "on_hold": job.on_hold or hold_job}
    )
    held = " The job is on hold." if hold_job else ""
    notify_admins(
        session,
        NotificationType.ISSUE_REPORTED,
        f"{job.job_number}: {severity.value} issue ({type.value})",
        f"{description[:500]}{held}",
        **about(job),
        priority=(
            NotificationPriority.HIGH
            if severity in _URGENT_SEVERITIES
            else NotificationPriority.NORMAL
        ),
    )
    return issue


async def resolve_issue(
    session: AsyncSession, actor: Actor, issue_id: str, resolution: str | None
) -> JobIssue:
    """Close an issue; the job is released from hold when no other open issue holds it."""
    issue = await get_for_update(session, JobIssue, issue_id, "issue_id")
    job = await session.get(ManufacturingJob, issue.job_id, with_for_update=True)
    if job is None or not _may_work_on(actor, job):
        raise not_found("JobIssue", issue_id, "issue_id")
    checks = Checks()
    checks.text("resolution", resolution, max_length=MAX_NOTE, required=False)
    checks.require(issue.resolved_at is None, "issue_id", "The issue is already resolved")
    checks.raise_if_any()
    await writes.update(
        session, actor, issue, {"resolved_at": datetime.now(UTC), "resolution": resolution}
    )
    still_open = (
        await session.execute(
            select(JobIssue.holds_job).where(
                JobIssue.job_id == job.id, JobIssue.resolved_at.is_(None), JobIssue.id != issue.id
            )
        )
    ).scalars()
    holds = list(still_open)
    await writes.update(session, actor, job, {"has_open_issue": bool(holds), "on_hold": any(holds)})
    return issue


def days_until_due(due_date: date | None, today: date) -> int | None:
    return None if due_date is None else (due_date - today).days
