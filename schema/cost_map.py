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

Every list of objects in the schema needs a decision, in its domain's `graph.py`
(GraphDomain.list_sizes): tests/shared/test_query_limits.py fails
for a list without one, so each new domain states what its lists cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeVar

from graphql import GraphQLNamedType

from auth.permissions import Permission
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from schema.domain import ArgumentLength, ListSize
from schema.domains import DOMAINS

T = TypeVar("T")

# What a mutation costs before its payload's selection: a transaction, its audit row and the
# change events it emits.
MUTATION_COST: Final = 10
MINIMUM_OPERATION_COST: Final = 1
CONNECTION_SUFFIX: Final = "Connection"


def _merged(
    shared: Mapping[str, T], per_domain: Iterable[tuple[str, Mapping[str, T]]]
) -> dict[str, T]:
    merged = dict(shared)
    for name, sizes in per_domain:
        if twice := merged.keys() & sizes.keys():
            raise ValueError(f"the {name} domain declares list sizes given before: {sorted(twice)}")
        merged.update(sizes)
    return merged


# Plain lists of objects, by "Type.field": their assumed length. Each domain declares its
# own (GraphDomain.list_sizes); these are the graph's shared ones.
LIST_SIZES: Final[Mapping[str, ListSize]] = _merged(
    {
        "Query.nodes": ArgumentLength("ids"),
        # At most one per permission.
        "Viewer.grants": len(Permission),
    },
    ((domain.name, domain.list_sizes) for domain in DOMAINS),
)

# Lists of these item types, wherever they appear.
ITEM_TYPE_SIZES: Final[Mapping[str, int]] = _merged(
    {"UserError": 3}, ((domain.name, domain.item_type_sizes) for domain in DOMAINS)
)


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
