"""The Relay `Node` interface, building node objects from rows, and who may see them.

Node types are registered with the selectable they are read from, the permission that reads
them and, for owned records, their `Owner`. Every way a node reaches a client (`node(id:)`,
relations, child lists, connections) goes through `visibility`, so a type the viewer may not
read is FORBIDDEN at its path and, for an OWN grant, rows of other owners are filtered out
where they are loaded: lists shrink rather than fail.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any, TypeVar, cast

import strawberry
from sqlalchemy import ColumnElement, FromClause, Row, false
from strawberry.types import Info

from auth.access import Owner, require
from auth.permissions import Permission, Scope, grant
from resolvers.columns import Columns
from resolvers.ids import encode_id
from schema.context import request_context


@strawberry.interface(description="An object with a globally unique, opaque ID (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Globally unique opaque ID. Fetch the object again with `node(id:)`."
    )


N = TypeVar("N")


@dataclass(frozen=True)
class NodeBinding:
    node_type: type[Any]
    source: FromClause
    read: Permission
    owner: Owner | None = None


NODE_TYPES: dict[str, NodeBinding] = {}


def register_node(
    node_type: type[N], source: FromClause, *, read: Permission, owner: Owner | None = None
) -> type[N]:
    """Bind a node type to its source, read permission and owner rule. A second, different
    binding of the same type is refused: it would change who may read every such node."""
    known = NODE_TYPES.get(node_type.__name__)
    if known is not None and not (
        known.node_type is node_type
        and known.source is source
        and known.read == read
        and known.owner == owner
    ):
        raise ValueError(f"{node_type.__name__} is registered twice, differently")
    NODE_TYPES[node_type.__name__] = NodeBinding(node_type, source, read, owner)
    return node_type


# Object types that are no nodes but hold another owner's data (a routing obstacle's
# figures are its manufacturer's), so their guarded fields follow that owner's grants.
OWNED_TYPES: dict[str, Owner] = {}


def register_owner(value_type: type[N], owner: Owner) -> type[N]:
    if OWNED_TYPES.get(value_type.__name__, owner) != owner:
        raise ValueError(f"{value_type.__name__} has two owner rules")
    OWNED_TYPES[value_type.__name__] = owner
    return value_type


def owner_of(node: Any) -> tuple[Owner | None, uuid.UUID | None]:
    """The owner rule of a node object's type and the owner id it holds."""
    binding = NODE_TYPES.get(type(node).__name__)
    owner = binding.owner if binding is not None else OWNED_TYPES.get(type(node).__name__)
    if owner is None:
        return None, None
    column = owner.column
    owner_id: uuid.UUID | None = getattr(node, "pk" if column == "id" else column)
    return owner, owner_id


@dataclass(frozen=True)
class Visibility:
    """Which rows of one node type the viewer may see: all, or those of one owner."""

    binding: NodeBinding
    owner_id: uuid.UUID | None = None
    restricted: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions for lists, so pages and counts only hold visible rows."""
        if not self.restricted:
            return []
        owner = self.binding.owner
        if owner is None or self.owner_id is None:
            return [false()]
        return [self.binding.source.c[owner.column] == self.owner_id]

    def keep(self, rows: Sequence[Any]) -> Sequence[Any]:
        """The rows the viewer may see: `rows` themselves unless restricted."""
        return [row for row in rows if self.shows(row)] if self.restricted else rows

    def shows(self, row: Any) -> bool:
        if not self.restricted:
            return True
        owner = self.binding.owner
        return (
            owner is not None
            and self.owner_id is not None
            and row._mapping[owner.column] == self.owner_id
        )


def visibility(info: Info[Any, Any], node_type: type[Any]) -> Visibility:
    """What of `node_type` the viewer may see; raises FORBIDDEN/UNAUTHENTICATED at the
    current path when it may see none of it."""
    binding = NODE_TYPES[node_type.__name__]
    actor = request_context(info).actor
    # The path is only needed to report a denial: building it for every row costs more
    # than the check itself.
    scope = grant(actor.role, binding.read) or require(actor, binding.read, info.path.as_list())
    if scope is Scope.ALL:
        return Visibility(binding)
    return Visibility(binding, binding.owner.of(actor) if binding.owner else None, restricted=True)


@cache
def row_fields(node_type: Any) -> tuple[str, ...]:
    """The fields of a node type filled from its row's columns."""
    return tuple(
        f.name for f in dataclasses.fields(node_type) if f.init and f.name not in ("id", "pk")
    )


def build_node(node_type: type[N], row: Any) -> N:
    """Instantiate a node type from a row (or ORM object): every field whose name matches a
    column is copied, and the global ID is derived from the row's primary key."""
    pk: uuid.UUID = row.id
    values = {name: getattr(row, name) for name in row_fields(cast(Any, node_type))}
    node: N = node_type(id=strawberry.ID(encode_id(node_type.__name__, pk)), pk=pk, **values)  # type: ignore[call-arg]
    return node


@cache
def _fills_every_field(node_type: Any) -> bool:
    """Whether setting a node's row fields, id and pk directly is what the dataclass
    __init__ would do: it has a pk, no __post_init__, and every field it leaves out of
    __init__ (resolvers, which strawberry declares as such fields) has no default that
    __init__ would assign."""
    fields = dataclasses.fields(node_type)
    return (
        "pk" in {f.name for f in fields}
        and not hasattr(node_type, "__post_init__")
        and all(
            f.init
            or (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
            for f in fields
        )
    )


def _picker(indexes: Sequence[int]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving a row's values at `indexes`, as a tuple (itemgetter, in C)."""
    if not indexes:
        return lambda row: ()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    getter: Callable[[Any], tuple[Any, ...]] = itemgetter(*indexes)
    return getter


@dataclass(frozen=True)
class _Layout:
    """Where one result's rows hold a node type's fields: positions for the fields named
    like their column, mapping keys for the few whose column is named otherwise (a
    Column `key`, such as `metadata_` for the `metadata` column). Fields a projected
    result does not hold (schema.execution.projection) are left unset."""

    names: tuple[str, ...]
    pick: Callable[[Any], tuple[Any, ...]]
    by_key: tuple[str, ...]
    id_at: int

    @classmethod
    def of(cls, row: Row[Any], fields: tuple[str, ...]) -> _Layout:
        """The layout of `row`'s result, worked out once per node type and set of columns:
        a board builds nodes from ~14 results, and a projected result leaves out most of a
        type's fields, each a lookup in the row's mapping to rule out."""
        key = (fields, row._fields)
        layout = _layouts.get(key)
        if layout is None:
            if len(_layouts) >= _LAYOUTS_KEPT:  # column sets come from clients' selections
                _layouts.clear()
            layout = _layouts[key] = cls._work_out(row, fields)
        return layout

    @classmethod
    def _work_out(cls, row: Row[Any], fields: Sequence[str]) -> _Layout:
        position = {name: index for index, name in enumerate(row._fields)}
        named = tuple(name for name in fields if name in position)
        return cls(
            names=named,
            pick=_picker([position[name] for name in named]),
            by_key=tuple(name for name in fields if name not in position and name in row._mapping),
            id_at=position["id"],
        )


_LAYOUTS_KEPT = 4096
_layouts: dict[tuple[tuple[str, ...], tuple[str, ...]], _Layout] = {}


def build_nodes(node_type: type[N], rows: Sequence[Any]) -> list[N]:
    """`build_node` for a batch of rows: where the columns are found is looked up once per
    result (`_Layout.of`), and each node gets its attributes in one step instead of through
    the dataclass __init__ (a list builds hundreds of nodes per request, a job has ~35
    fields)."""
    if not _fills_every_field(cast(Any, node_type)):
        return [build_node(node_type, row) for row in rows]
    fields = row_fields(cast(Any, node_type))
    type_name = node_type.__name__
    new = object.__new__
    result: Any = None  # the result the rows below come from; rows of a batch share one
    layout: _Layout | None = None
    nodes: list[N] = []
    for row in rows:
        if not isinstance(row, Row):
            nodes.append(build_node(node_type, row))
            continue
        if row._parent is not result or layout is None:
            result, layout = row._parent, _Layout.of(row, fields)
        pk = row[layout.id_at]
        attributes = dict(zip(layout.names, layout.pick(row)))  # noqa: B905 (same length)
        if layout.by_key:
            columns = row._mapping
            for name in layout.by_key:
                attributes[name] = columns[name]
        attributes["id"] = encode_id(type_name, pk)
        attributes["pk"] = pk
        node: Any = new(node_type)
        node.__dict__ = attributes
        nodes.append(node)
    return nodes


def expose(info: Info[Any, Any], node_type: type[N], row: Any | None) -> N | None:
    """A row loaded for another purpose, as a node only if the viewer may see it."""
    if row is None:
        return None
    if not visibility(info, node_type).shows(row):
        return None
    (node,) = build_nodes(node_type, [row])
    return node


async def visible_rows_by_id(
    info: Info[Any, Any],
    node_type: type[Any],
    pks: Sequence[uuid.UUID | None],
    columns: Columns = None,
) -> dict[uuid.UUID, Row[Any]]:
    """The rows of `pks` the viewer may see, by primary key, in one batch of the request's
    loaders (missing, deleted and other owners' rows are left out; None keys are skipped).
    With `columns` (schema.execution.projection), the rows hold only those."""
    seen = visibility(info, node_type)
    wanted = dict.fromkeys(pks)
    wanted.pop(None, None)
    distinct = cast(list[uuid.UUID], list(wanted))
    rows = await request_context(info).loaders.rows_by_id(seen.binding.source, distinct, columns)
    found = {pk: row for pk, row in zip(distinct, rows, strict=True) if row is not None}
    if not seen.restricted:
        return found
    return {pk: row for pk, row in found.items() if seen.shows(row)}


async def nodes_by_id(
    info: Info[Any, Any],
    node_type: type[N],
    pks: Sequence[uuid.UUID | None],
    columns: Columns = None,
) -> dict[uuid.UUID, N]:
    """The nodes of the rows `visible_rows_by_id` finds, by primary key."""
    found = await visible_rows_by_id(info, node_type, pks, columns)
    return dict(zip(found, build_nodes(node_type, list(found.values())), strict=True))


async def load_node(info: Info[Any, Any], node_type: type[N], pk: uuid.UUID | None) -> N | None:
    """A node by primary key through the request's loaders (null if missing, deleted or
    not the viewer's)."""
    if pk is None:
        return None
    return (await nodes_by_id(info, node_type, [pk])).get(pk)


async def load_nodes(info: Info[Any, Any], node_type: type[N], pks: Sequence[uuid.UUID]) -> list[N]:
    """Several nodes in one batch, in order; missing (or invisible) ones are left out."""
    found = await nodes_by_id(info, node_type, pks)
    return [found[pk] for pk in pks if pk in found]
