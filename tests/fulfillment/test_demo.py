"""The 3PL demo (issue 26 item 8): Medallion LA (default) and FC-EAST, stock with one
low-stock alert, one order partly in stock and one with a package in transit, all made
through the 3PL's services."""

from __future__ import annotations

from typing import Any

from demo.seed import load_demo_data
from tests.support.graphql import GraphQLClient

DEMO = """{
  fulfillmentCenters(first: 5) { edges { node { code name isDefault stats { unitsOnHand outboundOpen } } } }
  inventoryAlerts(first: 10) { edges { node { alerts variant { sku } center { code } } } }
  inventoryAdjustments(first: 10) { edges { node { status decidedBy quantity } } }
  outboundShipments(first: 5) { edges { node {
    status trackingNumber trackingUrl carrier center { code }
    order { reference events { message } }
  } } }
}"""


async def test_the_demo_shows_centers_stock_a_low_stock_alert_and_a_package_in_transit(
    client: GraphQLClient, database: Any, files_settings: Any
) -> None:
    await load_demo_data(database, files=files_settings)
    data = await client(DEMO)
    centers = {e["node"]["code"]: e["node"] for e in data["fulfillmentCenters"]["edges"]}
    assert centers["FC-LA"]["name"] == "Medallion LA" and centers["FC-LA"]["isDefault"]
    assert centers["FC-EAST"]["name"] == "East Coast Warehouse"
    assert not centers["FC-EAST"]["isDefault"]
    # 12 lounge sets left in the package; 60 shorts and 30 tees remain at LA, with the 30
    # polos the shipped job's inbound stocked after QC (demo/inbound.py) and the 60 BPC-157
    # vials of lot BPC157-PP260315-01, released by QC (demo/procurement.py).
    assert centers["FC-LA"]["stats"] == {"unitsOnHand": 180, "outboundOpen": 0}
    alerts = [
        (e["node"]["variant"]["sku"], e["node"]["alerts"])
        for e in data["inventoryAlerts"]["edges"]
        if "LOW_STOCK" in e["node"]["alerts"]
    ]
    assert alerts == [("TEE-BLA-L", ["LOW_STOCK"])]
    # The opening count above the approval threshold was approved by an admin.
    assert {
        (e["node"]["quantity"], e["node"]["decidedBy"])
        for e in data["inventoryAdjustments"]["edges"]
        if e["node"]["quantity"] > 50
    } == {(60, "demo-admin")}
    (package,) = [e["node"] for e in data["outboundShipments"]["edges"]]
    assert package["status"] == "IN_TRANSIT" and package["carrier"] == "UPS"
    assert package["trackingUrl"] == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert any("1Z999AA10123456784" in (e["message"] or "") for e in package["order"]["events"])


READINESS = (
    "mutation { consolidateOrders { results { orderId linesMissing outboundShipment { id } } } }"
)
ORDER = "query($r: String) { order(reference: $r) { id lineItems { variant { sku } } } }"


async def test_the_gym_shorts_order_is_partly_in_stock(
    client: GraphQLClient, database: Any, files_settings: Any
) -> None:
    await load_demo_data(database, files=files_settings)
    results = (await client.mutate(READINESS))["results"]
    orders = await client("{ orders(first: 20) { edges { node { id metadata } } } }")
    gym = next(
        e["node"]["id"]
        for e in orders["orders"]["edges"]
        if e["node"]["metadata"].get("demo") == "gym-shorts"
    )
    (found,) = [r for r in results if r["orderId"] == gym]
    # The shorts are on the shelf at LA; the quarter-zips are not anywhere yet.
    assert found["outboundShipment"] is None and found["linesMissing"] == 1
