"""Fuzzing the whole schema: generated operations over every root field and mutation, as an
admin and as a manufacturer, on the demo data, with hostile values (tests/support/fuzz/values.py).

No operation may answer 5xx or INTERNAL_SERVER_ERROR, log at ERROR or leave a database
connection checked out: whatever a client sends is served or refused as its mistake. Seeded
and bounded for CI; a longer run:
`OPSGRAPH_FUZZ_EXAMPLES=200 OPSGRAPH_FUZZ_SEED=1 uv run pytest tests/shared/test_fuzz_schema.py -s`
(`OPSGRAPH_FUZZ_SEED=<n>` explores other operations than CI's fixed ones).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis.strategies import SearchStrategy
from hypothesis_graphql import Mode
from sqlalchemy import select

from auth.permissions import Role
from db.base import Base
from db.engine import Database
from db.models import Manufacturer
from demo.seed import load_demo_data
from resolvers.ids import encode_id
from schema import schema
from settings import Settings
from tests.support.fuzz.operations import Operation, operations
from tests.support.fuzz.runner import ErrorRecords, FuzzRun
from tests.support.graphql import GraphQLClient

# Examples per root field and role: about 2,250 operations per backend in CI.
EXAMPLES = int(os.environ.get("OPSGRAPH_FUZZ_EXAMPLES", "15"))
# And operations that break the schema once, fewer: they stop at validation.
INVALID = max(1, EXAMPLES // 5)
SEED = os.environ.get("OPSGRAPH_FUZZ_SEED")
DEMO_MANUFACTURER = "Hawk Manufacturing"


def _bounded(max_examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Fixed examples (derandomized) unless a seed is given; no shrinking, since problems are
    collected and reported with their shortest operation instead of raised."""

    def configure(test: Callable[..., None]) -> Callable[..., None]:
        configured = hypothesis_settings(
            max_examples=max_examples,
            derandomize=SEED is None,
            database=None,
            deadline=None,
            phases=(Phase.explicit, Phase.generate),
            suppress_health_check=list(HealthCheck),
        )(test)
        return seed(int(SEED))(configured) if SEED is not None else configured

    return configure


# Row keys are random UUIDs: rows are listed by a natural key where the model has one, so
# that the n-th ID a run draws is mostly the same row from run to run.
_NATURAL_KEYS = ("reference", "job_number", "sku", "code", "name", "created_at")


async def _seed_demo_data(settings: Settings) -> tuple[dict[str, list[str]], uuid.UUID]:
    """The demo data, the global IDs of its rows by node type, and Hawk's id."""
    node_types = {
        name
        for name, graphql_type in schema._schema.type_map.items()
        if any(i.name == "Node" for i in getattr(graphql_type, "interfaces", ()))
    }
    database = Database(settings.database_url, encryption_keys=settings.encryption_keys)
    try:
        await load_demo_data(database, files=settings.files)
        ids: dict[str, list[str]] = {}
        async with database.transaction() as session:
            for mapper in Base.registry.mappers:
                model = mapper.class_
                if model.__name__ in node_types:
                    order = [getattr(model, key) for key in _NATURAL_KEYS if hasattr(model, key)]
                    keys = await session.scalars(select(model.id).order_by(*order, model.id))
                    ids[model.__name__] = [encode_id(model.__name__, key) for key in keys]
            hawk = await session.scalar(
                select(Manufacturer.id).where(Manufacturer.name == DEMO_MANUFACTURER)
            )
    finally:
        await database.dispose()
    assert hawk is not None
    return ids, hawk


def _fuzz_settings(settings: Settings) -> Settings:
    # A fuzzer spends any rate budget in seconds; every other limit stays on, since refusing
    # an over-limit operation (QUERY_TOO_COMPLEX) is a correct answer.
    limits = replace(settings.limits, rate_per_minute=10**12, anonymous_rate_per_minute=10**12)
    return replace(settings, limits=limits)


def _fuzz_field(
    run: FuzzRun,
    client: GraphQLClient,
    role: str,
    strategy: SearchStrategy[Operation],
    max_examples: int,
) -> None:
    @_bounded(max_examples)
    @given(strategy)
    def send(operation: Operation) -> None:
        run.send(client, role, operation)

    send()


def test_generated_operations_never_fail_the_server(settings: Settings) -> None:
    settings = _fuzz_settings(settings)
    graphql_schema = schema._schema
    roots = {"Query": graphql_schema.query_type, "Mutation": graphql_schema.mutation_type}
    loop = asyncio.new_event_loop()
    errors = ErrorRecords()
    logging.getLogger().addHandler(errors)
    run = FuzzRun(loop, errors)
    started = time.monotonic()
    try:
        ids, hawk = loop.run_until_complete(_seed_demo_data(settings))
        admin = GraphQLClient.for_settings(settings, Role.ADMIN)
        clients = {
            "manufacturer": admin.as_role(Role.MANUFACTURER, manufacturer_id=hawk),
            "admin": admin,  # last: closing it disposes of the app
        }
        try:
            # Reads first, then writes; the admin's writes last, as they change the demo data.
            for root, root_type in roots.items():
                assert root_type is not None
                for role, client in clients.items():
                    for name, root_field in root_type.fields.items():
                        # A field without arguments has nothing for an invalid operation to break.
                        modes = [(Mode.POSITIVE, EXAMPLES)]
                        modes += [(Mode.NEGATIVE, INVALID)] if root_field.args else []
                        for mode, examples in modes:
                            strategy = operations(graphql_schema, root, name, ids, mode)
                            _fuzz_field(run, client, role, strategy, examples)
        finally:
            for client in clients.values():
                loop.run_until_complete(client.__aexit__(None, None, None))
    finally:
        logging.getLogger().removeHandler(errors)
        loop.close()
    print(run.summary())
    print(f"{sum(run.counts.values())} operations in {time.monotonic() - started:.0f} s")
    if run.problems:
        pytest.fail(run.report(), pytrace=False)
