"""The OpsGraph schema: `schema_for(settings.batched_execution)` is the strawberry Schema
every transport serves; `schema.schema`, the batched one, is the default."""

from __future__ import annotations

from functools import cache
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

import resolvers.subscribers  # noqa: F401  (every domain's event handlers, before any request)
from resolvers.context import RequestContext
from schema.domain import register, roots
from schema.domains import DOMAINS
from schema.error_policy import report
from schema.execution.acyclic import AcyclicHelpers
from schema.execution.batched import BatchedLists
from schema.extensions import DebugSql, RequestScope
from schema.input_checks import InputChecks
from schema.limits import OperationLimits
from schema.node_query import NodeQuery
from schema.observation import ObservedOperation
from schema.persisted.extension import PreparedDocuments
from schema.realtime.sharing import SharedEventExecution
from schema.scalars import SCALAR_OVERRIDES
from schema.viewer import ViewerQuery

register(DOMAINS)

# The roots: the shared fields, then each domain's in the order schema/domains.py lists them.
Query = strawberry.type(
    type("Query", (NodeQuery, ViewerQuery, *roots(DOMAINS, "query")), {}),
    description="Read the graph.",
)
Mutation = strawberry.type(
    type("Mutation", roots(DOMAINS, "mutation"), {}),
    description="Change the graph. Every mutation is one all-or-nothing transaction.",
)
Subscription = strawberry.type(
    type("Subscription", roots(DOMAINS, "subscription"), {}),
    description="Follow changes as they commit (WebSocket: graphql-transport-ws or graphql-ws).",
)


class Execution(AcyclicHelpers, SharedEventExecution, BatchedLists):
    """graphql-core's executor with lists completed a level at a time (schema.execution),
    subscription events executed once per viewer scope (schema.realtime.sharing), and
    nothing left for the garbage collector when a request ends (schema.execution.acyclic)."""


class PlainExecution(AcyclicHelpers, SharedEventExecution):
    """The same without the batched engine: graphql-core resolves every field of every
    object itself, relations through the request's DataLoaders (OPSGRAPH_BATCHED_EXECUTION
    off), so the engine can be ruled out, or in, when an answer looks wrong."""


class OpsGraphSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Instead of strawberry's (every error at ERROR with its traceback): client errors
        at INFO, our faults at ERROR and masked (schema/error_policy.py)."""
        context = getattr(execution_context, "context", None)
        request_id = context.actor.request_id if isinstance(context, RequestContext) else None
        report(errors, request_id)


def _build(execution: type[StrawberryGraphQLCoreExecutionContext]) -> OpsGraphSchema:
    return OpsGraphSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        execution_context_class=execution,
        extensions=[
            PreparedDocuments,
            # Around everything that follows (it parses nothing, so its place after the
            # persisted documents changes no parse).
            ObservedOperation,
            OperationLimits,
            InputChecks,
            RequestScope,
            DebugSql,
        ],
        config=StrawberryConfig(auto_camel_case=True),
        scalar_overrides=SCALAR_OVERRIDES,
    )


schema = _build(Execution)


@cache
def _plain_schema() -> OpsGraphSchema:
    # Built on first use: most processes never ask for it.
    return _build(PlainExecution)


def schema_for(batched_execution: bool) -> OpsGraphSchema:
    """The schema executing with the batched engine, or with graphql-core's own executor;
    both have the same types and answer the same."""
    return schema if batched_execution else _plain_schema()
