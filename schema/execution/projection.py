"""Which of a node type's columns a selection reads, so its rows are loaded with only those.

The ops board selects 8 of a job's 38 columns and 2 of a manufacturer's 35. Reading whole
rows made decoding them (asyncpg, then SQLAlchemy, then the node's attributes) the largest
cost of a list query, and decoded JSON columns nobody asked for.

A selection reads, besides `id`:

- a field without a resolver: the column of the same name;
- a relation to one node (`schema.execution.relations.to_one`): the column holding its key;
- a list of children: nothing more (they are found by the parent's id);
- a resolver of `self` alone: the attributes its code reads as `self.<name>`, found in its
  bytecode, so there is no list to keep in step with the code;
- anything else (a field with arguments, with a permission, a resolver taking `info`, a
  resolver that uses `self` other than by reading its columns): every column.

The owner column is always read, because visibility checks it. A node built from a
projected row lacks the attributes it was not given: only the fields that were selected may
be resolved on it, which is what the executor does.
"""

from __future__ import annotations

import dis
from collections.abc import Sequence
from functools import cache
from types import FunctionType
from typing import Any, cast

from graphql import GraphQLField, GraphQLObjectType, get_named_type
from graphql.execution.collect_fields import (
    FieldDetails,
    FieldDetailsList,
    FragmentDetails,
    collect_subfields,
)
from graphql.execution.values import VariableValues
from strawberry.types import Info

from resolvers.columns import Columns
from schema.context import request_context
from schema.execution.relations import ToOne
from schema.execution.resolution import Kind, resolution_of
from schema.node import NODE_TYPES, row_fields

_CACHE_LIMIT = 4096
_COLUMNS: dict[tuple[Any, ...], tuple[tuple[GraphQLField, ...], Columns]] = {}


def columns_read(node_type: type[Any], field_defs: Sequence[GraphQLField]) -> Columns:
    """The columns of `node_type`'s rows that resolving `field_defs` on its nodes reads."""
    key = (node_type, *map(id, field_defs))
    cached = _COLUMNS.get(key)
    if cached is not None and all(a is b for a, b in zip(cached[0], field_defs, strict=True)):
        return cached[1]
    columns = _columns(node_type, field_defs)
    if len(_COLUMNS) >= _CACHE_LIMIT:
        _COLUMNS.clear()  # distinct selections are few; this only bounds a hostile client
    _COLUMNS[key] = (tuple(field_defs), columns)
    return columns


def _columns(node_type: type[Any], field_defs: Sequence[GraphQLField]) -> Columns:
    attributes = _row_attributes(cast(Any, node_type))
    read = {"id"}
    binding = NODE_TYPES.get(node_type.__name__)
    if binding is None:
        return None
    if binding.owner is not None:
        read.add(binding.owner.column)
    for field_def in field_defs:
        resolution = resolution_of(field_def)
        if resolution.kind is Kind.ATTRIBUTE:
            if resolution.attribute in attributes:
                read.add(resolution.attribute)
        elif resolution.kind is Kind.METHOD:
            names = attributes_read(resolution.method)
            if names is None or not names <= attributes:
                return None
            read |= names
        elif resolution.kind is Kind.RELATION:
            if isinstance(resolution.relation, ToOne):
                if resolution.relation.parent_key not in attributes:
                    return None
                read.add(resolution.relation.parent_key)
        else:
            return None
    read.discard("pk")  # the id column
    return tuple(sorted(read))


@cache
def _row_attributes(node_type: Any) -> frozenset[str]:
    return frozenset({*row_fields(node_type), "id", "pk"})


@cache
def attributes_read(function: Any) -> frozenset[str] | None:
    """The attributes `function` reads from its first argument, if that is all it does with
    it; None if it passes it on, calls its methods, stores it or lends it to a closure."""
    if not isinstance(function, FunctionType):
        return None
    code = function.__code__
    if code.co_argcount < 1:
        return None
    this = code.co_varnames[0]
    if this in code.co_cellvars:
        return None
    names: set[str] = set()
    instructions = list(dis.get_instructions(code))
    for index, instruction in enumerate(instructions):
        argument = instruction.argval
        mentions = argument == this or (isinstance(argument, tuple) and this in argument)
        if not mentions or not instruction.opname.startswith(("LOAD_FAST", "STORE_", "DELETE_")):
            continue
        following = instructions[index + 1] if index + 1 < len(instructions) else None
        if (
            instruction.opname == "LOAD_FAST"
            and following is not None
            and following.opname == "LOAD_ATTR"
            and "NULL" not in following.argrepr  # 3.12+: a method call, not a read
        ):
            names.add(following.argval)
            continue
        return None
    return frozenset(names)


def connection_node_columns(info: Info[Any, Any], node_type: type[Any]) -> Columns:
    """The columns read by the selection under `edges { node { ... } }` of the connection
    field being resolved (every alias of either counts). Worked out once per request and
    field: a connection nested in a list is resolved once per parent."""
    raw = info._raw_info
    memo = request_context(info).selections
    key = ("connection columns", node_type, *map(id, raw.field_nodes))
    if key not in memo:
        memo[key] = _connection_node_columns(raw, node_type)
    columns: Columns = memo[key]
    return columns


def _connection_node_columns(raw: Any, node_type: type[Any]) -> Columns:
    fragments = {name: FragmentDetails(node) for name, node in raw.fragments.items()}
    variables = raw.variable_values
    if not isinstance(variables, VariableValues):  # strawberry hands resolvers the dict
        variables = VariableValues({}, dict(variables))

    def selected(parent: Any, details: FieldDetailsList) -> dict[str, FieldDetailsList]:
        """The fields selected on `parent` by `details`, by field name (aliases merged)."""
        if not isinstance(parent, GraphQLObjectType):
            return {}
        grouped = collect_subfields(
            raw.schema, fragments, variables, raw.operation, parent, details
        ).grouped_field_set
        by_name: dict[str, FieldDetailsList] = {}
        for group in grouped.values():
            by_name.setdefault(group[0].node.name.value, []).extend(group)
        return by_name

    def type_of(parent: Any, name: str) -> Any:
        if not isinstance(parent, GraphQLObjectType) or name not in parent.fields:
            return None
        return get_named_type(parent.fields[name].type)

    connection_type = get_named_type(raw.return_type)
    edge_type = type_of(connection_type, "edges")
    edges = selected(connection_type, [FieldDetails(node, None) for node in raw.field_nodes])
    nodes = selected(edge_type, edges.get("edges", []))
    object_type = type_of(edge_type, "node")
    if not isinstance(object_type, GraphQLObjectType):
        return None
    names = selected(object_type, nodes.get("node", []))
    field_defs = [object_type.fields[name] for name in sorted(names) if not name.startswith("__")]
    return columns_read(node_type, field_defs)
