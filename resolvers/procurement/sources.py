"""What the procurement lists and loaders read from, and how their filters become SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, and_, or_, select

from db.models import (
    AuditLog,
    Lot,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderPayment,
    Supplier,
    SupplierPriceList,
)
from domain.procurement import (
    OPEN_PO_STATUSES,
    PaymentStatus,
    PurchaseOrderStatus,
    SupplierStatus,
)
from resolvers.filters import containing, equal, one_of

SUPPLIERS: FromClause = Supplier.__table__
PRICE_LISTS: FromClause = SupplierPriceList.__table__
PURCHASE_ORDERS: FromClause = PurchaseOrder.__table__
PURCHASE_ORDER_LINES: FromClause = PurchaseOrderLine.__table__
PURCHASE_ORDER_PAYMENTS: FromClause = PurchaseOrderPayment.__table__
LOTS: FromClause = Lot.__table__

# The entity types whose audit entries the procurement audit log shows (issue 27 item 10).
AUDITED_ENTITIES = (
    "Supplier",
    "SupplierPriceList",
    "PurchaseOrder",
    "PurchaseOrderPayment",
    "Lot",
    # COAs and the lots they cover (issue 27 item 8).
    "Coa",
    "LotCoa",
)


def _procurement_audit() -> FromClause:
    table = AuditLog.__table__
    return (
        select(table)
        .where(table.c.entity_type.in_(AUDITED_ENTITIES))
        .subquery("procurement_audit_log")
    )


PROCUREMENT_AUDIT: FromClause = _procurement_audit()


def supplier_conditions(
    *, statuses: Sequence[SupplierStatus] | None, search: str | None
) -> list[ColumnElement[bool]]:
    t = SUPPLIERS.c
    return [
        *one_of(t.status, [s.value for s in statuses or ()]),
        *containing([t.name, t.code], search),
    ]


def in_effect(at: datetime) -> ColumnElement[bool]:
    """BR-43 at a moment: active, in effect, not expired."""
    t = PRICE_LISTS.c
    return and_(
        t.is_active.is_(True),
        t.effective_date <= at,
        or_(t.expires_at.is_(None), t.expires_at > at),
    )


def price_list_conditions(
    *,
    supplier_id: uuid.UUID | None,
    product_id: uuid.UUID | None,
    is_active: bool | None,
    effective_at: datetime | None,
) -> list[ColumnElement[bool]]:
    t = PRICE_LISTS.c
    conditions = [*equal((t.supplier_id, supplier_id), (t.product_id, product_id))]
    conditions += equal((t.is_active, is_active))
    if effective_at is not None:
        conditions.append(in_effect(effective_at))
    return conditions


def purchase_order_conditions(
    *,
    supplier_id: uuid.UUID | None,
    statuses: Sequence[PurchaseOrderStatus] | None,
    payment_statuses: Sequence[PaymentStatus] | None,
    ordered_after: datetime | None,
    ordered_before: datetime | None,
    expected_after: datetime | None,
    expected_before: datetime | None,
    overdue: bool | None,
    search: str | None,
    now: datetime,
) -> list[ColumnElement[bool]]:
    t = PURCHASE_ORDERS.c
    conditions = [
        *equal((t.supplier_id, supplier_id)),
        *one_of(t.status, [s.value for s in statuses or ()]),
        *one_of(t.payment_status, [s.value for s in payment_statuses or ()]),
        *containing([t.po_number, t.supplier_reference], search),
    ]
    for column, bound, after in (
        (t.ordered_at, ordered_after, True),
        (t.ordered_at, ordered_before, False),
        (t.expected_at, expected_after, True),
        (t.expected_at, expected_before, False),
    ):
        if bound is not None:
            conditions.append(column >= bound if after else column < bound)
    if overdue is not None:
        late = and_(
            t.status.in_([s.value for s in OPEN_PO_STATUSES]),
            t.expected_at.is_not(None),
            t.expected_at < now,
        )
        conditions.append(late if overdue else ~late)
    return conditions


def audit_conditions(
    *,
    entity_type: str | None,
    entity_id: uuid.UUID | None,
    actor: str | None,
    since: datetime | None,
    until: datetime | None,
) -> list[ColumnElement[bool]]:
    t = PROCUREMENT_AUDIT.c
    conditions = [
        *equal((t.entity_type, entity_type), (t.entity_id, entity_id), (t.actor_id, actor))
    ]
    if since is not None:
        conditions.append(t.occurred_at >= since)
    if until is not None:
        conditions.append(t.occurred_at < until)
    return conditions


def effective_price_query(
    supplier_id: uuid.UUID, product_id: uuid.UUID, at: datetime, currency: str | None = None
) -> Select[Any]:
    """BR-43 at `at`: the active price list in effect and not expired; when several are,
    the one that took effect last (then the newest)."""
    t = PRICE_LISTS.c
    statement = (
        select(PRICE_LISTS)
        .where(
            t.supplier_id == supplier_id,
            t.product_id == product_id,
            t.deleted_at.is_(None),
            in_effect(at),
        )
        .order_by(t.effective_date.desc(), t.created_at.desc(), t.id)
        .limit(1)
    )
    if currency is not None:
        statement = statement.where(t.currency == currency)
    return statement


def in_effect_now(row: Any, at: datetime) -> bool:
    """BR-43 on a price list already read (what `in_effect` asks of SQL)."""
    return bool(
        row.is_active
        and row.effective_date <= at
        and (row.expires_at is None or row.expires_at > at)
    )


# A product's supplier prices (Product.supplierPrices): the active price lists, read for a
# whole page of products at once; their dates are checked on the rows (`in_effect_now`), so
# one statement serves every request whatever its "now".
ACTIVE_PRICE_LISTS: FromClause = (
    select(PRICE_LISTS).where(PRICE_LISTS.c.is_active.is_(True)).subquery("active_price_lists")
)
