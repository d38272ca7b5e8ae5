"""Job mutations. Each runs in one transaction through `mutate` (a batch: one per item; a
photo: a check, then its upload stored outside any, then its rows: resolvers.jobs.rules) and
reports business-rule failures in `errors`; the rules live in resolvers.jobs.rules and the job
workflow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from auth.permissions import Permission
from db.storage import storage_for
from domain import jobs as job_enums
from domain.errors import ErrorCode
from resolvers.jobs import rules as jobs
from schema.context import request_context
from schema.errors import UserError
from schema.inputs import EXPECTED_VERSION, INPUT, optional, provided, reload
from schema.jobs.types import JobIssue, JobNote, JobPhoto, ManufacturingJob
from schema.node import load_node, load_nodes
from schema.payloads import (
    Respond,
    input_mutation,
    mutation,
    node_field,
    node_mutation,
    user_errors,
)
from schema.permissions import requires

_JOB = "The job as committed; null when `errors` is not empty."


# -- transitions ---------------------------------------------------------------------------


@strawberry.input(description="The inputs a status move may take; each move uses its own.")
class JobMoveFields:
    expected_version: int | None = optional(EXPECTED_VERSION)
    estimated_completion_date: date | None = optional(
        "Required to accept (→ ACCEPTED); not in the past."
    )
    decline_reason: job_enums.DeclineReason | None = optional("Required to decline (→ DECLINED).")
    decline_notes: str | None = optional("More about a decline (at most 2000 characters).")
    shipping_carrier: job_enums.ShippingCarrier | None = optional("Required to ship (→ SHIPPED).")
    tracking_number: str | None = optional("Required to ship (→ SHIPPED); at most 100 characters.")
    reason: str | None = optional("Why, kept in the status history (at most 2000 characters).")

    def request(self, id: strawberry.ID, status: job_enums.JobStatus) -> jobs.TransitionRequest:
        return jobs.TransitionRequest(
            id=id,
            status=status,
            expected_version=self.expected_version,
            inputs=provided(self, exclude=("id", "status", "expected_version", "reason")),
            reason=self.reason,
        )


@strawberry.input(description="Move a job to another status.")
class TransitionJobInput(JobMoveFields):
    id: strawberry.ID = strawberry.field(description="The job.")
    status: job_enums.JobStatus = strawberry.field(description="The status to move it to.")


@strawberry.type(description="The result of a mutation on a job.")
class JobPayload:
    job: ManufacturingJob | None = strawberry.field(description=_JOB)
    errors: list[UserError] = user_errors()


@strawberry.input(description="One move of a batch.")
class BatchJobMove(JobMoveFields):
    id: strawberry.ID = strawberry.field(description="The job.")
    status: job_enums.JobStatus = strawberry.field(description="The status to move it to.")


@strawberry.input(description="Several moves, each applied on its own (at most 50).")
class BatchTransitionJobsInput:
    items: list[BatchJobMove] = strawberry.field(description="The moves, applied in order.")


@strawberry.type(description="What became of one move of a batch.")
class BatchJobResult:
    job_id: strawberry.ID = strawberry.field(description="The job ID as given.")
    job: ManufacturingJob | None = strawberry.field(description="The job; null if it failed.")
    errors: list[UserError] = user_errors(
        'Why this move changed nothing; fields are ["input", "items", i, ...].'
    )


@strawberry.type(description="The result of a batch of moves, one result per item, in order.")
class BatchTransitionJobsPayload:
    results: list[BatchJobResult] = strawberry.field(description="One per item, in order.")
    errors: list[UserError] = user_errors(
        "Why the batch as a whole was refused (e.g. too many items)."
    )


# -- progress, notes, photos, issues -------------------------------------------------------


@strawberry.input(description="Report production progress (IN_PRODUCTION only).")
class UpdateJobProgressInput:
    id: strawberry.ID = strawberry.field(description="The job.")
    progress_percent: int = strawberry.field(description="0 to 100.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="What a job actually cost.")
class EnterJobActualCostInput:
    id: strawberry.ID = strawberry.field(description="The job.")
    actual_cost: Decimal = strawberry.field(description='What making it cost, e.g. "1100.00".')
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="A note on a job.")
class AddJobNoteInput:
    job_id: strawberry.ID = strawberry.field(description="The job.")
    content: str = strawberry.field(description="The text (at most 5000 characters).")


@strawberry.type(description="The result of adding a note.")
class AddJobNotePayload:
    note: JobNote | None = strawberry.field(description="The note; null on errors.")
    job: ManufacturingJob | None = strawberry.field(description=_JOB)
    errors: list[UserError] = user_errors()


@strawberry.input(description='A photo of a job, uploaded with the request (README "Files").')
class AddJobPhotoInput:
    job_id: strawberry.ID = strawberry.field(description="The job.")
    file: Upload = strawberry.field(
        description="The photo: JPEG, PNG or WebP up to 10 MB, a file part of a multipart "
        "request (GraphQL multipart request spec). Its EXIF metadata (GPS) is removed."
    )
    stage: job_enums.PhotoStage = strawberry.field(
        description="The stage it shows (QC to pass QC)."
    )
    caption: str | None = optional("What it shows.")


@strawberry.type(description="The result of adding a photo.")
class AddJobPhotoPayload:
    photo: JobPhoto | None = strawberry.field(description="The photo; null on errors.")
    job: ManufacturingJob | None = strawberry.field(description=_JOB)
    errors: list[UserError] = user_errors()


@strawberry.input(description="A problem with a job.")
class ReportJobIssueInput:
    job_id: strawberry.ID = strawberry.field(description="The job.")
    type: job_enums.IssueType = strawberry.field(description="What kind of problem.")
    severity: job_enums.IssueSeverity = strawberry.field(description="How serious.")
    description: str = strawberry.field(description="What happened (at most 5000 characters).")
    impact: job_enums.IssueImpact | None = optional("Effect on delivery.")
    hold_job: bool = strawberry.field(
        default=False, description="Hold the job: it cannot move forward until resolved."
    )


@strawberry.input(description="Close an issue.")
class ResolveJobIssueInput:
    issue_id: strawberry.ID = strawberry.field(description="The issue.")
    resolution: str | None = optional("How it was resolved.")


@strawberry.type(description="The result of reporting or resolving an issue.")
class JobIssuePayload:
    issue: JobIssue | None = strawberry.field(description="The issue; null on errors.")
    job: ManufacturingJob | None = strawberry.field(description=_JOB)
    errors: list[UserError] = user_errors()


def _details(input: Any) -> dict[str, Any]:
    """What an input adds to its job (a photo, an issue): every field but the job's ID."""
    return provided(input, exclude=("job_id",))


def _with_its_job(payload: type[Any]) -> Respond[Any]:
    """Answer with the node a rule added to a job (a note, a photo, an issue), as committed,
    and the job it belongs to."""
    field, node = node_field(payload)

    async def respond(info: Info[Any, Any], _: Any, entity: Any, errors: list[UserError]) -> Any:
        child = await reload(info, node, entity)
        job = await load_node(info, ManufacturingJob, child.job_id) if child else None
        return payload(**{field: child, "job": job, "errors": errors})

    return respond


async def _batch_transition(
    info: Info[Any, Any], input: BatchTransitionJobsInput
) -> BatchTransitionJobsPayload:
    requests = [item.request(item.id, item.status) for item in input.items]
    if len(requests) > jobs.MAX_BATCH:
        too_many = [
            UserError(
                code=ErrorCode.VALIDATION,
                field=["input", "items"],
                message=f"At most {jobs.MAX_BATCH} jobs per batch (got {len(requests)})",
            )
        ]
        return BatchTransitionJobsPayload(results=[], errors=too_many)
    outcomes = await jobs.batch_transition(request_context(info), requests)
    loaded = await load_nodes(
        info, ManufacturingJob, [o.job_id for o in outcomes if o.job_id is not None]
    )
    by_pk = {node.pk: node for node in loaded}
    return BatchTransitionJobsPayload(
        results=[
            BatchJobResult(
                job_id=strawberry.ID(outcome.id),
                job=by_pk.get(outcome.job_id) if outcome.job_id else None,
                errors=UserError.from_problems(outcome.problems),
            )
            for outcome in outcomes
        ],
        errors=[],
    )


@strawberry.type
class JobMutation:
    transition_job = node_mutation(
        JobPayload,
        TransitionJobInput,
        Permission.WORK_ON_JOBS,
        "Move a job along the job workflow (SPEC §2.1). Moves that need inputs "
        "(accept: estimatedCompletionDate; decline: declineReason; ship: shippingCarrier and "
        "trackingNumber) refuse without them (VALIDATION); moves the workflow does not allow "
        "from here, or not to you, are INVALID_TRANSITION.",
        lambda s, actor, input: jobs.transition_job(
            s, actor, input.request(input.id, input.status)
        ),
    )

    batch_transition_jobs = input_mutation(
        BatchTransitionJobsPayload,
        BatchTransitionJobsInput,
        Permission.WORK_ON_JOBS,
        "Move several jobs (at most 50), each in its own transaction: one "
        "refused move leaves the others applied. Results come in the order given.",
        _batch_transition,
    )

    update_job_progress = node_mutation(
        JobPayload,
        UpdateJobProgressInput,
        Permission.WORK_ON_JOBS,
        "Report production progress, 0-100; only while IN_PRODUCTION "
        "(INVALID_TRANSITION otherwise).",
        lambda s, actor, input: jobs.update_progress(
            s, actor, input.id, input.progress_percent, input.expected_version
        ),
    )

    enter_job_actual_cost = node_mutation(
        JobPayload,
        EnterJobActualCostInput,
        Permission.ENTER_ACTUAL_COSTS,
        "Enter what a job actually cost (a manufacturer: its own jobs; it still sees no other "
        "cost field). The cost and margin reports use it (BR-32).",
        lambda s, actor, input: jobs.enter_actual_cost(
            s, actor, input.id, input.actual_cost, input.expected_version
        ),
    )

    add_job_note = mutation(
        AddJobNotePayload,
        AddJobNoteInput,
        Permission.WORK_ON_JOBS,
        "Add a note to a job. Its author role follows yours; a note by our staff "
        "notifies the manufacturer.",
        lambda s, actor, input: jobs.add_note(s, actor, input.job_id, input.content),
        _with_its_job(AddJobNotePayload),
    )

    @strawberry.mutation(
        description="Add a photo to a job, uploaded with the request (QC photos let it pass "
        "QC). The file is checked by its content (FILE_* codes) after the job: a refused "
        "photo stores nothing.",
        extensions=requires(Permission.WORK_ON_JOBS),
    )
    async def add_job_photo(
        self, info: Info[Any, Any], input: Annotated[AddJobPhotoInput, INPUT]
    ) -> AddJobPhotoPayload:
        ctx = request_context(info)
        files = ctx.settings.files
        outcome = await jobs.add_photo(
            ctx,
            input.job_id,
            file=input.file,
            stage=input.stage,
            caption=input.caption,
            storage=storage_for(files),
            max_upload_bytes=files.max_upload_bytes,
        )
        photo, errors = outcome.value, UserError.from_problems(outcome.problems)
        respond: Respond[AddJobPhotoInput] = _with_its_job(AddJobPhotoPayload)
        payload: AddJobPhotoPayload = await respond(info, input, photo, errors)
        return payload

    report_job_issue = mutation(
        JobIssuePayload,
        ReportJobIssueInput,
        Permission.WORK_ON_JOBS,
        "Report an issue on a job; the admins are notified (high priority for "
        "high and critical ones). With holdJob the job cannot move forward until resolved.",
        lambda s, actor, input: jobs.report_issue(s, actor, input.job_id, **_details(input)),
        _with_its_job(JobIssuePayload),
    )

    resolve_job_issue = mutation(
        JobIssuePayload,
        ResolveJobIssueInput,
        Permission.WORK_ON_JOBS,
        "Resolve an issue; the job leaves hold when no other open issue holds it.",
        lambda s, actor, input: jobs.resolve_issue(s, actor, input.issue_id, input.resolution),
        _with_its_job(JobIssuePayload),
    )
