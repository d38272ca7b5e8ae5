"""What manufacturing jobs add to the graph (schema/domain.py): a manufacturer owns its
jobs and everything hanging off them."""

from __future__ import annotations

from auth.permissions import Permission
from domain.ownership import Owner
from resolvers.jobs import sources
from resolvers.jobs.rules import MAX_BATCH
from resolvers.owners import MANUFACTURER_RECORD
from schema.domain import GraphDomain, NodeType
from schema.files import File
from schema.jobs.mutations import JobMutation
from schema.jobs.queries import JobQuery
from schema.jobs.subscriptions import JobSubscription
from schema.jobs.types import JobIssue, JobItem, JobNote, JobPhoto, ManufacturingJob

# A job photo's file carries its job's manufacturer as `owner_id` (resolvers.files.held_files).
FILE_OWNER = Owner(column="owner_id", claim="manufacturer_id")

JOBS = GraphDomain(
    name="jobs",
    query=JobQuery,
    mutation=JobMutation,
    subscription=JobSubscription,
    nodes=(
        *(
            NodeType(node_type, source, Permission.VIEW_JOBS, MANUFACTURER_RECORD)
            for node_type, source in (
                (ManufacturingJob, sources.JOBS),
                (JobItem, sources.JOB_ITEMS),
                (JobNote, sources.JOB_NOTES),
                (JobPhoto, sources.JOB_PHOTOS),
                (JobIssue, sources.JOB_ISSUES),
            )
        ),
        # `node(id:)` on a File finds job photos' files (their links follow the photo's
        # rule through `holder`/`owner_id`, schema/files.py).
        NodeType(File, sources.JOB_PHOTO_FILES, Permission.VIEW_JOBS, FILE_OWNER),
    ),
    # Lines, notes, issues and history of one job; a batch input's maximum size.
    list_sizes={
        "ManufacturingJob.items": 20,
        "ManufacturingJob.jobNotes": 50,
        "ManufacturingJob.issues": 10,
        "ManufacturingJob.statusHistory": 20,
        "BatchTransitionJobsPayload.results": MAX_BATCH,
    },
)
