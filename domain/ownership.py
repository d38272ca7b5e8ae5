"""Who owns a record, as data: the record's column naming its owner and the caller's claim
that must match it. auth.access decides what an `OWN` grant covers with it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    """Which column of a record names its owner, and which actor claim must match it."""

    column: str
    claim: str  # an `Actor` attribute: "manufacturer_id" or "customer_id"

    def of(self, actor: object) -> uuid.UUID | None:
        value: uuid.UUID | None = getattr(actor, self.claim)
        return value
