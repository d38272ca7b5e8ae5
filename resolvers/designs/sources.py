"""What the designs list reads, and how its filter becomes SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, FromClause, func

from db.models import Design
from domain.designs import DesignStatus
from resolvers.filters import equal, one_of

DESIGNS: FromClause = Design.__table__


def design_conditions(
    *,
    statuses: Sequence[DesignStatus] | None = None,
    customer_id: uuid.UUID | None = None,
    search: str | None = None,
) -> list[ColumnElement[bool]]:
    t = DESIGNS.c
    conditions = [
        *one_of(t.status, [s.value for s in statuses or ()]),
        *equal((t.customer_id, customer_id)),
    ]
    if search:
        conditions.append(func.lower(t.title).like(f"%{search.strip().lower()}%"))
    return conditions
