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

# -- procurement (issue 27) ---------------------------------------------------------------------
from domain.procurement import (  # noqa: E402
    LotStatus,
    PoPaymentStatus,
    PurchaseOrderStatus,
    SupplierStatus,
)

SU = SupplierStatus
# SPEC §2.4: active ↔ inactive, active → suspended, suspended → active, suspended → blocked.
SUPPLIER_MOVES = frozenset(
    {
        (SU.ACTIVE, SU.INACTIVE),
        (SU.INACTIVE, SU.ACTIVE),
        (SU.ACTIVE, SU.SUSPENDED),
        (SU.SUSPENDED, SU.ACTIVE),
        (SU.SUSPENDED, SU.BLOCKED),
    }
)

PO = PurchaseOrderStatus
# SPEC §2.5: draft → submitted → confirmed → partially_shipped → shipped → partially_received
# → received → closed, the partially_* steps optional (Rec), so after confirmed each of them
# may be skipped; cancelled only from draft, submitted or confirmed; closed and cancelled
# terminal.
PURCHASE_ORDER_MOVES = frozenset(
    {
        (PO.DRAFT, PO.SUBMITTED),
        (PO.SUBMITTED, PO.CONFIRMED),
        (PO.CONFIRMED, PO.PARTIALLY_SHIPPED),
        (PO.CONFIRMED, PO.SHIPPED),
        (PO.CONFIRMED, PO.PARTIALLY_RECEIVED),
        (PO.CONFIRMED, PO.RECEIVED),
        (PO.PARTIALLY_SHIPPED, PO.SHIPPED),
        (PO.PARTIALLY_SHIPPED, PO.PARTIALLY_RECEIVED),
        (PO.PARTIALLY_SHIPPED, PO.RECEIVED),
        (PO.SHIPPED, PO.PARTIALLY_RECEIVED),
        (PO.SHIPPED, PO.RECEIVED),
        (PO.PARTIALLY_RECEIVED, PO.RECEIVED),
        (PO.RECEIVED, PO.CLOSED),
        (PO.DRAFT, PO.CANCELLED),
        (PO.SUBMITTED, PO.CANCELLED),
        (PO.CONFIRMED, PO.CANCELLED),
    }
)

PP = PoPaymentStatus
# SPEC §2.5 "PO payment: pending → confirmed or failed".
PAYMENT_MOVES = frozenset({(PP.PENDING, PP.CONFIRMED), (PP.PENDING, PP.FAILED)})

LS = LotStatus
# SPEC §2.6: pending → quarantined (QC started) → active (pass) or rejected (fail); active →
# expired or recalled; §9 #18: active → quarantined (admins, with a reason).
LOT_MOVES = frozenset(
    {
        (LS.PENDING, LS.QUARANTINED),
        (LS.QUARANTINED, LS.ACTIVE),
        (LS.QUARANTINED, LS.REJECTED),
        (LS.ACTIVE, LS.EXPIRED),
        (LS.ACTIVE, LS.RECALLED),
        (LS.ACTIVE, LS.QUARANTINED),
    }
)
