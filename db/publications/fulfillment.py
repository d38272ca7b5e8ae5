"""The 3PL's published tables: an outbound shipment goes to its order's channel (the
order's `orderChanged` stream carries its packages, tracking included) and to its center's
`fulfillment_center:{id}:shipments` (warehouse screens, `shipmentChanged`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.change_log import Related, publish
from db.models import OutboundShipment
from db.publications.orders import order_channel


def center_shipments_channel(center_id: Any) -> str:
    return f"fulfillment_center:{center_id}:shipments"


def _outbound(row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    yield order_channel(row["order_id"])
    yield center_shipments_channel(row["fulfillment_center_id"])


publish(OutboundShipment, _outbound)
