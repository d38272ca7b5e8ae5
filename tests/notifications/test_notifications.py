"""Notifications: listed per audience, marked read, others' not markable (SPEC §1.2)."""

from __future__ import annotations

from typing import Any

import pytest

from auth.permissions import Role
from db.models import Notification
from domain.jobs import JobStatus
from domain.notifications import NotificationAudience, NotificationPriority, NotificationType
from resolvers.notify import notify_admins, notify_manufacturer
from tests.support import seeding
from tests.support.db_state import snapshot
from tests.support.graphql import GraphQLClient
from tests.support.job_support import Catalog, catalog

LIST = """query($filter: NotificationFilter) { notifications(filter: $filter) {
    totalCount edges { node { id title type audience priority isRead readAt job { jobNumber } } } } }"""
MARK = """mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) {
    notifications { title isRead readAt } errors { code field message } } }"""
MARK_ALL = """mutation($input: MarkAllNotificationsReadInput!) {
    markAllNotificationsRead(input: $input) { markedCount errors { code } } }"""


@pytest.fixture
async def world(client: GraphQLClient, database: Any) -> Catalog:
    return await catalog(client, database)


async def _seed(world: Catalog) -> dict[str, Notification]:
    job = await world.job(JobStatus.NEW)
    async with world.database.transaction() as session:
        made = {
            "own": notify_manufacturer(
                session, world.own_id, NotificationType.NEW_JOB, "own", "m", job_id=job.id
            ),
            "own2": notify_manufacturer(
                session, world.own_id, NotificationType.NOTE_ADDED, "own2", "m"
            ),
            "other": notify_manufacturer(
                session, world.other_id, NotificationType.NEW_JOB, "other", "m"
            ),
            "admin": notify_admins(
                session,
                NotificationType.ISSUE_REPORTED,
                "admin",
                "m",
                priority=NotificationPriority.HIGH,
            ),
        }
    return made


async def _titles(client: GraphQLClient, **filter: Any) -> list[str]:
    data = await client(LIST, {"filter": filter or None})
    return sorted(e["node"]["title"] for e in data["notifications"]["edges"])


async def test_listed_per_audience(world: Catalog) -> None:
    await _seed(world)
    manufacturer = world.manufacturer()
    assert await _titles(manufacturer) == ["own", "own2"]
    assert await _titles(manufacturer, audience="ADMIN") == []
    assert await _titles(manufacturer, types=["NEW_JOB"]) == ["own"]
    assert await _titles(world.admin) == ["admin"]
    assert await _titles(world.admin.as_role(Role.OPS)) == ["admin"]
    assert await _titles(world.admin, audience="MANUFACTURER") == ["other", "own", "own2"]
    data = await manufacturer(LIST, {"filter": {"types": ["NEW_JOB"]}})
    [edge] = data["notifications"]["edges"]
    assert edge["node"]["job"] is not None
    body = await world.admin.as_role(Role.SALES).raw(LIST)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_marked_read_and_unread_filter(world: Catalog) -> None:
    made = await _seed(world)
    manufacturer = world.manufacturer()
    payload = await manufacturer.mutate(MARK, {"input": {"ids": [seeding.gid(made["own"])]}})
    assert payload["errors"] == []
    [marked] = payload["notifications"]
    assert marked["isRead"] and marked["readAt"] is not None
    assert await _titles(manufacturer, unread=True) == ["own2"]
    assert await _titles(manufacturer, unread=False) == ["own"]

    payload = await manufacturer.mutate(MARK_ALL, {"input": {}})
    assert payload == {"markedCount": 1, "errors": []}
    assert await _titles(manufacturer, unread=True) == []
    # The admins' and the other manufacturer's stay unread.
    assert await _titles(world.admin, unread=True) == ["admin"]
    assert await _titles(world.admin, audience="MANUFACTURER", unread=True) == ["other"]
    payload = await world.admin.mutate(MARK_ALL, {"input": {}})
    assert payload["markedCount"] == 1
    assert await _titles(world.admin, audience="MANUFACTURER", unread=True) == ["other"]


async def test_others_notifications_are_not_markable(world: Catalog) -> None:
    made = await _seed(world)
    manufacturer = world.manufacturer()
    before = await snapshot(world.database)
    payload = await manufacturer.mutate(
        MARK,
        {
            "input": {
                "ids": [
                    seeding.gid(made["own"]),
                    seeding.gid(made["other"]),
                    seeding.gid(made["admin"]),
                ]
            }
        },
    )
    assert payload["notifications"] == []
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("NOT_FOUND", ["input", "ids", "1"]),
        ("NOT_FOUND", ["input", "ids", "2"]),
    ]
    assert await snapshot(world.database) == before  # the own one was not marked either
    payload = await manufacturer.mutate(
        MARK_ALL, {"input": {"audience": NotificationAudience.ADMIN.name}}
    )
    assert payload["markedCount"] == 0
    assert await snapshot(world.database) == before


async def test_transitions_notify_the_admins_and_assignment_the_manufacturer(
    world: Catalog,
) -> None:
    job = await world.job(JobStatus.NEW)
    await world.manufacturer().mutate(
        "mutation($i: TransitionJobInput!) { transitionJob(input: $i) { errors { code } } }",
        {"i": {"id": seeding.gid(job), "status": "DECLINED", "declineReason": "CAPACITY"}},
    )
    data = await world.admin(LIST, {"filter": {"types": ["STATUS_CHANGED"]}})
    [edge] = [
        e for e in data["notifications"]["edges"] if e["node"]["job"]["jobNumber"] == job.job_number
    ]
    assert (edge["node"]["audience"], edge["node"]["priority"]) == ("ADMIN", "LOW")
