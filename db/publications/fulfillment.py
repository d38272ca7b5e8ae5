"""The 3PL's published tables, and the channel every shipment of a center goes to:
`fulfillment_center:{id}:shipments` (warehouse screens, `shipmentChanged`).

An outbound shipment also goes to its order's channel (the order's `orderChanged` stream
carries its packages, tracking included). An inbound shipment (and its inspections) goes to
`inbound_shipment:{id}`, `inbound_shipments` (staff) and `manufacturer:{id}:inbound`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.change_log import Related, publish
from db.models import InboundShipment, OutboundShipment, QcInspection
from db.publications.orders import order_channel

ALL_INBOUND = "inbound_shipments"


def center_shipments_channel(center_id: Any) -> str:
    """Every shipment into or out of one center: what its warehouse screen follows."""
    return f"fulfillment_center:{center_id}:shipments"


def inbound_shipment_channel(shipment_id: Any) -> str:
    return f"inbound_shipment:{shipment_id}"


def manufacturer_inbound_channel(manufacturer_id: Any) -> str:
    return f"manufacturer:{manufacturer_id}:inbound"


def _outbound(row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    yield order_channel(row["order_id"])
    yield center_shipments_channel(row["fulfillment_center_id"])


def _inbound_channels(
    shipment_id: Any, center_ids: Iterable[Any], manufacturer_id: Any
) -> Iterable[str]:
    yield inbound_shipment_channel(shipment_id)
    yield ALL_INBOUND
    for center_id in {c for c in center_ids if c is not None}:
        yield center_shipments_channel(center_id)
    if manufacturer_id is not None:
        yield manufacturer_inbound_channel(manufacturer_id)


def _inbound(row: Mapping[str, Any], old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    return _inbound_channels(
        row["id"],
        (row["fulfillment_center_id"], old.get("fulfillment_center_id")),
        row["manufacturer_id"],
    )


def _inspection(row: Mapping[str, Any], _old: Mapping[str, Any], related: Related) -> Iterable[str]:
    shipment = related.get(InboundShipment, row["subject_id"])
    if shipment is None:  # a lot's inspection (procurement) is not a shipment's
        return ()
    return _inbound_channels(shipment.id, (shipment.fulfillment_center_id,), row["manufacturer_id"])


publish(OutboundShipment, _outbound)
publish(InboundShipment, _inbound)
publish(QcInspection, _inspection)
