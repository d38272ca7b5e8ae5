"""What routing decisions are read from, and how their filter becomes SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, FromClause

from db.models import RoutingDecision
from domain.jobs import RoutedBy
from resolvers.filters import equal

DECISIONS: FromClause = RoutingDecision.__table__


def decision_conditions(
    *,
    order_id: uuid.UUID | None = None,
    job_id: uuid.UUID | None = None,
    manufacturer_id: uuid.UUID | None = None,
    routed_by: RoutedBy | None = None,
) -> list[ColumnElement[bool]]:
    t = DECISIONS.c
    conditions = equal((t.order_id, order_id), (t.job_id, job_id))
    if manufacturer_id is not None:
        # Decisions that gave it the job or took the job from it.
        conditions.append(
            (t.manufacturer_id == manufacturer_id) | (t.previous_manufacturer_id == manufacturer_id)
        )
    if routed_by is not None:
        conditions.append(t.routed_by == routed_by.value)
    return conditions
