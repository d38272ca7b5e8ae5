"""What happens to a manufacturing job that other domains react to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from auth.actor import Actor
from db.models import ManufacturingJob
from resolvers.domain_events import DomainEvent


@dataclass(frozen=True)
class JobEvent(DomainEvent):
    job: ManufacturingJob
    actor: Actor  # who caused it (reactions act as the system on their behalf)
    at: datetime


@dataclass(frozen=True)
class JobStartedProduction(JobEvent):
    """ACCEPTED → IN_PRODUCTION (orders follow: the first one starts the order)."""


@dataclass(frozen=True)
class JobShipped(JobEvent):
    """READY_TO_SHIP → SHIPPED (orders show it on the timeline)."""


@dataclass(frozen=True)
class JobDeclined(JobEvent):
    """NEW → DECLINED (routing replaces the job, BR-8)."""


@dataclass(frozen=True)
class JobAssigned(DomainEvent):
    """Routing gave a PENDING_ASSIGNMENT job to a manufacturer (assignJob); published before
    routing records its decision, so the job's own move (to NEW) is refused first."""

    job: ManufacturingJob
    manufacturer_id: uuid.UUID
    actor: Actor
    reason: str | None


@dataclass(frozen=True)
class JobReassigned(DomainEvent):
    """Routing moves a NEW or ACCEPTED job to another manufacturer (reassignJob); published
    before the job's manufacturer changes, so an acceptance is withdrawn first."""

    job: ManufacturingJob
    actor: Actor
    reason: str
