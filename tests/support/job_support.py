"""Shared setup for the job tests (no tests here): a catalog, jobs in any state, and the
GraphQL documents the job tests send."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from auth.permissions import Role
from db.engine import Database
from db.models import (
    AuditLog,
    JobItem,
    JobPhoto,
    ManufacturingJob,
    Notification,
    OrderItem,
    StatusChange,
)
from domain.jobs import JobStatus, PhotoStage
from domain.orders import OrderStatus
from resolvers.ids import decode_id
from tests.support import factories, seeding
from tests.support.graphql import GraphQLClient

JOB_FIELDS = """
  id jobNumber status version dueDate estimatedCompletionDate progressPercent
  acceptedAt startedAt qcStartedAt qcPassedAt readyToShipAt shippedAt declinedAt
  trackingNumber shippingCarrier declineReason declineNotes hasOpenIssue onHold
"""
TRANSITION = (
    "mutation($input: TransitionJobInput!) { transitionJob(input: $input) { job { "
    + JOB_FIELDS
    + " } errors { code field message } } }"
)


def _uuid_of(node: str) -> Any:
    """A property: the UUID inside the ID of the node held in attribute `node`."""

    def read(self: Any) -> uuid.UUID:
        return decode_id(getattr(self, node)["id"])[1]

    return property(read)


@dataclass
class Catalog:
    admin: GraphQLClient
    database: Database
    own: dict[str, Any]
    other: dict[str, Any]
    family: dict[str, Any]
    variant: dict[str, Any]

    # The database UUIDs of the nodes above, for seeding rows directly.
    own_id = _uuid_of("own")
    other_id = _uuid_of("other")
    family_id = _uuid_of("family")
    variant_id = _uuid_of("variant")

    def manufacturer(self, manufacturer_id: uuid.UUID | None = None) -> GraphQLClient:
        """A manufacturer-role client (of the `own` manufacturer unless told otherwise)."""
        return self.admin.as_role(Role.MANUFACTURER, manufacturer_id=manufacturer_id or self.own_id)

    async def job(
        self,
        status: JobStatus = JobStatus.NEW,
        *,
        manufacturer_id: uuid.UUID | str | None = "own",
        order_status: OrderStatus = OrderStatus.APPROVED,
        items: int = 1,
        qc_photo: bool = False,
        **values: Any,
    ) -> ManufacturingJob:
        """A job in `status` for an order of its own (approved) with `items` lines."""
        if manufacturer_id == "own":
            manufacturer_id = self.own_id
        assert not isinstance(manufacturer_id, str)
        order = await seeding.order(
            self.database,
            status=order_status,
            items=[(self.variant_id, 5) for _ in range(items)],
        )
        job = await seeding.job(
            self.database,
            manufacturer_id=manufacturer_id,
            status=status,
            order_id=order.id,
            product_family_id=self.family_id,
            quantity=5 * items,
            **values,
        )
        async with self.database.transaction() as session:
            lines = (
                await session.scalars(select(OrderItem).where(OrderItem.order_id == order.id))
            ).all()
            for line in lines:
                session.add(JobItem(job_id=job.id, order_item_id=line.id, quantity=line.quantity))
            if qc_photo:
                session.add(
                    JobPhoto(
                        job_id=job.id, url="https://img.example.com/qc.jpg", stage=PhotoStage.QC
                    )
                )
        return job


async def catalog(admin: GraphQLClient, database: Database) -> Catalog:
    own = await factories.manufacturer(admin)
    other = await factories.manufacturer(admin)
    family = await factories.family(admin, defaultManufacturerId=own["id"])
    await factories.assignment(admin, family["id"], own["id"])
    product = await factories.product(admin, productFamilyId=family["id"])
    variant = await factories.variant(admin, product["id"])
    return Catalog(admin, database, own, other, family, variant)


async def history(database: Database, job_id: uuid.UUID) -> list[StatusChange]:
    async with database.transaction() as session:
        stmt = (
            select(StatusChange)
            .where(StatusChange.entity_id == job_id)
            .order_by(StatusChange.occurred_at)
        )
        return list((await session.scalars(stmt)).all())


async def audits(database: Database, entity_id: uuid.UUID) -> list[AuditLog]:
    async with database.transaction() as session:
        stmt = (
            select(AuditLog).where(AuditLog.entity_id == entity_id).order_by(AuditLog.occurred_at)
        )
        return list((await session.scalars(stmt)).all())


async def notifications(database: Database, job_id: uuid.UUID | None = None) -> list[Notification]:
    async with database.transaction() as session:
        stmt = select(Notification).order_by(Notification.created_at)
        if job_id is not None:
            stmt = stmt.where(Notification.job_id == job_id)
        return list((await session.scalars(stmt)).all())


async def load_job(database: Database, job_id: uuid.UUID) -> ManufacturingJob:
    async with database.transaction() as session:
        job = await session.get(ManufacturingJob, job_id)
        assert job is not None
        return job


async def transition(client: GraphQLClient, job: Any, status: str, **inputs: Any) -> Any:
    job_id = job if isinstance(job, str) else seeding.gid(job)
    return await client.mutate(TRANSITION, {"input": {"id": job_id, "status": status, **inputs}})
