"""Outbound shipments (issue 26 items 5 and 6, SPEC §6 "3PL outbound" (1)-(6)): created when
stock is available (reserving it), a pick list by bin, pick / pack / ship with tracking that
reaches the order, delivery fulfilling it, several packages per order; consolidation."""

from __future__ import annotations

from typing import Any

from auth.permissions import Role
from db.engine import Database
from resolvers.ids import decode_id
from tests.support import fulfillment, order_factories
from tests.support.fulfillment import CONSOLIDATE, CREATE_OUTBOUND, MOVE_OUTBOUND
from tests.support.graphql import GraphQLClient
from tests.support.live import subscribe
from tests.support.realtime import channel_of, live, token

ORDER = (
    "query($id: ID!) { node(id: $id) { ... on Order { status fulfilledAt "
    "events { message metadata } } } }"
)
LEVEL = (
    "query($f: InventoryLevelFilter) { inventoryLevels(first: 5, filter: $f) {"
    " edges { node { onHand reserved available } } } }"
)


async def _world(
    client: GraphQLClient, database: Database, lines: list[int], stocked: list[int]
) -> Any:
    """The default center, an approved order of `lines` units (one variant each), and
    `stocked` units of each variant at the default center, in bins B, A, C, ..."""
    center = await fulfillment.graph_center(client, isDefault=True)
    variants = [await order_factories.variant(client) for _ in lines]
    for n, (variant, units) in enumerate(zip(variants, stocked, strict=True)):
        if units:
            await fulfillment.stock(
                database,
                decode_id(center["id"])[1],
                decode_id(variant["id"])[1],
                units,
                bin_location="BAC"[n % 3] + "-01",
            )
    buyer = await order_factories.customer(client)
    order = await order_factories.approved(
        client, buyer["id"], [(v["id"], q) for v, q in zip(variants, lines, strict=True)]
    )
    return center, variants, order


async def _move(client: GraphQLClient, shipment: Any, status: str, **values: Any) -> Any:
    return await client.mutate(
        MOVE_OUTBOUND, {"input": {"id": shipment["id"], "status": status, **values}}
    )


async def _level(client: GraphQLClient, variant: Any) -> Any:
    edges = (await client(LEVEL, {"f": {"variantId": variant["id"]}}))["inventoryLevels"]["edges"]
    return edges[0]["node"]


async def test_3pl_outbound_1_created_when_stock_is_available_reserving_it(
    client: GraphQLClient, database: Database
) -> None:
    center, variants, order = await _world(client, database, [3, 2], [5, 1])
    refused = await client.mutate(CREATE_OUTBOUND, {"input": {"orderId": order["id"]}})
    assert [e["code"] for e in refused["errors"]] == ["INSUFFICIENT_STOCK"]
    assert await _level(client, variants[0]) == {"onHand": 5, "reserved": 0, "available": 5}
    await fulfillment.stock(
        database,
        decode_id(center["id"])[1],
        decode_id(variants[1]["id"])[1],
        1,
    )
    made = await client.mutate_ok(CREATE_OUTBOUND, {"orderId": order["id"]}, "outboundShipment")
    assert made["status"] == "PENDING" and made["shipmentNumber"].startswith("OUT-")
    assert await _level(client, variants[0]) == {"onHand": 5, "reserved": 3, "available": 2}
    assert await _level(client, variants[1]) == {"onHand": 2, "reserved": 2, "available": 0}
    # Idempotent: the order's units are all in a shipment; asking again reserves nothing.
    again = await client.mutate(CREATE_OUTBOUND, {"input": {"orderId": order["id"]}})
    assert [e["code"] for e in again["errors"]] == ["CONFLICT"]
    assert await _level(client, variants[0]) == {"onHand": 5, "reserved": 3, "available": 2}


async def test_3pl_outbound_2_the_pick_list_goes_by_bin(
    client: GraphQLClient, database: Database
) -> None:
    _, variants, order = await _world(client, database, [1, 2, 3], [1, 2, 3])
    made = await client.mutate_ok(CREATE_OUTBOUND, {"orderId": order["id"]}, "outboundShipment")
    assert [(line["binLocation"], line["sku"], line["quantity"]) for line in made["pickList"]] == [
        ("A-01", variants[1]["sku"], 2),
        ("B-01", variants[0]["sku"], 1),
        ("C-01", variants[2]["sku"], 3),
    ]


async def test_3pl_outbound_3_and_4_pick_pack_and_ship_put_tracking_on_the_order(
    client: GraphQLClient, database: Database
) -> None:
    _, variants, order = await _world(client, database, [3], [5])
    made = await client.mutate_ok(CREATE_OUTBOUND, {"orderId": order["id"]}, "outboundShipment")
    assert made["allowedTransitions"] == ["PICKING", "CANCELED"]
    sales = client.as_role(Role.SALES)
    assert (await _move(sales, made, "PICKING"))["errors"][0]["code"] == "INVALID_TRANSITION"
    for status in ("PICKING", "PACKING"):
        moved = await _move(client, made, status)
        assert moved["errors"] == [], moved["errors"]
    picked = moved["outboundShipment"]
    assert all(item["pickedAt"] for item in picked["items"])
    assert await _level(client, variants[0]) == {"onHand": 2, "reserved": 0, "available": 2}
    packed = await _move(client, made, "PACKED", weightKg="1.20")
    assert packed["errors"] == []
    no_tracking = await _move(client, made, "SHIPPED", carrier="UPS")
    assert [(e["code"], e["field"]) for e in no_tracking["errors"]] == [
        ("VALIDATION", ["input", "trackingNumber"])
    ]
    shipped = await _move(client, made, "SHIPPED", carrier="UPS", trackingNumber="1Z999")
    assert shipped["errors"] == []
    assert shipped["outboundShipment"]["trackingUrl"] == "https://www.ups.com/track?tracknum=1Z999"
    events = (await client(ORDER, {"id": order["id"]}))["node"]["events"]
    assert events[-1]["message"].startswith(f"Package {made['shipmentNumber']} shipped with UPS")
    assert events[-1]["metadata"]["tracking_url"] == "https://www.ups.com/track?tracknum=1Z999"


async def test_3pl_outbound_5_delivery_fulfils_the_order(
    client: GraphQLClient, database: Database
) -> None:
    _, _, order = await _world(client, database, [2], [2])
    made = await client.mutate_ok(CREATE_OUTBOUND, {"orderId": order["id"]}, "outboundShipment")
    for status, extra in [
        ("PICKING", {}),
        ("PACKING", {}),
        ("PACKED", {}),
        ("SHIPPED", {"carrier": "FEDEX", "trackingNumber": "7777"}),
        ("IN_TRANSIT", {}),
        ("DELIVERED", {}),
    ]:
        moved = await _move(client, made, status, **extra)
        assert moved["errors"] == [], (status, moved["errors"])
    found = (await client(ORDER, {"id": order["id"]}))["node"]
    assert found["status"] == "FULFILLED" and found["fulfilledAt"]


async def test_3pl_outbound_6_multi_package_orders_ship_and_fulfil_with_the_last_package(
    client: GraphQLClient, database: Database
) -> None:
    _, _, order = await _world(client, database, [2, 3], [2, 3])
    line_ids = [line["id"] for line in order["lineItems"]]
    first = await client.mutate_ok(
        CREATE_OUTBOUND,
        {"orderId": order["id"], "items": [{"orderItemId": line_ids[0], "quantity": 2}]},
        "outboundShipment",
    )
    # Asking for more of a line than is left is refused; the rest of the order is one more.
    too_much = await client.mutate(
        CREATE_OUTBOUND,
        {"input": {"orderId": order["id"], "items": [{"orderItemId": line_ids[0], "quantity": 1}]}},
    )
    assert [e["code"] for e in too_much["errors"]] == ["CONFLICT"]
    second = await client.mutate_ok(CREATE_OUTBOUND, {"orderId": order["id"]}, "outboundShipment")
    assert [i["quantity"] for i in second["items"]] == [3]

    async def ship(shipment: Any, tracking: str) -> None:
        for status, extra in [
            ("PICKING", {}),
            ("PACKING", {}),
            ("PACKED", {}),
            ("SHIPPED", {"carrier": "DHL", "trackingNumber": tracking}),
        ]:
            assert (await _move(client, shipment, status, **extra))["errors"] == []

    await ship(first, "D1")
    events = (await client(ORDER, {"id": order["id"]}))["node"]["events"]
    assert events[-1]["metadata"]["order_shipped"] is False
    await ship(second, "D2")
    events = (await client(ORDER, {"id": order["id"]}))["node"]["events"]
    assert events[-1]["metadata"]["order_shipped"] is True
    assert events[-1]["message"].endswith("(all 2 packages shipped)")
    assert (await _move(client, first, "DELIVERED"))["errors"] == []
    assert (await client(ORDER, {"id": order["id"]}))["node"]["status"] != "FULFILLED"
    assert (await _move(client, second, "DELIVERED"))["errors"] == []
    assert (await client(ORDER, {"id": order["id"]}))["node"]["status"] == "FULFILLED"


async def test_canceling_a_shipment_releases_its_reservation(
    client: GraphQLClient, database: Database
) -> None:
    _, variants, order = await _world(client, database, [4], [4])
    made = await client.mutate_ok(CREATE_OUTBOUND, {"orderId": order["id"]}, "outboundShipment")
    assert (await _move(client, made, "CANCELED"))["errors"][0]["code"] == "VALIDATION"
    assert (await _move(client, made, "CANCELED", reason="customer asked"))["errors"] == []
    assert await _level(client, variants[0]) == {"onHand": 4, "reserved": 0, "available": 4}
    # The order's units are free again: a new shipment may take them.
    await client.mutate_ok(CREATE_OUTBOUND, {"orderId": order["id"]}, "outboundShipment")


async def test_consolidation_proposes_ready_orders_rush_first_and_reports_splits(
    client: GraphQLClient, database: Database
) -> None:
    center, variants, standard = await _world(client, database, [2], [3])
    buyer = await order_factories.customer(client)
    rush = await order_factories.approved(
        client, buyer["id"], [(variants[0]["id"], 2)], priority="RUSH"
    )
    # Split: one line's units only at the default center, the other's only at another.
    other = await fulfillment.graph_center(client)
    a, b = await order_factories.variant(client), await order_factories.variant(client)
    await fulfillment.stock(database, decode_id(center["id"])[1], decode_id(a["id"])[1], 1)
    await fulfillment.stock(database, decode_id(other["id"])[1], decode_id(b["id"])[1], 1)
    split = await order_factories.approved(client, buyer["id"], [(a["id"], 1), (b["id"], 1)])

    results = (await client.mutate(CONSOLIDATE))["results"]
    by_order = {r["orderId"]: r for r in results}
    # 3 units: the rush order (newer) takes 2 first; the older standard order must wait.
    assert by_order[rush["id"]]["outboundShipment"]["proposed"] is True
    assert by_order[rush["id"]]["outboundShipment"]["status"] == "PENDING"
    assert by_order[standard["id"]]["outboundShipment"] is None
    assert by_order[standard["id"]]["splitAcrossCenters"] is False
    assert by_order[split["id"]]["outboundShipment"] is None
    assert by_order[split["id"]]["splitAcrossCenters"] is True
    assert results[0]["orderId"] == rush["id"]
    # Run again: nothing is proposed twice.
    again = (await client.mutate(CONSOLIDATE))["results"]
    assert all(r["outboundShipment"] is None for r in again)
    assert rush["id"] not in {r["orderId"] for r in again}


ORDER_STREAM = """
subscription($id: ID!) {
  orderChanged(id: $id) {
    table
    outboundShipment { shipmentNumber status trackingNumber trackingUrl }
    fulfillmentEvent { message metadata }
  }
}"""


async def test_shipping_puts_tracking_on_the_orders_stream(live_settings: Any) -> None:
    async with live(live_settings) as (server, admin):
        database = server.app.state.database
        _, _, order = await _world(admin, database, [1], [1])
        made = await admin.mutate_ok(CREATE_OUTBOUND, {"orderId": order["id"]}, "outboundShipment")
        for status in ("PICKING", "PACKING", "PACKED"):
            assert (await _move(admin, made, status))["errors"] == []
        async with subscribe(
            server.url, token(live_settings), ORDER_STREAM, {"id": order["id"]}
        ) as stream:
            await server.subscribed(channel_of(order["id"]))
            shipped = await _move(admin, made, "SHIPPED", carrier="USPS", trackingNumber="9400")
            assert shipped["errors"] == []
            seen = [(await stream.data())["orderChanged"] for _ in range(2)]
            by_table = {change["table"]: change for change in seen}
            package = by_table["outbound_shipments"]["outboundShipment"]
            assert package["status"] == "SHIPPED" and package["trackingNumber"] == "9400"
            assert package["trackingUrl"].endswith("tLabels=9400")
            timeline = by_table["fulfillment_events"]["fulfillmentEvent"]
            assert timeline["metadata"]["tracking_number"] == "9400"
