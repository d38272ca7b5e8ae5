"""What happens to a manufacturer's account that other domains react to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from auth.actor import Actor
from domain.enums import PaymentStanding
from resolvers.domain_events import DomainEvent


@dataclass(frozen=True)
class ManufacturerAccountRecalculated(DomainEvent):
    """Finance recalculated what we owe a manufacturer (BR-25, BR-28, §2.14) after an
    approval, a payment or a void, under the manufacturer's lock. The catalog, which owns the
    manufacturer row, writes the figures there, where routing's credit check (BR-24) reads
    them; `credit_hold` (60+ days past due) turns the manufacturer's credit hold on."""

    manufacturer_id: uuid.UUID
    current_balance: Decimal
    credit_balance: Decimal
    payment_standing: PaymentStanding
    credit_hold: bool
    actor: Actor
