"""What the 3PL's QC does to procurement's lots (issue 27 item 7): starting a lot's
inspection quarantines the lot; completing it passes or rejects the lot. Procurement moves
the lot through LOT_WORKFLOW, whose own events bring the ledger along (BR-19)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from auth.actor import Actor
from db.models import QcInspection
from resolvers.domain_events import DomainEvent


@dataclass(frozen=True)
class LotQcEvent(DomainEvent):
    inspection: QcInspection
    lot_id: uuid.UUID
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class LotQcStarted(LotQcEvent):
    """PENDING → IN_PROGRESS: the lot goes PENDING → QUARANTINED."""


@dataclass(frozen=True)
class LotQcCompleted(LotQcEvent):
    """IN_PROGRESS → COMPLETED: a pass makes the lot ACTIVE, a failure REJECTED (`reason`)."""

    passed: bool
    reason: str
