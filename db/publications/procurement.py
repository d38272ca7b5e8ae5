"""Procurement's published tables: a purchase order, its lines, payments and lots go to
`purchase_order:{id}`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.change_log import Related, publish
from db.models import Lot, PurchaseOrder, PurchaseOrderLine, PurchaseOrderPayment


def purchase_order_channel(purchase_order_id: Any) -> str:
    return f"purchase_order:{purchase_order_id}"


def _order(row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    yield purchase_order_channel(row["id"])


def _child(row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    yield purchase_order_channel(row["purchase_order_id"])


publish(PurchaseOrder, _order)
for _model in (PurchaseOrderLine, PurchaseOrderPayment, Lot):
    publish(_model, _child)
