"""The Subscription root: an order's changes, jobs' changes, and the viewer's notifications.

Each subscription checks on subscribe what the matching query would (the permission, and
that the followed order/job is the viewer's to see), then checks every event again: an
event the viewer may not see is not sent, and a job moved away from a manufacturer is
announced to it once (`accessEnded`) and then no longer streamed.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from auth.access import deny_not_owned
from auth.permissions import Permission
from db.change_log import CommittedChange
from db.publications import (
    ALL_JOBS,
    job_channel,
    manufacturer_jobs_channel,
    notifications_channel,
    order_channel,
)
from domain.enums import ChangeType
from domain.jobs import JobStatus, NotificationAudience
from resolvers.ids import InvalidGlobalId, decode_id
from resolvers.notifications.rules import followed_audience
from resolvers.realtime import decode_cursor
from schema.context import request_context
from schema.jobs.types import JobNote, JobPhoto, ManufacturingJob, Notification
from schema.node import Visibility, load_node, visibility
from schema.orders.types import FulfillmentEvent, Order
from schema.realtime.events import (
    ChangeEvent,
    ColumnValues,
    committed_node,
    committed_values,
    event_fields,
    hidden_event_fields,
)
from schema.realtime.messages import MessageGroup

ORDERS_TABLE = "orders"
JOBS_TABLE = "manufacturing_jobs"
NOTES_TABLE = "job_notes"


@strawberry.type(description="A change of one order: the order updated, or a timeline entry added.")
class OrderChange(ChangeEvent):
    order: Order | None = strawberry.field(
        description="The order as this change committed it; its relations (jobs, lines, "
        "timeline) load like any query."
    )
    fulfillment_event: FulfillmentEvent | None = strawberry.field(
        description="The timeline entry this change added (table `fulfillment_events`)."
    )


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


@strawberry.type(description="A notification for the viewer was created.")
class NotificationAdded(ChangeEvent):
    notification: Notification = strawberry.field(description="The new notification.")


def _not_found(type_name: str, global_id: str) -> GraphQLError:
    return GraphQLError(f"No {type_name} with ID {global_id}", extensions={"code": "NOT_FOUND"})


def _pk(global_id: str, type_name: str) -> uuid.UUID:
    try:
        found, pk = decode_id(global_id)
    except InvalidGlobalId:
        raise _not_found(type_name, global_id) from None
    if found != type_name:
        raise _not_found(type_name, global_id)
    return pk


def _after(after: str | None) -> int | None:
    return None if after is None else decode_cursor(after)


async def _order_changes(
    info: Info[Any, Any], group: MessageGroup, global_id: str, after: str | None
) -> AsyncGenerator[OrderChange, None]:
    seen = visibility(info, Order)
    pk = _pk(global_id, "Order")
    cursor = _after(after)
    if await load_node(info, Order, pk) is None:
        raise _not_found("Order", global_id)
    async for record in group.changes(order_channel(pk), cursor):
        if record.table == ORDERS_TABLE:
            order = await committed_node(info, Order, seen, pk, record, as_committed=True)
            event = None
        else:
            order = await committed_node(info, Order, seen, pk, record)
            event = FulfillmentEvent.from_row(ColumnValues(committed_values(record)))
        if order is None:
            continue
        yield OrderChange(
            order=order, fulfillment_event=event, **event_fields(info, record, Order, order)
        )


def _job_channel_for(
    info: Info[Any, Any], seen: Visibility, job_pk: uuid.UUID | None, manufacturer: str | None
) -> tuple[str, uuid.UUID | None]:
    """The channel a jobChanged subscription follows, and the manufacturer it filters on."""
    manufacturer_pk = _pk(manufacturer, "Manufacturer") if manufacturer is not None else None
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
    job_pk = _pk(job_id, "ManufacturingJob") if job_id is not None else None
    channel, manufacturer_pk = _job_channel_for(info, seen, job_pk, manufacturer_id)
    cursor = _after(after)
    if job_pk is not None and await load_node(info, ManufacturingJob, job_pk) is None:
        raise _not_found("ManufacturingJob", job_id or "")
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


async def _notifications_added(
    info: Info[Any, Any],
    group: MessageGroup,
    audience: NotificationAudience | None,
    after: str | None,
) -> AsyncGenerator[NotificationAdded, None]:
    seen = visibility(info, Notification)
    followed = followed_audience(seen.restricted, audience)
    if followed is None or (seen.restricted and seen.owner_id is None):
        actor = request_context(info).actor
        raise deny_not_owned(actor, Permission.VIEW_NOTIFICATIONS, info.path.as_list())
    channel = notifications_channel(followed, seen.owner_id if seen.restricted else None)
    cursor = _after(after)
    async for record in group.changes(channel, cursor):
        if record.event_type is not ChangeType.INSERT:
            continue
        notification = await committed_node(
            info, Notification, seen, record.entity_id, record, as_committed=True
        )
        if notification is None:
            continue
        yield NotificationAdded(
            notification=notification,
            **event_fields(info, record, Notification, notification),
        )


AfterCursor = Annotated[
    str | None,
    strawberry.argument(
        description="Resume after this event's `cursor`: every later change is replayed, "
        "then the stream continues live. Omit to start from now."
    ),
]


@strawberry.type
class RealtimeSubscription:
    @strawberry.subscription(
        description="Every change of one order as it commits: the order's updates and each "
        "new fulfillment event. With `after` (an event's cursor) every change since is "
        "replayed first, then it continues live: no gap, no duplicate."
    )
    async def order_changed(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="The order to follow.")],
        after: AfterCursor = None,
    ) -> AsyncGenerator[OrderChange, None]:
        group = MessageGroup(info)
        async for event in group.sent(_order_changes(info, group, id, after)):
            yield event

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

    @strawberry.subscription(
        description="Notifications created for the viewer: a manufacturer's own; for staff, "
        "those of `audience` (the admins' by default). `after` resumes from a cursor."
    )
    async def notification_added(
        self,
        info: Info[Any, Any],
        audience: Annotated[
            NotificationAudience | None,
            strawberry.argument(description="Staff only: whose notifications (default ADMIN)."),
        ] = None,
        after: AfterCursor = None,
    ) -> AsyncGenerator[NotificationAdded, None]:
        group = MessageGroup(info)
        async for event in group.sent(_notifications_added(info, group, audience, after)):
            yield event
