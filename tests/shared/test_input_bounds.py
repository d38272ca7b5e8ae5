"""Inputs that used to reach the database or arithmetic and answer INTERNAL_SERVER_ERROR
(issue 23, defect 4): NUL bytes and lone surrogates in any string, non-numeral or unbounded
Decimals, DateTimes whose UTC instant leaves years 1-9999. Each is BAD_USER_INPUT (or a
VALIDATION error at its field) with nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support import factories, order_factories
from tests.support.db_state import audit_entries, row_counts
from tests.support.graphql import GraphQLClient

NUL = "bad\u0000text"
SURROGATE = "bad\ud800text"
A_VARIANT_ID = "VmFyaWFudDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA"


async def post(client: GraphQLClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Posts JSON as a client may: ASCII with \\u escapes, so a lone surrogate can travel."""
    response = await client.http.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": variables}),
        headers={"content-type": "application/json"},
    )
    assert response.status_code < 500
    body: dict[str, Any] = response.json()
    return body


def refused_as_bad_input(body: dict[str, Any]) -> None:
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    assert codes and set(codes) == {"BAD_USER_INPUT"}, body
    assert "Internal" not in json.dumps(body)


def _input(mutation: str, input_type: str, fields: str) -> str:
    return f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {fields} }} }}"


# (document, variables with {bad} where the bad string goes)
MUTATIONS = {
    "createApiKey.name": (
        _input("createApiKey", "CreateApiKeyInput", "secret errors { code }"),
        {"input": {"name": "{bad}"}},
    ),
    "createCategory.name": (factories.CATEGORY, {"input": {"name": "{bad}"}}),
    "createCustomer.name": (order_factories.CREATE_CUSTOMER, {"input": {"name": "{bad}"}}),
    "createManufacturer.name": (factories.MANUFACTURER, {"input": {"name": "{bad}"}}),
    "createManufacturer.bankAccount": (
        factories.MANUFACTURER,
        {"input": {"name": "Maker", "bankAccount": "{bad}"}},
    ),
    "createProduct.name": (factories.PRODUCT, {"input": {"name": "{bad}", "sku": "S1"}}),
    "createProductFamily.code": (factories.FAMILY, {"input": {"code": "{bad}", "name": "F"}}),
    "createVariant.title": (
        factories.VARIANT,
        {"input": {"productId": A_VARIANT_ID, "sku": "V1", "title": "{bad}"}},
    ),
    "createVariant.productId": (
        factories.VARIANT,
        {"input": {"productId": "{bad}", "sku": "V1", "title": "T"}},
    ),
    "createOrder.notes": (
        order_factories.CREATE_ORDER,
        {"input": {"customerId": A_VARIANT_ID, "notes": "{bad}"}},
    ),
    "createOrder.metadata value": (
        order_factories.CREATE_ORDER,
        {"input": {"customerId": A_VARIANT_ID, "metadata": {"k": ["{bad}"]}}},
    ),
    "createOrder.metadata key": (
        order_factories.CREATE_ORDER,
        {"input": {"customerId": A_VARIANT_ID, "metadata": {"{bad}": 1}}},
    ),
    "createOrder.items.size": (
        order_factories.CREATE_ORDER,
        {"input": {"items": [{"variantId": A_VARIANT_ID, "quantity": 1, "size": "{bad}"}]}},
    ),
}


def _filter_query(field: str, filter_type: str) -> str:
    return f"query($f: {filter_type}) {{ {field}(filter: $f, first: 5) {{ totalCount }} }}"


QUERIES = {
    "productFamily(code:)": ("query($v: String!) { productFamily(code: $v) { id } }", "{bad}"),
    "order(reference:)": ("query($v: String!) { order(reference: $v) { id } }", "{bad}"),
    "node(id:)": ("query($v: ID!) { node(id: $v) { id } }", "{bad}"),
    **{
        f"{field}(filter: search)": (_filter_query(field, filter_type), {"search": "{bad}"})
        for field, filter_type in [
            ("productFamilies", "ProductFamilyFilter"),
            ("categories", "CategoryFilter"),
            ("products", "ProductFilter"),
            ("variants", "VariantFilter"),
            ("manufacturers", "ManufacturerFilter"),
            ("customers", "CustomerFilter"),
            ("orders", "OrderFilter"),
            ("manufacturingJobs", "ManufacturingJobFilter"),
        ]
    },
}


def _with(value: Any, bad: str) -> Any:
    """`value` with every "{bad}" (string or key) replaced by `bad`."""
    if isinstance(value, str):
        return bad if value == "{bad}" else value
    if isinstance(value, dict):
        return {_with(k, bad): _with(v, bad) for k, v in value.items()}
    if isinstance(value, list):
        return [_with(v, bad) for v in value]
    return value


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize("case", list(MUTATIONS))
async def test_unstorable_text_in_a_mutation_is_bad_user_input(client, database, case, bad):
    document, variables = MUTATIONS[case]
    before = await row_counts(database)
    refused_as_bad_input(await post(client, document, _with(variables, bad)))
    assert await row_counts(database) == before


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize("case", list(QUERIES))
async def test_unstorable_text_in_an_argument_or_filter_is_bad_user_input(client, case, bad):
    document, value = QUERIES[case]
    refused_as_bad_input(
        await post(client, document, {"v": _with(value, bad), "f": _with(value, bad)})
    )


async def test_an_input_refused_before_it_runs_is_a_request_error(client):
    """Like any variable that does not coerce: a request error, HTTP 400 for a client that
    accepts application/graphql-response+json (200 for legacy JSON clients,
    test_graphql_over_http), and nothing ran."""
    for document, value in [
        ("query($v: String!) { productFamily(code: $v) { id } }", NUL),
        (ORDERS_CREATED_AFTER.replace("$d", "$v"), "0001-01-01T00:00:00+14:00"),
    ]:
        response = await client.http.post(
            "/graphql",
            content=json.dumps({"query": document, "variables": {"v": value}}),
            headers={
                "content-type": "application/json",
                "accept": "application/graphql-response+json",
            },
        )
        assert response.status_code == 400
        refused_as_bad_input(response.json())


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ viewer { role } } # \ud800"},
        {"query": "{ viewer { role } }", "operationName": "a\ud800"},
        {"query": "{ viewer { role } }", "operationName": "a\u0000"},
    ],
    ids=["query comment", "operationName surrogate", "operationName nul"],
)
async def test_unstorable_text_in_the_request_itself_is_a_client_error(client, body):
    """The document text is hashed as UTF-8 and an unknown operation name is echoed: both
    failed with a lone surrogate (a 500 with a traceback)."""
    response = await client.http.post(
        "/graphql", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "\ud800" not in response.text and "\x00" not in response.text


async def test_a_nul_escape_in_a_string_literal_is_bad_user_input(client):
    body = await post(client, '{ productFamily(code: "A\\u0000") { id } }', {})
    refused_as_bad_input(body)


async def test_non_finite_json_numbers_in_metadata_are_bad_user_input(client, database):
    before = await row_counts(database)
    response = await client.http.post(
        "/graphql",
        # NaN is not JSON, but the request parser accepts it as a float.
        content='{"query": '
        + json.dumps(order_factories.CREATE_ORDER)
        + ', "variables": {"input": {"metadata": {"x": NaN}}}}',
        headers={"content-type": "application/json"},
    )
    refused_as_bad_input(response.json())
    assert await row_counts(database) == before


MONEY_FIELDS = {
    "targetCostMin": (factories.FAMILY, {"code": "FAM_X", "name": "F"}),
    "targetCostMax": (factories.FAMILY, {"code": "FAM_X", "name": "F"}),
    "unitCost": (factories.PRODUCT, {"name": "P", "sku": "P1"}),
    "price": (factories.VARIANT, {"productId": A_VARIANT_ID, "sku": "V1", "title": "T"}),
    "creditLimit": (factories.MANUFACTURER, {"name": "Maker"}),
    "currentBalance": (factories.MANUFACTURER, {"name": "Maker"}),
}
NOT_NUMERALS = [
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "1E+999999999999",
    "1e2",
    "1_000",
    "\uff11\uff12",  # full-width digits
    " 12.50",
    "12.50 ",
    "+1",
    ".5",
    "1.",
    "",
    "1" * 29,
]


@pytest.mark.parametrize("field", list(MONEY_FIELDS))
async def test_money_fields_take_plain_numerals_only(client, database, field):
    document, values = MONEY_FIELDS[field]
    before = await row_counts(database)
    for amount in NOT_NUMERALS:
        body = await post(client, document, {"input": {**values, field: amount}})
        refused_as_bad_input(body)
    assert await row_counts(database) == before


async def test_unit_price_takes_plain_numerals_only(client, database):
    before = await row_counts(database)
    for amount in NOT_NUMERALS:
        line = {"variantId": A_VARIANT_ID, "quantity": 1, "unitPrice": amount}
        body = await post(client, order_factories.CREATE_ORDER, {"input": {"items": [line]}})
        refused_as_bad_input(body)
    assert await row_counts(database) == before


async def test_cost_per_unit_takes_plain_numerals_only(client, database):
    family = await factories.family(client)
    maker = await factories.manufacturer(client)
    before = await row_counts(database)
    for amount in NOT_NUMERALS:
        values = {"familyId": family["id"], "manufacturerId": maker["id"], "costPerUnit": amount}
        refused_as_bad_input(await post(client, factories.ASSIGN, {"input": values}))
    assert await row_counts(database) == before


async def test_a_numeral_beyond_its_column_is_a_validation_error_at_its_field(client, database):
    before = await row_counts(database)
    payload = await client.mutate(
        factories.MANUFACTURER, {"input": {"name": "Maker", "creditLimit": "10000000000.00"}}
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "creditLimit"])
    ]
    assert await row_counts(database) == before


async def test_plain_numerals_are_accepted(client):
    family = await factories.family(client, targetCostMin="0", targetCostMax="99999999.99")
    assert family["code"].startswith("FAM_")


ORDERS_CREATED_AFTER = "query($d: DateTime) { orders(filter: {createdAfter: $d}) { totalCount } }"


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-01T00:00:00Z"]
)
async def test_a_datetime_outside_utc_years_1_to_9999_is_bad_user_input(client, moment):
    refused_as_bad_input(await post(client, ORDERS_CREATED_AFTER, {"d": moment}))
    document = ORDERS_CREATED_AFTER.replace("query($d: DateTime) ", "").replace(
        "$d", json.dumps(moment)
    )
    refused_as_bad_input(await post(client, document, {}))


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59+14:00"]
)
async def test_a_datetime_at_the_limits_in_utc_is_accepted(client, moment):
    data = await client(ORDERS_CREATED_AFTER, {"d": moment})
    assert data["orders"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("document", "values", "field"),
    [
        (factories.FAMILY, {"code": "FAM_X", "name": "F"}, "leadTimeDays"),
        (factories.MANUFACTURER, {"name": "Maker"}, "avgLeadTimeDays"),
    ],
)
async def test_a_lead_time_whose_due_date_cannot_be_computed_is_refused(
    client, database, document, values, field
):
    """Routing adds the lead time to today: 2147483647 days fit an INTEGER column but no
    date, so every approval of an order routed there failed."""
    before = await row_counts(database)
    payload = await client.mutate(document, {"input": {**values, field: 2147483647}})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", field])
    ]
    assert await row_counts(database) == before


# -- amounts derived from an order's lines -------------------------------------------------------

ORDER_JOBS = """query($id: ID!) { node(id: $id) { ... on Order {
  total { amount } jobs { quantity quotedCost { amount } } } } }"""


async def _routed_variant(client: GraphQLClient, cost_per_unit: str) -> str:
    """A variant whose family's default manufacturer charges `cost_per_unit` per unit (and
    a customer to order it)."""
    maker = await factories.manufacturer(
        client, onboardingStatus="ACTIVE", capabilities=["DTG"], creditLimit="9999999999.99"
    )
    family = await factories.family(client, defaultManufacturerId=maker["id"])
    await factories.assignment(
        client, family["id"], maker["id"], canDtg=True, costPerUnit=cost_per_unit
    )
    product = await factories.product(client, productFamilyId=family["id"])
    variant = await factories.variant(client, product["id"], size="M", price="1.00")
    await order_factories.customer(client)
    return str(variant["id"])


async def _create_order(client: GraphQLClient, lines: list[dict[str, Any]]) -> Any:
    customers = await client("{ customers(first: 1) { edges { node { id } } } }")
    customer = customers["customers"]["edges"][0]["node"]
    return await client.mutate(
        order_factories.CREATE_ORDER, {"input": {"customerId": customer["id"], "items": lines}}
    )


async def test_a_quantity_whose_job_cannot_hold_its_cost_is_refused_at_entry(client, database):
    """Issue 23: quantity 2147483647 at 1.00 was accepted and submitted, and every
    approveOrder then failed on the job's NUMERIC(10,2) quoted cost."""
    variant = await _routed_variant(client, "5.00")
    before = await row_counts(database)
    line = {"variantId": variant, "quantity": 2147483647, "unitPrice": "1.00"}
    payload = await _create_order(client, [line])
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "items", "0", "quantity"])
    ]
    assert await row_counts(database) == before


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        # the quantity range
        ([(0, "1.00")], ["input", "items", "0", "quantity"]),
        ([(1_000_001, "0.01")], ["input", "items", "0", "quantity"]),
        # quantity x unit price over a line's NUMERIC(12,2)
        ([(1_000_000, "99999999.99")], ["input", "items", "0", "quantity"]),
        # the lines fit, their sum does not fit the order's total
        ([(200_000, "40000.00")] * 2, ["input", "items"]),
        # a job routed every line would cost 5.00 x 20,000,000 > 99,999,999.99
        ([(1_000_000, "1.00")] * 20, ["input", "items"]),
    ],
)
async def test_lines_whose_derived_amounts_overflow_are_refused(client, database, lines, field):
    variant = await _routed_variant(client, "5.00")
    before = await row_counts(database)
    items = [{"variantId": variant, "quantity": q, "unitPrice": p} for q, p in lines]
    payload = await _create_order(client, items)
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("VALIDATION", field)]
    assert await row_counts(database) == before


async def test_an_order_at_the_derived_bounds_is_approved(client):
    """Near every derived bound (line and order total, job quantity and cost) an order is
    accepted, and approving it creates its job."""
    variant = await _routed_variant(client, "99.99")
    line = {"variantId": variant, "quantity": 1_000_000, "unitPrice": "9999.99"}
    payload = await _create_order(client, [line])
    assert payload["errors"] == []
    order = payload["order"]
    assert order["total"]["amount"] == "9999990000.00"
    for mutation in (order_factories.SUBMIT, order_factories.APPROVE):
        assert (await client.mutate(mutation, {"input": {"id": order["id"]}}))["errors"] == []
    found = (await client(ORDER_JOBS, {"id": order["id"]}))["node"]
    assert found["jobs"] == [{"quantity": 1_000_000, "quotedCost": {"amount": "99990000.00"}}]


# -- values longer than their column -------------------------------------------------------------

TOO_LONG = "x" * 600


@pytest.mark.parametrize(
    ("document", "values", "field"),
    [
        (
            factories.FAMILY,
            {"code": "FAM_X", "name": "F", "imageUrl": "https://a.io/" + TOO_LONG},
            "imageUrl",
        ),
        (factories.MANUFACTURER, {"name": "M", "region": TOO_LONG}, "region"),
        (factories.MANUFACTURER, {"name": "M", "city": TOO_LONG}, "city"),
        (
            factories.MANUFACTURER,
            {"name": "M", "primaryContactWhatsapp": TOO_LONG},
            "primaryContactWhatsapp",
        ),
        (factories.MANUFACTURER, {"name": "M", "secondaryPhone": TOO_LONG}, "secondaryPhone"),
        (factories.MANUFACTURER, {"name": "M", "website": "https://a.io/" + TOO_LONG}, "website"),
        (factories.MANUFACTURER, {"name": "M", "email": TOO_LONG + "@a.io"}, "email"),
        (
            factories.MANUFACTURER,
            {"name": "M", "secondaryEmail": TOO_LONG + "@a.io"},
            "secondaryEmail",
        ),
    ],
)
async def test_text_longer_than_its_column_is_a_validation_error_at_its_field(
    client, database, document, values, field
):
    """No mutation checked these lengths: PostgreSQL refused the INSERT (500)."""
    before = await row_counts(database)
    payload = await client.mutate(document, {"input": values})
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", field])
    ]
    assert await row_counts(database) == before


UPDATE_MANUFACTURER = """mutation($input: UpdateManufacturerInput!) {
  updateManufacturer(input: $input) { manufacturer { city } errors { code field } } }"""


async def test_an_update_longer_than_its_column_is_a_validation_error(client, database):
    maker = await factories.manufacturer(client, city="Sialkot")
    before = await row_counts(database)
    payload = await client.mutate(
        UPDATE_MANUFACTURER, {"input": {"id": maker["id"], "city": TOO_LONG}}
    )
    assert payload == {
        "manufacturer": None,
        "errors": [{"code": "VALIDATION", "field": ["input", "city"]}],
    }
    assert await row_counts(database) == before


UPDATE_ASSIGNMENT = """mutation($input: UpdateFamilyManufacturerInput!) {
  updateFamilyManufacturer(input: $input) { errors { code field } } }"""
ASSIGNMENTS = """{ productFamilies(first: 5) { edges { node { manufacturers { id } } } } }"""


async def test_a_cost_raised_after_entry_makes_approval_a_validation_error(client, database):
    """Entry bounds the job cost by the assignments of the day; a cost per unit raised later
    still cannot reach the database: approval refuses, writes nothing, and can be retried
    once the cost is corrected."""
    variant = await _routed_variant(client, "5.00")
    payload = await _create_order(client, [{"variantId": variant, "quantity": 1_000_000}])
    order = payload["order"]
    await client.mutate(order_factories.SUBMIT, {"input": {"id": order["id"]}})
    families = (await client(ASSIGNMENTS))["productFamilies"]["edges"]
    (assignment,) = families[0]["node"]["manufacturers"]
    raised = {"id": assignment["id"], "costPerUnit": "99999999.99"}
    assert (await client.mutate(UPDATE_ASSIGNMENT, {"input": raised}))["errors"] == []
    before = await row_counts(database)
    approval = await client.mutate(order_factories.APPROVE, {"input": {"id": order["id"]}})
    assert [e["code"] for e in approval["errors"]] == ["VALIDATION"]
    assert await row_counts(database) == before
    lowered = {"id": assignment["id"], "costPerUnit": "5.00"}
    assert (await client.mutate(UPDATE_ASSIGNMENT, {"input": lowered}))["errors"] == []
    approval = await client.mutate(order_factories.APPROVE, {"input": {"id": order["id"]}})
    assert approval["errors"] == [] and approval["order"]["status"] == "APPROVED"


async def test_a_long_user_agent_does_not_fail_the_audited_write(client, database):
    """The audit row keeps the User-Agent in VARCHAR(500): a longer header failed every
    mutation with INTERNAL_SERVER_ERROR. The audit keeps its first 500 characters."""
    headers = {**client.headers, "user-agent": "agent/" + "x" * 1000}
    payload = await client.with_headers(headers).mutate(
        factories.CATEGORY, {"input": {"name": "Tops"}}
    )
    assert payload["errors"] == []
    (entry,) = await audit_entries(database)
    assert entry.user_agent == headers["user-agent"][:500]
