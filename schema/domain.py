"""What a domain adds to the graph, declared in one place: its `graph.py` holds one
`GraphDomain`, and schema/domains.py lists them. Everything a domain would otherwise
register in a central table is here: its root fields, its node types (where each is read
from, the permission that reads it, who owns it), its value types holding another owner's
data, the fields it adds to other domains' types, and what its lists cost
(schema/cost_map.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import FromClause
from strawberry.types.base import get_object_definition

from auth.permissions import Permission
from domain.ownership import Owner
from schema.node import register_node, register_owner


@dataclass(frozen=True)
class ArgumentLength:
    """The list holds one item per element of one of the field's list arguments."""

    argument: str


ListSize = int | ArgumentLength


@dataclass(frozen=True)
class NodeType:
    """A node type: where it is read from, the permission that reads it and, for records
    with an owner, which column names the owner."""

    type: type[Any]
    source: FromClause
    read: Permission
    owner: Owner | None = None


@dataclass(frozen=True)
class Extension:
    """Fields a domain adds to another domain's type, so that domain need not import it
    (catalog's Product shows procurement's supplier prices). `fields` is a strawberry type
    of resolvers only; they join `target` as if declared there, `self` being the target's
    node (a resolver reads only attributes the target has, e.g. `self.pk`)."""

    target: type[Any]
    fields: type[Any]


def extend(target: type[Any], fields: type[Any]) -> None:
    """Add `fields`' resolver fields to `target`'s before the schema is built (its plain
    attributes only declare what `self` holds). Idempotent; a name the target already has
    for another field is an error, not a silent override."""
    into = get_object_definition(target, strict=True)
    taken = {f.python_name: f for f in into.fields}
    for added in get_object_definition(fields, strict=True).fields:
        if added.base_resolver is None:
            continue
        present = taken.get(added.python_name)
        if present is added:
            continue
        if present is not None:
            raise ValueError(f"{target.__name__}.{added.python_name} is declared twice")
        into.fields.append(added)


@dataclass(frozen=True)
class GraphDomain:
    name: str
    query: type[Any] | None = None
    mutation: type[Any] | None = None
    subscription: type[Any] | None = None
    nodes: tuple[NodeType, ...] = ()
    # Object types that are no nodes but hold another owner's data, so their guarded
    # fields follow that owner's grants.
    owned: tuple[tuple[type[Any], Owner], ...] = ()
    # Fields it adds to other domains' types (Extension).
    extensions: tuple[Extension, ...] = ()
    # Plain lists of objects by "Type.field", and lists of an item type wherever they
    # appear: their assumed length (schema/cost_map.py).
    list_sizes: Mapping[str, ListSize] = field(default_factory=dict)
    item_type_sizes: Mapping[str, int] = field(default_factory=dict)


def register(domains: Iterable[GraphDomain]) -> None:
    """Make every domain's node and owned types known to schema.node."""
    for domain in domains:
        for node in domain.nodes:
            register_node(node.type, node.source, read=node.read, owner=node.owner)
        for value_type, owner in domain.owned:
            register_owner(value_type, owner)
        for extension in domain.extensions:
            extend(extension.target, extension.fields)


def roots(domains: Iterable[GraphDomain], root: str) -> tuple[type[Any], ...]:
    """The domains' classes of one root ("query", "mutation" or "subscription"), in order."""
    return tuple(cls for domain in domains if (cls := getattr(domain, root)) is not None)
