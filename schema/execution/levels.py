"""The objects of one level of `schema.execution.batched`, read a field at a time across
the level.

Most levels below a list are rows a relation read: a board's 236 lines, their variants,
products and families. Building a node object from each row (a dict of its columns, its
global ID) was ~11% of a board's CPU, and most of those nodes only ever had a few columns
read back off them. So a relation hands the executor its rows, and a `RowLevel` reads a
field straight from the rows' columns, and calls a resolver that only reads columns
(`schema.execution.projection.attributes_read`) with those columns alone. Nodes are still
built, once per level, for what needs them: a resolver that does more with `self`, a field
graphql-core executes object by object, or a field whose column the rows do not hold under
its name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter, itemgetter
from typing import Any, Protocol, cast

from sqlalchemy import Row

from resolvers.ids import encode_id
from schema.execution.projection import attributes_read
from schema.node import NODE_TYPES, build_nodes, row_fields

# The result a row comes from, read past Row's own __getattribute__, which first looks the
# name up among the columns (~150 ns a row, against ~40).
_result_of: Callable[[Row[Any]], object] = cast(Any, Row)._parent.__get__


class Level(Protocol):
    def values(self, attribute: str) -> list[Any]:
        """Each object's value of `attribute`, in order."""
        ...

    def call(self, method: Callable[[Any], Any]) -> list[Any]:
        """`method(object)` for each object, in order: its value, or the exception it raised."""
        ...

    def objects(self) -> Sequence[Any]:
        """The objects themselves (the nodes), in order."""
        ...


class ObjectLevel:
    """Objects as they are (nodes built elsewhere, edges, connections)."""

    __slots__ = ("_objects",)

    def __init__(self, objects: Sequence[Any]) -> None:
        self._objects = objects

    def values(self, attribute: str) -> list[Any]:
        return list(map(attrgetter(attribute), self._objects))

    def call(self, method: Callable[[Any], Any]) -> list[Any]:
        return _call_each(method, self._objects)

    def objects(self) -> Sequence[Any]:
        return self._objects


class _Columns:
    """Some columns of a row as attributes, standing in for its node in a call of a resolver
    that reads only those."""


class RowLevel:
    """Rows of one node type, standing for the nodes that would be built from them: `id` is
    the global ID, `pk` the row's id, and any other field filled from a column of the same
    name is read from the rows by position."""

    __slots__ = ("_fields", "_node_type", "_nodes", "_rows")

    def __init__(self, node_type: type[Any], rows: Sequence[Row[Any]]) -> None:
        self._node_type = node_type
        self._rows = rows
        self._nodes: Sequence[Any] | None = None
        self._fields: tuple[str, ...] | None = _shared_fields(rows)

    def values(self, attribute: str) -> list[Any]:
        if attribute == "id":
            type_name = self._node_type.__name__
            return [encode_id(type_name, pk) for pk in self.values("pk")]
        if self._holds(attribute):
            assert self._fields is not None
            column = "id" if attribute == "pk" else attribute
            return list(map(itemgetter(self._fields.index(column)), self._rows))
        # Not a column under its own name (or rows of several layouts): as the node has it.
        return list(map(attrgetter(attribute), self.objects()))

    def call(self, method: Callable[[Any], Any]) -> list[Any]:
        names = attributes_read(method)
        if names is None or not all(map(self._holds, names)):
            return _call_each(method, self.objects())
        columns = [self.values(name) for name in names]
        new = object.__new__
        stand_ins: list[Any] = []
        for values in zip(*columns, strict=True) if columns else ((),) * len(self._rows):
            stand_in = new(_Columns)
            stand_in.__dict__ = dict(zip(names, values, strict=True))
            stand_ins.append(stand_in)
        return _call_each(method, stand_ins)

    def objects(self) -> Sequence[Any]:
        if self._nodes is None:
            self._nodes = build_nodes(self._node_type, self._rows)
        return self._nodes

    def _holds(self, attribute: str) -> bool:
        """Whether the rows hold `attribute` of their nodes (`id` is derived from `pk`)."""
        if attribute in ("id", "pk"):
            return self._fields is not None and "id" in self._fields
        return (
            self._fields is not None
            and attribute in self._fields
            and attribute in row_fields(cast(Any, self._node_type))
        )


def _shared_fields(rows: Sequence[Row[Any]]) -> tuple[str, ...] | None:
    """The column keys of `rows`, if every result they come from has the same ones (rows a
    relation found may be rows read earlier with other columns, alongside fresh ones)."""
    if not rows:
        return ()
    # One row of each result (results hash by identity).
    firsts = dict(zip(map(_result_of, rows), rows, strict=True))
    fields: tuple[str, ...] | None = None
    for row in firsts.values():
        if fields is None:
            fields = row._fields
        elif row._fields != fields:
            return None
    return fields


def _call_each(method: Callable[[Any], Any], objects: Sequence[Any]) -> list[Any]:
    values: list[Any] = []
    for source in objects:
        try:
            values.append(method(source))
        except Exception as error:  # completed as this position's error
            values.append(error)
    return values


def level_of(object_type: type[Any] | None, sources: Sequence[Any]) -> Level:
    """The level of `sources`, objects of `object_type`: rows, where that is a node type and
    a relation handed over its rows, or the objects themselves."""
    if sources and type(sources[0]) is Row and object_type is not None:
        binding = NODE_TYPES.get(object_type.__name__)
        if binding is not None and binding.node_type is object_type:
            return RowLevel(object_type, sources)
    return ObjectLevel(sources)
