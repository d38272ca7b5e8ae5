"""Relation fields declared as data: the node type, the key on the parent, one or many.

One declaration answers one parent (the field's resolver, which graphql-core calls) and a
whole level of parents at once (`schema.execution.batched`, which completes a list of 100
jobs with one loader call per relation instead of 100 resolver calls). Both go through the
same `load`, given the parents' `parent_key` values, so a relation cannot answer differently
in a list than on its own. A level may take the rows instead of nodes built from them
(`schema.execution.levels`).

    manufacturer = to_one(Manufacturer, "manufacturer_id", description="...")
    items = children(JobItem, "job_id", order=(SortKey("position"),), description="...")

A type defined in a module that imports this one is named lazily: `Lazy("Order",
"schema.orders.types")`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, ClassVar

import strawberry
from strawberry.types import Info

from resolvers.columns import Columns
from resolvers.pagination import SortKey
from schema.context import request_context
from schema.node import build_nodes, nodes_by_id, visibility, visible_rows_by_id

# Where a field's relation is kept in its strawberry metadata.
RELATION = "opsgraph.relation"


@dataclass(frozen=True)
class Lazy:
    """A node type named by module, for relations that would otherwise import in a cycle."""

    name: str
    module: str

    def annotation(self) -> Any:
        return Annotated[self.name, strawberry.lazy(self.module)]

    def resolve(self) -> type[Any]:
        node_type: type[Any] = getattr(importlib.import_module(self.module), self.name)
        return node_type


NodeRef = type[Any] | Lazy


def _annotation(target: NodeRef) -> Any:
    return target.annotation() if isinstance(target, Lazy) else target


def _resolve(target: NodeRef) -> type[Any]:
    return target.resolve() if isinstance(target, Lazy) else target


class MissingRelated(LookupError):
    """A relation the schema declares non-null found no row (a broken foreign key)."""


@dataclass(frozen=True)
class _Related:
    target: NodeRef

    @cached_property
    def node_type(self) -> type[Any]:
        return _resolve(self.target)


@dataclass(frozen=True)
class ToOne(_Related):
    """The node whose primary key the parent holds in `parent_key` (null if missing or not the
    viewer's; an error instead when `required`)."""

    parent_key: str  # the parent's attribute holding the node's primary key
    required: bool = False

    async def load(
        self,
        info: Info[Any, Any],
        keys: Sequence[Any],
        columns: Columns = None,
        *,
        rows: bool = False,
    ) -> list[Any]:
        """One entry per parent's key: the node (with `rows`, its row), None, or (when
        required) a MissingRelated. Parents that share a key share one node object (100
        jobs of 12 manufacturers build 12 manufacturers). `columns`: only these of the
        nodes' rows are read."""
        node_type = self.node_type
        if keys.count(None) == len(keys):
            return [None] * len(keys)  # nothing to read: no permission to check either
        read = visible_rows_by_id if rows else nodes_by_id
        found: dict[Any, Any] = await read(info, node_type, keys, columns)
        if self.required:
            for key in keys:
                if key is not None and key not in found:
                    found[key] = MissingRelated(f"{node_type.__name__} {key} is missing")
        return list(map(found.get, keys))  # None for a None key too: no node has that id


@dataclass(frozen=True)
class Children(_Related):
    """The nodes whose `column` holds the parent's primary key, in `order` (short lists:
    other owners' rows are left out, never an error)."""

    column: str
    order: tuple[SortKey, ...] = ()
    # Where the children are read when not from their node type's source: a join through a
    # link table (a lot's COAs: COA rows with the lot_id of each lot_coas row).
    through: Any = None
    parent_key: ClassVar[str] = "pk"  # children are found by their parent's primary key

    async def load(
        self,
        info: Info[Any, Any],
        keys: Sequence[Any],
        columns: Columns = None,
        *,
        rows: bool = False,
    ) -> list[Any]:
        """Each parent's list of nodes (with `rows`, of their rows), by the parents' keys."""
        node_type = self.node_type
        seen = visibility(info, node_type)
        source = seen.binding.source if self.through is None else self.through
        groups = await request_context(info).loaders.children_of(
            source, self.column, self.order, columns, keys
        )
        shown = [seen.keep(group) for group in groups]
        if rows:
            return shown
        nodes = iter(build_nodes(node_type, [row for group in shown for row in group]))
        return [[next(nodes) for _ in group] for group in shown]


Relation = ToOne | Children


def relation_of(field: Any) -> Relation | None:
    """The relation a strawberry field declares, if it is one."""
    metadata = getattr(field, "metadata", None)
    found: Relation | None = metadata.get(RELATION) if metadata else None
    return found


def _field(relation: Relation, graphql_type: Any, description: str) -> Any:
    async def resolve(root: Any, info: Info[Any, Any]) -> Any:
        (value,) = await relation.load(info, [getattr(root, relation.parent_key)])
        if isinstance(value, Exception):
            raise value
        return value

    return strawberry.field(
        resolver=resolve,
        graphql_type=graphql_type,
        description=description,
        metadata={RELATION: relation},
    )


def relation_field(relation: Relation, graphql_type: Any, description: str) -> Any:
    """A field answered by `relation` (for relations of their own kind, such as a holder's
    file, schema/files.py)."""
    return _field(relation, graphql_type, description)


def to_one(target: NodeRef, key: str, *, description: str, required: bool = False) -> Any:
    """A field holding the node whose id the parent keeps in `key`."""
    annotation = _annotation(target)
    graphql_type = annotation if required else annotation | None
    return _field(ToOne(target, key, required), graphql_type, description)


def children(
    target: NodeRef,
    column: str,
    *,
    description: str,
    order: Sequence[SortKey] = (),
    nullable: bool = False,
    through: Any = None,
) -> Any:
    """A field listing the nodes whose `column` is the parent's id. `nullable` for lists the
    viewer may be refused as a whole (null with FORBIDDEN rather than an error up the tree).
    `through`: a many-to-many, read from a join of the nodes' table and the link table
    that holds `column` (the node type's rule still decides who sees them)."""
    annotation: Any = list.__class_getitem__(_annotation(target))
    return _field(
        Children(target, column, tuple(order), through),
        annotation | None if nullable else annotation,
        description,
    )
