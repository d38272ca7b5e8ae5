"""The moves SPEC §2.1 and §2.2 allow, transcribed from the spec once: the state machines as
declared (tests/shared/test_workflows.py) and as driven through the API (tests/jobs/,
tests/orders/) are checked against the same table."""

from __future__ import annotations

from itertools import pairwise

from domain.jobs import JobStatus
from domain.orders import OrderStatus

J = JobStatus
# SPEC §2.1 "Allowed transitions" (+ PENDING_ASSIGNMENT → NEW on assign).
JOB_MOVES = frozenset(
    {
        (J.NEW, J.ACCEPTED),
        (J.NEW, J.DECLINED),
        (J.ACCEPTED, J.IN_PRODUCTION),
        (J.ACCEPTED, J.NEW),
        (J.IN_PRODUCTION, J.QC),
        (J.IN_PRODUCTION, J.ACCEPTED),
        (J.QC, J.READY_TO_SHIP),
        (J.QC, J.IN_PRODUCTION),
        (J.READY_TO_SHIP, J.SHIPPED),
        (J.READY_TO_SHIP, J.QC),
        (J.PENDING_ASSIGNMENT, J.NEW),
    }
)

S = OrderStatus
# SPEC §2.2: the linear flow; canceled from draft, submitted or approved.
_ORDER_FLOW = (S.DRAFT, S.SUBMITTED, S.APPROVED, S.IN_PRODUCTION, S.FULFILLED)
ORDER_MOVES = frozenset(pairwise(_ORDER_FLOW)) | {
    (source, S.CANCELED) for source in (S.DRAFT, S.SUBMITTED, S.APPROVED)
}
