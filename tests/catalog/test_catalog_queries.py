"""Catalog reads: connections, filters, ordering, lookups, node, and the BR-1 cascade."""

from __future__ import annotations

import uuid

import pytest

from demo.seed import load_demo_data
from resolvers.ids import encode_id
from tests.support import factories

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions

FAMILY_PAGE = """
query($first: Int, $after: String, $last: Int, $before: String, $orderBy: [ProductFamilyOrder!]) {
  productFamilies(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    totalCount
    edges { cursor node { code } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


def codes(connection):
    return [edge["node"]["code"] for edge in connection["edges"]]


@pytest.fixture
async def demo(database):
    await load_demo_data(database)


async def test_pages_forward_and_backward_without_gaps(client):
    for n in range(7):
        await factories.family(client, code=f"F{n}", sortOrder=n)
    first = (await client(FAMILY_PAGE, {"first": 3}))["productFamilies"]
    assert codes(first) == ["F0", "F1", "F2"]
    assert first["totalCount"] == 7
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False

    second = (await client(FAMILY_PAGE, {"first": 3, "after": first["pageInfo"]["endCursor"]}))[
        "productFamilies"
    ]
    assert codes(second) == ["F3", "F4", "F5"]
    third = (await client(FAMILY_PAGE, {"first": 3, "after": second["pageInfo"]["endCursor"]}))[
        "productFamilies"
    ]
    assert codes(third) == ["F6"]
    assert third["pageInfo"]["hasNextPage"] is False

    back = (await client(FAMILY_PAGE, {"last": 2, "before": third["edges"][0]["cursor"]}))[
        "productFamilies"
    ]
    assert codes(back) == ["F4", "F5"]
    assert back["pageInfo"]["hasPreviousPage"] is True
    assert back["pageInfo"]["hasNextPage"] is True


async def test_page_is_stable_when_rows_are_inserted_before_the_cursor(client):
    for n in range(4):
        await factories.family(client, code=f"B{n}", sortOrder=10 + n)
    first = (await client(FAMILY_PAGE, {"first": 2}))["productFamilies"]
    await factories.family(client, code="A_NEW", sortOrder=0)
    rest = await client(FAMILY_PAGE, {"first": 5, "after": first["pageInfo"]["endCursor"]})
    assert codes(rest["productFamilies"]) == ["B2", "B3"]


async def test_order_by_descending_name(client):
    for code, name in [("A", "Alpha"), ("B", "Bravo"), ("C", "Charlie")]:
        await factories.family(client, code=code, name=name)
    data = await client(FAMILY_PAGE, {"orderBy": [{"field": "NAME", "direction": "DESC"}]})
    assert codes(data["productFamilies"]) == ["C", "B", "A"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 101}, "at most 100"),
        ({"first": -1}, "negative"),
        ({"first": 1, "last": 1}, "either"),
        ({"after": "garbage!"}, "Invalid cursor"),
    ],
)
async def test_bad_pagination_arguments_are_errors_not_caps(client, variables, message):
    await factories.family(client)
    body = await client.raw(FAMILY_PAGE, variables)
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in error["message"]


async def test_cursor_from_another_ordering_is_refused(client):
    await factories.family(client)
    page = (await client(FAMILY_PAGE, {"first": 1}))["productFamilies"]
    body = await client.raw(
        FAMILY_PAGE,
        {"after": page["pageInfo"]["endCursor"], "orderBy": [{"field": "NAME"}]},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_filters(client, demo):
    data = await client(
        """{
          active: productFamilies(filter: {search: "basics"}) { edges { node { code } } }
          byCode: productFamilies(filter: {codes: ["ELEVATED", "WRESTLING"]}) { totalCount }
          pk: manufacturers(filter: {country: "PK"}) { edges { node { name } } }
          sublimation: manufacturers(filter: {capability: SUBLIMATION}) { edges { node { name } } }
          tees: variants(filter: {size: "M", colour: "White"}) { edges { node { sku } } }
          overridden: products(filter: {hasManufacturerOverride: true}) { edges { node { name } } }
        }"""
    )
    assert codes(data["active"]) == ["BASICS_TOPS", "BASICS_BOTTOMS"]
    assert data["byCode"]["totalCount"] == 2
    assert [e["node"]["name"] for e in data["pk"]["edges"]] == [
        "Hawk Manufacturing",
        "Riddle Apparel",
        "ZAB",
    ]
    assert [e["node"]["name"] for e in data["sublimation"]["edges"]] == [
        "Hawk Manufacturing",
        "ZAB",
    ]
    assert [e["node"]["sku"] for e in data["tees"]["edges"]] == ["TEE-WHI-M"]
    assert [e["node"]["name"] for e in data["overridden"]["edges"]] == ["Hoodie"]


async def test_manufacturers_filtered_by_family(client, demo):
    family = await client('{ productFamily(code: "ELEVATED") { id } }')
    data = await client(
        "query($id: ID!) { manufacturers(filter: {familyId: $id}) { edges { node { name } } } }",
        {"id": family["productFamily"]["id"]},
    )
    assert [e["node"]["name"] for e in data["manufacturers"]["edges"]] == [
        "Last Textile",
        "Turkey Premium",
    ]


async def test_lookups_by_code_and_sku(client, demo):
    data = await client(
        """{
          productFamily(code: "WRESTLING") { name }
          product(sku: "SINGLET") { name code }
          byCode: product(code: "HOODIE") { name }
          variant(sku: "SINGLET-BLA-M") { title price { amount currency } product { name } }
          missing: productFamily(code: "NOPE") { name }
        }"""
    )
    assert data["productFamily"] == {"name": "Wrestling & Combat Gear"}
    assert data["product"] == {"name": "Singlet", "code": "SINGLET"}
    assert data["byCode"] == {"name": "Hoodie"}
    assert data["variant"] == {
        "title": "Singlet - M / Black",
        "price": {"amount": "50.00", "currency": "USD"},
        "product": {"name": "Singlet"},
    }
    assert data["missing"] is None


async def test_lookup_needs_exactly_one_key(client):
    body = await client.raw('{ product(code: "A", sku: "B") { name } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_node_and_nodes(client):
    family = await factories.family(client, code="NODE")
    maker = await factories.manufacturer(client, name="Maker")
    ghost = encode_id("Product", uuid.uuid4())
    data = await client(
        """query($ids: [ID!]!, $id: ID!) {
          node(id: $id) { id ... on ProductFamily { code } }
          nodes(ids: $ids) { __typename ... on Manufacturer { name } ... on ProductFamily { code } }
        }""",
        {"id": family["id"], "ids": [maker["id"], ghost, family["id"]]},
    )
    assert data["node"] == {"id": family["id"], "code": "NODE"}
    assert data["nodes"] == [
        {"__typename": "Manufacturer", "name": "Maker"},
        None,
        {"__typename": "ProductFamily", "code": "NODE"},
    ]
    body = await client.raw('{ node(id: "not-an-id") { id } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_product_family_comes_from_itself_else_its_category(client):
    apparel = await factories.family(client, code="APPAREL")
    jerseys = await factories.family(client, code="JERSEYS")
    tops = await factories.category(client, name="Tops", productFamilyId=apparel["id"])
    await factories.product(client, name="Inherits", productCategoryId=tops["id"])
    await factories.product(
        client, name="Own", productCategoryId=tops["id"], productFamilyId=jerseys["id"]
    )
    data = await client(
        """{ productFamilies { edges { node { code products { totalCount edges { node {
              name hasOwnFamily family { code } } } } } } } }"""
    )
    by_code = {e["node"]["code"]: e["node"]["products"] for e in data["productFamilies"]["edges"]}
    assert by_code["APPAREL"]["totalCount"] == 1
    assert by_code["APPAREL"]["edges"][0]["node"] == {
        "name": "Inherits",
        "hasOwnFamily": False,
        "family": {"code": "APPAREL"},
    }
    assert by_code["JERSEYS"]["edges"][0]["node"]["name"] == "Own"


async def test_nested_connection_pages_each_parent_separately(client):
    families = [await factories.family(client, code=f"N{n}", sortOrder=n) for n in range(2)]
    for family in families:
        for n in range(3):
            await factories.product(
                client, name=f"{family['code']}-{n}", productFamilyId=family["id"]
            )
    data = await client(
        """{ productFamilies { edges { node { code products(first: 2) {
              totalCount pageInfo { hasNextPage } edges { node { name } } } } } } }"""
    )
    for edge in data["productFamilies"]["edges"]:
        products = edge["node"]["products"]
        code = edge["node"]["code"]
        assert [e["node"]["name"] for e in products["edges"]] == [f"{code}-0", f"{code}-1"]
        assert products["totalCount"] == 3
        assert products["pageInfo"]["hasNextPage"] is True


async def test_soft_deleted_manufacturer_is_skipped_by_the_cascade(client, database):
    """Each cascade level in turn, and fall-through past a deleted manufacturer."""
    from datetime import UTC, datetime

    from sqlalchemy import update

    from db.models import Manufacturer

    makers = {n: await factories.manufacturer(client, name=n) for n in ("V", "P", "C", "F", "A")}
    family = await factories.family(client, defaultManufacturerId=makers["F"]["id"])
    await factories.assignment(client, family["id"], makers["A"]["id"], priority=1)
    category = await factories.category(
        client, productFamilyId=family["id"], manufacturerOverrideId=makers["C"]["id"]
    )
    product = await factories.product(
        client, productCategoryId=category["id"], manufacturerOverrideId=makers["P"]["id"]
    )
    variant = await factories.variant(
        client, product["id"], defaultManufacturerId=makers["V"]["id"]
    )
    query = """query($id: ID!) { node(id: $id) { ... on Variant {
        resolvedManufacturer { source manufacturer { name } }
        product { resolvedManufacturer { source manufacturer { name } } } } } }"""

    async def resolved():
        node = (await client(query, {"id": variant["id"]}))["node"]
        return (
            (node["resolvedManufacturer"]["source"], node["resolvedManufacturer"]["manufacturer"]),
            node["product"]["resolvedManufacturer"]["source"],
        )

    expected = [
        ("V", "VARIANT_DEFAULT", "PRODUCT_OVERRIDE"),
        ("P", "PRODUCT_OVERRIDE", "PRODUCT_OVERRIDE"),
        ("C", "CATEGORY_OVERRIDE", "CATEGORY_OVERRIDE"),
        ("F", "FAMILY_DEFAULT", "FAMILY_DEFAULT"),
        ("A", "FAMILY_ASSIGNMENT", "FAMILY_ASSIGNMENT"),
    ]
    for name, variant_source, product_source in expected:
        assert await resolved() == ((variant_source, {"name": name}), product_source)
        async with database.engine.begin() as conn:  # the next level takes over
            await conn.execute(
                update(Manufacturer)
                .where(Manufacturer.name == name)
                .values(deleted_at=datetime.now(UTC))
            )
    assert await resolved() == (("UNASSIGNED", None), "UNASSIGNED")


async def test_demo_data_answers_the_readme_query(client, demo):
    data = await client(
        """{ productFamilies(first: 10) { totalCount edges { node {
              code defaultManufacturer { name } manufacturers { priority manufacturer { name } } } } } }"""
    )
    families = data["productFamilies"]
    assert families["totalCount"] == 6
    assert codes(families) == [
        "WRESTLING",
        "BASICS_TOPS",
        "BASICS_BOTTOMS",
        "WOMENS_LOUNGE",
        "SPORTS_JERSEYS",
        "ELEVATED",
    ]
    wrestling = families["edges"][0]["node"]
    assert wrestling["defaultManufacturer"] == {"name": "Hawk Manufacturing"}
    assert [m["manufacturer"]["name"] for m in wrestling["manufacturers"]] == [
        "Hawk Manufacturing",
        "ZAB",
    ]
    assert all(edge["node"]["manufacturers"] for edge in families["edges"])


async def test_loading_demo_data_twice_changes_nothing(database):
    from tests.support.db_state import snapshot

    assert (await load_demo_data(database)).endswith(
        "rows added, 10 demo orders added"
    )  # 2 from checkout
    first = await snapshot(database)
    assert await load_demo_data(database) == "demo data: 0 rows added, 0 demo orders added"
    assert await snapshot(database) == first
