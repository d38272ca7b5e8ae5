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
from auth.permissions import Permission
from resolvers.catalog import sources
from resolvers.context import RequestContext
from resolvers.owners import MANUFACTURER_PROFILE, MANUFACTURER_RECORD
from schema.api_keys.types import SOURCE as API_KEYS
from schema.api_keys.types import ApiKey, ApiKeyMutation, ApiKeyQuery
from schema.catalog.mutations import CatalogMutation
from schema.catalog.queries import CatalogQuery
from schema.catalog.types import (
    Category,
    Manufacturer,
    Product,
    ProductFamily,
    ProductFamilyManufacturer,
    Variant,
)
from schema.dashboard.types import DashboardQuery
from schema.error_policy import report
from schema.execution.acyclic import AcyclicHelpers
from schema.execution.batched import BatchedLists
from schema.extensions import DebugSql, RequestScope
from schema.input_checks import InputChecks
from schema.jobs import JobMutation, JobQuery
from schema.limits import OperationLimits
from schema.node import register_node
from schema.node_query import NodeQuery
from schema.orders import OrderMutation, OrderQuery
from schema.persisted.extension import PreparedDocuments
from schema.realtime import RealtimeSubscription
from schema.realtime.sharing import SharedEventExecution
from schema.routing.types import RoutingMutation, RoutingQuery
from schema.scalars import SCALAR_OVERRIDES
from schema.viewer import ViewerQuery

# Each node type: where it is read from, the permission that reads it, and for records
# with an owner, which column names the owner (a manufacturer's own profile is its row).
register_node(ProductFamily, sources.FAMILIES, read=Permission.VIEW_FAMILIES)
register_node(
    ProductFamilyManufacturer,
    sources.ASSIGNMENTS,
    read=Permission.VIEW_FAMILIES,
    owner=MANUFACTURER_RECORD,
)
register_node(Category, sources.CATEGORIES, read=Permission.VIEW_PRODUCTS)
register_node(Product, sources.PRODUCTS, read=Permission.VIEW_PRODUCTS)
register_node(Variant, sources.VARIANTS, read=Permission.VIEW_PRODUCTS)
register_node(
    Manufacturer,
    sources.MANUFACTURERS,
    read=Permission.VIEW_MANUFACTURERS,
    owner=MANUFACTURER_PROFILE,
)


register_node(ApiKey, API_KEYS, read=Permission.MANAGE_API_KEYS)


@strawberry.type(description="Read the graph.")
class Query(
    NodeQuery,
    ViewerQuery,
    CatalogQuery,
    ApiKeyQuery,
    OrderQuery,
    JobQuery,
    RoutingQuery,
    DashboardQuery,
):
    pass


@strawberry.type(description="Change the graph. Every mutation is one all-or-nothing transaction.")
class Mutation(CatalogMutation, ApiKeyMutation, OrderMutation, JobMutation, RoutingMutation):
    pass


@strawberry.type(
    description="Follow changes as they commit (WebSocket: graphql-transport-ws or graphql-ws)."
)
class Subscription(RealtimeSubscription):
    pass


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
        extensions=[PreparedDocuments, OperationLimits, InputChecks, RequestScope, DebugSql],
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
