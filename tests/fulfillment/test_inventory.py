"""Inventory through the graph (issue 26 item 2, SPEC §6 "3PL inventory" (4) and (5)):
adjustments with reason codes and admin approval above the threshold, levels filtered by
center, product and family, a product across locations, alerts, and sales without cost."""

from __future__ import annotations

from typing import Any

from auth.permissions import Role
from db.engine import Database
from resolvers.ids import decode_id
from tests.support import factories, fulfillment
from tests.support.fulfillment import (
    ADJUST,
    APPROVE_ADJUSTMENT,
    LEVEL_FIELDS,
    REJECT_ADJUSTMENT,
    UPDATE_LEVEL,
)
from tests.support.graphql import GraphQLClient

LEVELS = (
    "query($filter: InventoryLevelFilter) { inventoryLevels(first: 50, filter: $filter) {"
    " totalCount edges { node { " + LEVEL_FIELDS + " } } } }"
)
ALERTS = (
    "query($filter: InventoryAlertFilter) { inventoryAlerts(first: 50, filter: $filter) {"
    " totalCount edges { node { variant { sku } alerts available reorderPoint } } } }"
)
TRANSACTIONS = (
    "query($filter: InventoryTransactionFilter) { inventoryTransactions(first: 50, "
    "filter: $filter) { totalCount edges { node { kind quantity onHandAfter reasonCode "
    "performedBy level { id } } } } }"
)
PENDING = (
    "{ inventoryAdjustments(first: 10, filter: {statuses: [PENDING_APPROVAL]}) {"
    " totalCount edges { node { id quantity } } } }"
)


async def _center_and_variant(client: GraphQLClient) -> tuple[Any, Any]:
    center = await fulfillment.graph_center(client)
    product = await factories.product(client)
    variant = await factories.variant(client, product["id"])
    return center, variant


async def _adjust(
    client: GraphQLClient, center: Any, variant: Any, quantity: int, **more: Any
) -> Any:
    values = {
        "centerId": center["id"],
        "variantId": variant["id"],
        "quantity": quantity,
        "reason": "COUNT_CORRECTION",
        **more,
    }
    return await client.as_role(Role.OPS).mutate(ADJUST, {"input": values})


async def test_3pl_inventory_4_adjustments_above_the_threshold_wait_for_an_admin(
    client: GraphQLClient,
) -> None:
    center, variant = await _center_and_variant(client)
    small = await _adjust(client, center, variant, 50)  # the default threshold: applied
    assert small["errors"] == []
    assert small["adjustment"]["status"] == "APPLIED"
    assert small["adjustment"]["level"]["onHand"] == 50
    large = await _adjust(client, center, variant, -51, reason="DAMAGE_LOSS")
    assert large["errors"] == []
    assert large["adjustment"]["status"] == "PENDING_APPROVAL"
    assert large["adjustment"]["level"]["onHand"] == 50  # nothing changed yet
    assert (await client(PENDING))["inventoryAdjustments"]["totalCount"] == 1
    # Ops may not approve; an admin may. Taking 51 of 50 is refused even then.
    ops = await client.as_role(Role.OPS).raw(
        APPROVE_ADJUSTMENT, {"input": {"id": large["adjustment"]["id"]}}
    )
    assert ops["errors"][0]["extensions"]["code"] == "FORBIDDEN", ops
    refused = await client.mutate(APPROVE_ADJUSTMENT, {"input": {"id": large["adjustment"]["id"]}})
    assert [e["code"] for e in refused["errors"]] == ["INSUFFICIENT_STOCK"]
    rejected = await client.mutate_ok(
        REJECT_ADJUSTMENT, {"id": large["adjustment"]["id"], "note": "recount"}, "adjustment"
    )
    assert rejected["status"] == "REJECTED" and rejected["level"]["onHand"] == 50
    bigger = await _adjust(client, center, variant, 60)
    approved = await client.mutate_ok(
        APPROVE_ADJUSTMENT, {"id": bigger["adjustment"]["id"]}, "adjustment"
    )
    assert approved["status"] == "APPLIED" and approved["level"]["onHand"] == 110
    assert approved["decidedBy"] == "test-admin"
    assert (await client(PENDING))["inventoryAdjustments"]["totalCount"] == 0


async def test_an_adjustment_needs_a_known_reason_and_theft_a_note(client: GraphQLClient) -> None:
    center, variant = await _center_and_variant(client)
    await _adjust(client, center, variant, 5)
    theft = await _adjust(client, center, variant, -1, reason="THEFT")
    assert [(e["code"], e["field"]) for e in theft["errors"]] == [("VALIDATION", ["input", "note"])]
    unknown = await client.as_role(Role.OPS).raw(
        ADJUST,
        {
            "input": {
                "centerId": center["id"],
                "variantId": variant["id"],
                "quantity": 1,
                "reason": "GIFT",
            }
        },
    )
    assert unknown["errors"]
    noted = await _adjust(client, center, variant, -1, reason="THEFT", note="case 12")
    assert noted["adjustment"]["level"]["onHand"] == 4
    too_many = await _adjust(client, center, variant, -5)
    assert [e["code"] for e in too_many["errors"]] == ["INSUFFICIENT_STOCK"]


async def test_3pl_inventory_5_low_stock_below_the_reorder_point(
    client: GraphQLClient, database: Database
) -> None:
    center, variant = await _center_and_variant(client)
    other = await factories.variant(client, (await factories.product(client))["id"])
    level = (await _adjust(client, center, variant, 12))["adjustment"]["level"]
    await _adjust(client, center, other, 12)
    changed = await client.mutate_ok(
        UPDATE_LEVEL,
        {"id": level["id"], "reorderPoint": 10, "binLocation": "A-01"},
        "inventoryLevel",
    )
    assert changed["alerts"] == [] and changed["binLocation"] == "A-01"
    await _adjust(client, center, variant, -3)  # 9 available < 10
    alerts = (await client(ALERTS))["inventoryAlerts"]
    assert [(n["node"]["variant"]["sku"], n["node"]["alerts"]) for n in alerts["edges"]] == [
        (variant["sku"], ["LOW_STOCK"])
    ]
    low = (await client(LEVELS, {"filter": {"lowStock": True}}))["inventoryLevels"]
    assert [e["node"]["variant"]["sku"] for e in low["edges"]] == [variant["sku"]]
    not_low = (await client(LEVELS, {"filter": {"lowStock": False}}))["inventoryLevels"]
    assert [e["node"]["variant"]["sku"] for e in not_low["edges"]] == [other["sku"]]


async def test_a_product_across_locations_and_levels_by_family(
    client: GraphQLClient, database: Database
) -> None:
    family = await factories.family(client)
    product = await factories.product(client, productFamilyId=family["id"])
    small = await factories.variant(client, product["id"])
    large = await factories.variant(client, product["id"])
    elsewhere = await factories.variant(client, (await factories.product(client))["id"])
    west, east = (await fulfillment.graph_center(client), await fulfillment.graph_center(client))
    for center, variant, units in [
        (west, small, 3),
        (east, small, 4),
        (east, large, 5),
        (west, elsewhere, 9),
    ]:
        await fulfillment.stock(
            database, decode_id(center["id"])[1], decode_id(variant["id"])[1], units
        )
    across = (await client(LEVELS, {"filter": {"productId": product["id"]}}))["inventoryLevels"]
    assert sorted(
        (e["node"]["center"]["code"], e["node"]["onHand"]) for e in across["edges"]
    ) == sorted([(west["code"], 3), (east["code"], 4), (east["code"], 5)])
    by_family = (await client(LEVELS, {"filter": {"familyId": family["id"]}}))["inventoryLevels"]
    assert by_family["totalCount"] == 3
    at_west = (await client(LEVELS, {"filter": {"centerId": west["id"]}}))["inventoryLevels"]
    assert sorted(e["node"]["onHand"] for e in at_west["edges"]) == [3, 9]


async def test_3pl_inventory_6_transactions_list_the_ledger(client: GraphQLClient) -> None:
    center, variant = await _center_and_variant(client)
    await _adjust(client, center, variant, 8)
    await _adjust(client, center, variant, -2, reason="SAMPLE_DEMO_USE")
    ledger = (await client(TRANSACTIONS, {"filter": {"variantId": variant["id"]}}))[
        "inventoryTransactions"
    ]
    assert [
        (e["node"]["quantity"], e["node"]["onHandAfter"], e["node"]["reasonCode"])
        for e in ledger["edges"]
    ] == [
        (-2, 6, "SAMPLE_DEMO_USE"),
        (8, 8, "COUNT_CORRECTION"),
    ]
    assert {e["node"]["performedBy"] for e in ledger["edges"]} == {"test-ops"}


async def test_sales_see_inventory_without_cost_and_cannot_adjust(
    client: GraphQLClient,
) -> None:
    center, variant = await _center_and_variant(client)
    level = (await _adjust(client, center, variant, 4))["adjustment"]["level"]
    await client.mutate_ok(
        UPDATE_LEVEL, {"id": level["id"], "costPerUnit": "6.00"}, "inventoryLevel"
    )
    query = "{ inventoryLevels(first: 5) { edges { node { onHand costPerUnit { amount } } } } }"
    admin = (await client(query))["inventoryLevels"]["edges"]
    assert admin == [{"node": {"onHand": 4, "costPerUnit": {"amount": "6.00"}}}]
    sales = client.as_role(Role.SALES)
    body = await sales.raw(query)
    assert body["data"]["inventoryLevels"]["edges"] == [
        {"node": {"onHand": 4, "costPerUnit": None}}
    ]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    plain = await sales("{ inventoryLevels(first: 5) { edges { node { onHand available } } } }")
    assert plain["inventoryLevels"]["edges"] == [{"node": {"onHand": 4, "available": 4}}]
    adjust = await sales.raw(
        ADJUST,
        {
            "input": {
                "centerId": center["id"],
                "variantId": variant["id"],
                "quantity": 1,
                "reason": "COUNT_CORRECTION",
            }
        },
    )
    assert adjust["errors"][0]["extensions"]["code"] == "FORBIDDEN"
