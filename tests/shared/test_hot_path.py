"""What the request hot path keeps between requests, and the JSON it writes (issue #7)."""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest
from graphql import build_schema, parse
from graphql.execution import Executor
from sqlalchemy import select

from db.models import Manufacturer as ManufacturerRow
from db.models import ManufacturingJob as ManufacturingJobRow
from db.models import Order as OrderRow
from db.reader import Reader
from resolvers import pagination
from resolvers.context import RequestContext
from resolvers.loaders import Loaders
from schema import node as node_module
from schema.catalog.types import Manufacturer as ManufacturerNode
from schema.execution.acyclic import AcyclicHelpers
from schema.jobs.types import ManufacturingJob as ManufacturingJobNode
from schema.json_codec import dumps, loads
from schema.node import build_node, build_nodes
from schema.orders.types import Order as OrderNode
from tests.support import factories, job_support
from tests.support.parsing import count_parsing
from tests.support.spies import spy

FAMILY_BY_CODE = "query($code: String!) { productFamily(code: $code) { code name } }"


async def test_a_text_sent_in_full_is_parsed_and_validated_once(client, monkeypatch):
    first = await factories.family(client, name="Wrestling")
    second = await factories.family(client, name="Basics")
    calls = count_parsing(monkeypatch)

    answers = [
        await client(FAMILY_BY_CODE, {"code": code})
        for code in (first["code"], second["code"], first["code"])
    ]

    assert [a["productFamily"]["name"] for a in answers] == ["Wrestling", "Basics", "Wrestling"]
    assert calls.count("parse") == 1 and calls.count("validate") == 1


async def test_a_text_that_does_not_validate_is_refused_every_time_and_never_kept(client):
    query = "{ productFamilies { nope } }"
    bodies = [(await client.post(query)).json() for _ in range(2)]

    assert bodies[0]["errors"][0]["message"] == bodies[1]["errors"][0]["message"]
    assert "nope" in bodies[0]["errors"][0]["message"]
    assert len(client.app.state.persisted_queries.adhoc_cache) == 0


async def test_answers_carry_text_in_any_language(client):
    created = await factories.family(client, name="Ünïcode Çafé 工場")
    data = await client(FAMILY_BY_CODE, {"code": created["code"]})
    assert data["productFamily"]["name"] == "Ünïcode Çafé 工場"


def test_json_beyond_what_orjson_represents_still_encodes_and_decodes():
    huge = 2**70  # free-form JSON metadata may hold integers beyond 64 bits
    assert json.loads(dumps({"n": huge, "s": "é"})) == {"n": huge, "s": "é"}
    assert loads(json.dumps({"n": huge})) == {"n": huge}
    with pytest.raises(json.JSONDecodeError):
        loads("{not json")


async def test_a_list_builds_its_nodes_as_each_would_be_built_alone(client, database, monkeypatch):
    """A list's nodes skip the dataclass __init__ (it is most of their cost); they must hold
    exactly what __init__ would give them, including the fields whose column is named
    otherwise (an order's `metadata_`, a manufacturer's encrypted `bank_account`)."""
    world = await job_support.catalog(client, database)
    for _ in range(3):
        await world.job(items=2)
    node_types = {
        ManufacturingJobRow: ManufacturingJobNode,
        OrderRow: OrderNode,
        ManufacturerRow: ManufacturerNode,
    }
    async with database.engine.connect() as conn:
        rows = {model: (await conn.execute(select(model.__table__))).all() for model in node_types}
    alone = {
        model: [vars(build_node(node_type, row)) for row in rows[model]]
        for model, node_type in node_types.items()
    }
    for node_type in node_types.values():
        monkeypatch.setattr(node_type, "__init__", _refuse_init)

    for model, node_type in node_types.items():
        built: list[Any] = build_nodes(node_type, rows[model])
        assert len(built) == len(rows[model]) >= 2
        assert [vars(node) for node in built] == alone[model]


def _refuse_init(self: object, **values: object) -> None:
    raise AssertionError(f"{type(self).__name__}.__init__ called for a list")


async def test_cursors_are_encoded_only_for_the_edges_that_ask(client, monkeypatch):
    for name in ("Wrestling", "Basics", "Outerwear"):
        await factories.family(client, name=name)
    encoded = spy(monkeypatch, pagination, "encode_cursor")

    nodes = await client("{ productFamilies { edges { node { name } } } }")
    assert len(nodes["productFamilies"]["edges"]) == 3 and encoded == []

    paged = await client(
        "{ productFamilies(first: 2) { edges { cursor } pageInfo { endCursor } } }"
    )
    edges = paged["productFamilies"]["edges"]
    assert len(encoded) == 3  # two edges and the end cursor
    assert paged["productFamilies"]["pageInfo"]["endCursor"] == edges[-1]["cursor"]
    after = await client(
        "query($after: String) { productFamilies(after: $after) { edges { node { name } } } }",
        {"after": edges[-1]["cursor"]},
    )
    assert len(after["productFamilies"]["edges"]) == 1


async def test_a_request_leaves_no_reference_cycle_for_the_garbage_collector(client):
    """What a request made is freed when it ends: left in cycles, it waited for a collection,
    and under load one collection stalled every request in flight for ~80 ms."""
    family = await factories.family(client, name="Basics")
    await factories.category(client, name="Tees", productFamilyId=family["id"])
    query = "{ productFamilies { edges { node { code categories { edges { node { name } } } } } } }"
    await client(query)
    gc.collect()
    gc.garbage.clear()
    debug = gc.get_debug()
    gc.set_debug(debug | gc.DEBUG_SAVEALL)
    try:
        data = await client(query)
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Executor | RequestContext | Loaders)]
    finally:
        gc.set_debug(debug)
        gc.garbage.clear()

    (edge,) = data["productFamilies"]["edges"]
    assert edge["node"]["categories"]["edges"] == [{"node": {"name": "Tees"}}]
    assert left == []


async def test_resolve_info_helpers_reach_their_executor_while_it_runs():
    """Also a copy's (graphql-core's per-event executors), after the original is gone."""

    class Plain(AcyclicHelpers):
        pass

    executor = Plain.build(build_schema("type Query { a: Int }"), parse("{ a }"))
    assert not isinstance(executor, list)
    helpers = executor.async_helpers

    async def one() -> int:
        return 1

    assert await helpers.gather([one(), one()]) == [1, 1]
    per_event = executor.build_per_event_executor({"a": 2})  # a copy, as for each event
    del executor
    with pytest.raises(RuntimeError, match="after its execution ended"):
        helpers.track([])
    assert await per_event.async_helpers.gather([one()]) == [1]  # its own, still alive


async def test_an_unfiltered_first_page_runs_the_same_statements_every_time(client, monkeypatch):
    """Built once, such a page is found in SQLAlchemy's compiled cache without a new
    statement and cache key per request; filtered pages still get their own."""
    for name in ("Basics", "Wrestling", "Yoga"):
        await factories.family(client, name=name)
    fetched = spy(monkeypatch, Reader, "fetch")
    fields = "totalCount edges { node { name } }"
    page = f"{{ productFamilies(first: 2) {{ {fields} }} }}"
    search = (
        f"query($s: String) {{ productFamilies(first: 2, filter: {{search: $s}}) {{ {fields} }} }}"
    )

    unfiltered = [await client(page) for _ in "ab"]
    filtered = [await client(search, {"s": "asic"}) for _ in "ab"]

    statements = [call[1] for call in fetched]
    assert len(statements) == 8  # a page and its count, per request
    assert statements[0:2] == statements[2:4]  # the very same objects
    assert all(a is not b for a, b in zip(statements[4:6], statements[6:8], strict=True))
    assert unfiltered[0] == unfiltered[1]
    assert unfiltered[0]["productFamilies"]["totalCount"] == 3
    assert [e["node"]["name"] for e in filtered[0]["productFamilies"]["edges"]] == ["Basics"]
    assert filtered[0]["productFamilies"]["totalCount"] == 1


async def test_where_a_result_holds_each_field_is_worked_out_once_per_set_of_columns(
    client, database, monkeypatch
):
    """Nodes of the same type built from rows of the same columns share one layout: the
    second board works out none, and answers the same. (Levels below a list are read from
    their rows, and build nodes only for a field that needs them: `allowedTransitions`.)"""
    world = await job_support.catalog(client, database)
    for _ in range(2):
        await world.job(items=2)
    board = """{ manufacturingJobs(first: 5) { edges { node {
      jobNumber status manufacturer { name } order { reference allowedTransitions }
      items { quantity variant { sku } }
    } } } }"""
    monkeypatch.setattr(node_module, "_layouts", {})  # none from earlier tests
    worked_out = spy(monkeypatch, node_module._Layout, "_work_out")

    first = await client(board)
    after_first = len(worked_out)
    second = await client(board)

    assert first == second and len(first["manufacturingJobs"]["edges"]) == 2
    assert after_first >= 2  # jobs, orders
    assert len(worked_out) == after_first
