"""Manufacturing jobs, their items, notes, photos and issues, and notifications.

Importing the package registers its node types (schema.node), so `node(id:)`, relations and
lists apply their read permission and ownership rule.
"""

from auth.permissions import Permission
from resolvers.jobs import sources as job_sources
from resolvers.owners import MANUFACTURER_RECORD
from schema.jobs.mutations import JobMutation
from schema.jobs.queries import JobQuery
from schema.jobs.types import JobIssue, JobItem, JobNote, JobPhoto, ManufacturingJob, Notification
from schema.node import register_node

for _type, _source in (
    (ManufacturingJob, job_sources.JOBS),
    (JobItem, job_sources.JOB_ITEMS),
    (JobNote, job_sources.JOB_NOTES),
    (JobPhoto, job_sources.JOB_PHOTOS),
    (JobIssue, job_sources.JOB_ISSUES),
):
    register_node(_type, _source, read=Permission.VIEW_JOBS, owner=MANUFACTURER_RECORD)
register_node(
    Notification,
    job_sources.NOTIFICATIONS,
    read=Permission.VIEW_NOTIFICATIONS,
    owner=MANUFACTURER_RECORD,
)

__all__ = ["JobMutation", "JobQuery"]
