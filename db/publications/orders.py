"""Orders' published tables: an order and its fulfillment timeline go to `order:{id}`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.change_log import Related, publish
from db.models import FulfillmentEvent, Order


def order_channel(order_id: Any) -> str:
    return f"order:{order_id}"


def _order(row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    yield order_channel(row["id"])


def _fulfillment_event(
    row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related
) -> Iterable[str]:
    yield order_channel(row["order_id"])


publish(Order, _order)
publish(FulfillmentEvent, _fulfillment_event)
