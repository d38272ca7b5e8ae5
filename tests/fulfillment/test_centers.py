"""Fulfillment centers (issue 26 item 1): created and changed by admins, exactly one default,
the default cannot be deactivated, looked up by code with its stats."""

from __future__ import annotations

from auth.permissions import Role
from db.engine import Database
from resolvers.ids import decode_id
from tests.support import fulfillment
from tests.support.fulfillment import CENTER_FIELDS, DEACTIVATE_CENTER, UPDATE_CENTER
from tests.support.graphql import GraphQLClient

LOOKUP = "query($code: String) { fulfillmentCenter(code: $code) { " + CENTER_FIELDS + " } }"
LIST = "{ fulfillmentCenters(first: 10) { totalCount edges { node { code isDefault } } } }"


async def test_a_center_is_created_with_its_details_and_found_by_code(
    client: GraphQLClient,
) -> None:
    made = await fulfillment.graph_center(
        client,
        code="fc-west",
        name="West",
        country="us",
        carrierPreferences=["UPS", "FEDEX"],
        operatingHours={"mon": "08:00-17:00"},
    )
    assert made["code"] == "FC-WEST" and made["country"] == "US"
    assert made["capabilities"] == ["RECEIVE", "SHIP", "STORE"]
    assert made["carrierPreferences"] == ["UPS", "FEDEX"]
    found = (await client(LOOKUP, {"code": "FC-WEST"}))["fulfillmentCenter"]
    assert found["id"] == made["id"]
    assert found["operatingHours"] == {"mon": "08:00-17:00"}
    assert found["stats"] == {"unitsOnHand": 0, "outboundOpen": 0}


async def test_a_taken_code_is_a_conflict(client: GraphQLClient) -> None:
    await fulfillment.graph_center(client, code="FC-DUP")
    payload = await client.mutate(
        fulfillment.CREATE_CENTER, {"input": {"code": "FC-DUP", "name": "Again"}}
    )
    assert [e["code"] for e in payload["errors"]] == ["CONFLICT"]


async def test_exactly_one_center_is_the_default(client: GraphQLClient) -> None:
    first = await fulfillment.graph_center(client, isDefault=True)
    second = await fulfillment.graph_center(client, isDefault=True)
    assert second["isDefault"]
    listed = (await client(LIST))["fulfillmentCenters"]["edges"]
    defaults = [e["node"]["code"] for e in listed if e["node"]["isDefault"]]
    assert defaults == [second["code"]]
    # Moving the default back by an update takes it from the second.
    moved = await client.mutate_ok(
        UPDATE_CENTER, {"id": first["id"], "isDefault": True}, "fulfillmentCenter"
    )
    assert moved["isDefault"]
    listed = (await client(LIST))["fulfillmentCenters"]["edges"]
    assert [e["node"]["code"] for e in listed if e["node"]["isDefault"]] == [first["code"]]


async def test_the_default_center_cannot_be_deactivated_another_can(
    client: GraphQLClient,
) -> None:
    default = await fulfillment.graph_center(client, isDefault=True)
    other = await fulfillment.graph_center(client)
    refused = await client.mutate(DEACTIVATE_CENTER, {"input": {"id": default["id"]}})
    assert [e["code"] for e in refused["errors"]] == ["VALIDATION"]
    done = await client.mutate_ok(DEACTIVATE_CENTER, {"id": other["id"]}, "fulfillmentCenter")
    assert done["isActive"] is False


async def test_stats_count_units_on_hand(client: GraphQLClient, database: Database) -> None:
    made = await fulfillment.graph_center(client)
    center = decode_id(made["id"])[1]
    for units in (7, 5):
        await fulfillment.stock(database, center, await fulfillment.variant(client), units)
    found = (await client(LOOKUP, {"code": made["code"]}))["fulfillmentCenter"]
    assert found["stats"] == {"unitsOnHand": 12, "outboundOpen": 0}


async def test_only_admins_manage_centers_and_sales_do_not_see_them(
    client: GraphQLClient,
) -> None:
    ops = client.as_role(Role.OPS)
    body = await ops.raw(fulfillment.CREATE_CENTER, {"input": {"code": "FC-X", "name": "X"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await ops(LIST))["fulfillmentCenters"]["totalCount"] == 0
    sales = await client.as_role(Role.SALES).raw(LIST)
    assert sales["errors"][0]["extensions"]["code"] == "FORBIDDEN"
