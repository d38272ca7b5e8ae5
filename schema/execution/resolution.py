"""How a field's values are produced, read off its strawberry definition once per field.

`schema.execution.batched` uses it to run a field over a whole level of objects, and
`schema.execution.projection` to know which columns a selection of fields reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from graphql import GraphQLField
from strawberry.schema.schema_converter import GraphQLCoreConverter

from schema.execution.relations import Relation, relation_of

# Where strawberry keeps a GraphQL type or field's own definition in its extensions.
STRAWBERRY_FIELD = GraphQLCoreConverter.DEFINITION_BACKREF


class Kind(Enum):
    TYPENAME = auto()
    ATTRIBUTE = auto()  # no resolver: the attribute of the same name
    METHOD = auto()  # a synchronous resolver of `self` alone
    RELATION = auto()  # schema.execution.relations: one load_many per level
    PER_OBJECT = auto()  # anything else: graphql-core, one object at a time


@dataclass(frozen=True)
class Resolution:
    """How a field's values are produced; a property of the field, not of the query."""

    kind: Kind
    attribute: str = ""
    method: Callable[[Any], Any] | None = None
    relation: Relation | None = None
    strawberry_field: Any = None


TYPENAME = Resolution(Kind.TYPENAME)

# By identity (fields compare by value); each entry keeps its field alive, so its id cannot
# pass to another object while the entry is kept.
_RESOLUTIONS: dict[int, tuple[GraphQLField, Resolution]] = {}


def resolution_of(field_def: GraphQLField) -> Resolution:
    cached = _RESOLUTIONS.get(id(field_def))
    if cached is not None:
        return cached[1]
    resolution = _classify(field_def)
    _RESOLUTIONS[id(field_def)] = (field_def, resolution)
    return resolution


def _classify(field_def: GraphQLField) -> Resolution:
    field = (field_def.extensions or {}).get(STRAWBERRY_FIELD)
    if field is None or field.extensions or field_def.args:
        return Resolution(Kind.PER_OBJECT)
    relation = relation_of(field)
    if relation is not None:
        return Resolution(Kind.RELATION, relation=relation, strawberry_field=field)
    resolver = field.base_resolver
    if resolver is None:
        return Resolution(Kind.ATTRIBUTE, attribute=field.python_name)
    reads_only_self = resolver.self_parameter is not None and not (
        resolver.info_parameter or resolver.root_parameter or resolver.parent_parameter
    )
    if reads_only_self and not resolver.is_async and not resolver.arguments:
        return Resolution(Kind.METHOD, method=resolver.wrapped_func)
    return Resolution(Kind.PER_OBJECT)
