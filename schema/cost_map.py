"""The one cost map: what the fields of the graph cost, so an operation's cost is known before
it runs (schema/limits.py adds it up, checks it and charges it to the caller's rate limit).

Cost approximates how many objects a response can hold, which is what loading it costs:
- scalar and enum fields cost 0 (they arrive with their object), and so does introspection;
- a field returning an object costs 1 plus the cost of its selection;
- a list of objects costs its assumed size times (1 + the selection of one item); the size is
  decided below, per field in LIST_SIZES or per item type in ITEM_TYPE_SIZES;
- a connection (a field whose type's name ends with "Connection") costs 1 plus its selection,
  where its item list (`edges`) holds one page: `first` or `last` (a literal or a variable),
  else the default page size, and at most the maximum (asking for more is an error anyway);
- a mutation field costs MUTATION_COST plus its selection; an operation costs at least 1.

Every list of objects in the schema needs a decision here: tests/shared/test_query_limits.py fails
for a list without one, so each new domain states what its lists cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from graphql import GraphQLNamedType

from auth.permissions import Permission
from domain.catalog import MAX_BULK_ASSIGN
from domain.jobs import JobStatus
from resolvers import dashboard, jobs, notifications, orders
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# What a mutation costs before its payload's selection: a transaction, its audit row and the
# change events it emits.
MUTATION_COST: Final = 10
MINIMUM_OPERATION_COST: Final = 1
CONNECTION_SUFFIX: Final = "Connection"


@dataclass(frozen=True)
class ArgumentLength:
    """The list holds one item per element of one of the field's list arguments."""

    argument: str


ListSize = int | ArgumentLength

# Plain lists of objects, by "Type.field": their assumed length.
LIST_SIZES: Final[Mapping[str, ListSize]] = {
    "Query.nodes": ArgumentLength("ids"),
    "Product.variants": 20,
    "ProductFamily.manufacturers": 10,
    "Manufacturer.families": 20,
    # As many as the input may name.
    "AssignProductsToFamilyPayload.products": MAX_BULK_ASSIGN,
    # At most one per permission.
    "Viewer.grants": len(Permission),
    # Orders: lines and timeline of one order, its jobs (one per manufacturer) and history.
    "Order.lineItems": 20,
    "Order.events": 20,
    "Order.jobs": 10,
    "Order.statusHistory": 10,
    "BulkUpdateOrderStatusPayload.results": orders.MAX_BULK,
    # Routing: candidates of one decision, the jobs and decisions of one order.
    "RoutingDecision.candidates": 10,
    # A reason per distinct line reason (mostly one), the few candidates it passed over.
    "RoutingDecision.reasonDetails": 2,
    "ManufacturingJob.routingReasonDetails": 2,
    "RoutingReasonDetail.passedOver": 5,
    "RouteOrderPayload.jobs": 10,
    "RouteOrderPayload.decisions": 20,
    # Jobs: lines, notes, issues and history of one job; batch inputs' maximum sizes.
    "ManufacturingJob.items": 20,
    "ManufacturingJob.jobNotes": 50,
    "ManufacturingJob.issues": 10,
    "ManufacturingJob.statusHistory": 20,
    "BatchTransitionJobsPayload.results": jobs.MAX_BATCH,
    "MarkNotificationsReadPayload.notifications": notifications.MAX_MARK,
    # Dashboards: capped by their `limit` maximum; one entry per job status.
    "Dashboard.urgentJobs": dashboard.URGENT_LIMIT,
    "Dashboard.activity": dashboard.ACTIVITY_LIMIT,
    "DashboardStats.jobsByStatus": len(JobStatus),
}

# Lists of these item types, wherever they appear.
ITEM_TYPE_SIZES: Final[Mapping[str, int]] = {
    "UserError": 3,
    # Why one candidate could not take the work: mostly one or two of Unavailable's codes.
    "RoutingObstacle": 3,
}


def is_connection(named_type: GraphQLNamedType) -> bool:
    return named_type.name.endswith(CONNECTION_SUFFIX)


def page_size(arguments: Mapping[str, Any]) -> int:
    """How many items a connection field's page holds: `first`/`last`, else the default."""
    sizes = [
        value
        for name in ("first", "last")
        if isinstance(value := arguments.get(name), int) and not isinstance(value, bool)
    ]
    if not sizes:
        return DEFAULT_PAGE_SIZE
    return min(max(*sizes, 0), MAX_PAGE_SIZE)


def list_size(
    parent_type: str, field: str, item_type: str, arguments: Mapping[str, Any]
) -> int | None:
    """The assumed length of a plain list of objects; None when the map has no decision."""
    size = LIST_SIZES.get(f"{parent_type}.{field}")
    if size is None:
        return ITEM_TYPE_SIZES.get(item_type)
    if isinstance(size, int):
        return size
    value = arguments.get(size.argument)
    if isinstance(value, list):
        return len(value)
    return 0 if value is None else 1  # a single value is coerced to a list of one
