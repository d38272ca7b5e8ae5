"""What a subscription event carries (API.md "Realtime"), and how a change-log record
becomes one for a given viewer: the entity as committed, loaded and checked with the same
loaders and visibility rules as queries; `old` and `changedFields` limited to fields the
viewer may read."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry.types.private import is_private

from auth.access import owns
from auth.actor import Actor
from auth.permissions import Permission, Scope, grant
from db.base import Base
from db.change_log import PUBLISHED, CommittedChange, decode_values
from db.json_values import json_safe
from domain.enums import ChangeType
from domain.validation import camel
from resolvers.ids import encode_id
from resolvers.realtime import encode_cursor
from schema.context import request_context
from schema.enums import graphql_enum
from schema.node import NODE_TYPES, NodeBinding, Visibility, build_node, row_fields
from schema.permissions import may_read, permission_of
from schema.realtime.sharing import remembered, shared, viewer_scope

N = TypeVar("N")

graphql_enum(
    ChangeType,
    "What a committed change did to its row.",
    {
        ChangeType.INSERT: "The row was created.",
        ChangeType.UPDATE: "The row changed; `changedFields` and `old` say how.",
        ChangeType.DELETE: "The row was deleted.",
    },
)


@strawberry.interface(description="One committed change, as a subscription delivers it.")
class ChangeEvent:
    cursor: str = strawberry.field(
        description="Where this event sits in the change log: pass it as `after` to resume "
        "after it (every later change is replayed, none twice)."
    )
    event_type: ChangeType = strawberry.field(description="Insert, update or delete.")
    table: str = strawberry.field(description='The changed table, e.g. "orders".')
    commit_timestamp: datetime = strawberry.field(description="When it was committed (UTC).")
    changed_fields: list[str] = strawberry.field(
        description="The fields this change set (GraphQL names; for an insert every field). "
        "Fields you may not read are left out."
    )
    old: JSON | None = strawberry.field(
        description="The previous values of the changed fields, by GraphQL name (null for an "
        "insert). Fields you may not read are left out."
    )
    # The change itself: subscribers of one change share what is read and executed for it.
    change: strawberry.Private[CommittedChange]
    # The stream ends after this event (`MessageGroup.sent` ends it, for a whole group).
    last: strawberry.Private[bool] = False


_RULES: dict[str, dict[str, Permission | None]] = {}


def _field_rules(node_type: Any) -> dict[str, Permission | None]:
    """GraphQL field name → the permission it requires (None: readable with the type), from
    the schema's own declarations, so events follow the same field rules as queries."""
    cached = _RULES.get(node_type.__name__)
    if cached is None:
        definition: Any = node_type.__strawberry_definition__
        cached = _RULES[node_type.__name__] = {
            field.graphql_name or camel(field.python_name): permission_of(field)
            for field in definition.fields
            # Private attributes are no fields: a column only they hold is not readable.
            if field.python_name != "id" and not is_private(field.type)
        }
    return cached


def _field_of(node_type: Any, column: str) -> tuple[str, Permission | None] | None:
    """The GraphQL field a column is read through: the same name (`quoted_cost` →
    `quotedCost`), or for a reference `x_id` the relation `x` (reported as `xId`)."""
    rules = _field_rules(node_type)
    name = camel(column)
    if name in rules:
        return name, rules[name]
    if column.endswith("_id") and camel(column[:-3]) in rules:
        return name, rules[camel(column[:-3])]
    return None


def _readable(info: Info[Any, Any], node: Any, permission: Permission | None) -> bool:
    """Whether the field rule lets the viewer read this node's field (as Requires does)."""
    return permission is None or may_read(request_context(info).actor, permission, node)


def event_fields(
    info: Info[Any, Any], record: CommittedChange, node_type: type[Any], node: Any
) -> dict[str, Any]:
    """The ChangeEvent fields of `record` as `node`'s viewer may read them (worked out once
    per change and viewer scope)."""
    key = ("fields", node_type.__name__, *viewer_scope(request_context(info).actor))
    return remembered(
        record.delivery_cache, key, lambda: _event_fields(info, record, node_type, node)
    )


def _event_fields(
    info: Info[Any, Any], record: CommittedChange, node_type: type[Any], node: Any
) -> dict[str, Any]:
    readable: dict[str, str] = {}
    for column in {*record.new, *record.old, *record.changed_fields}:
        field = _field_of(node_type, column)
        if field is not None and _readable(info, node, field[1]):
            readable[column] = field[0]
    if record.event_type is ChangeType.INSERT:
        changed = [readable[c] for c in record.new if c in readable]
    else:
        changed = [readable[c] for c in record.changed_fields if c in readable]
    old = None
    if record.event_type is not ChangeType.INSERT:
        actor = request_context(info).actor
        values = decode_values(record.table, record.old)
        old = {}
        for column, value in values.items():
            if column not in readable:
                continue
            if not _may_read_reference(actor, record.table, column, value):
                continue
            built = _built_for_viewer(node_type).get(column)
            old[readable[column]] = (
                built(actor, node, values) if built else _as_graphql(record.table, column, value)
            )
    return {**hidden_event_fields(record), "changed_fields": changed, "old": old}


# Old values that are text built for each viewer from other old values, as their field is:
# a node type lists them as `old_values_for_viewer` (column -> builder), beside the field.
OldValue = Callable[[Actor, Any, Mapping[str, Any]], Any]


def _built_for_viewer(node_type: type[Any]) -> Mapping[str, OldValue]:
    built: Mapping[str, OldValue] = getattr(node_type, "old_values_for_viewer", {})
    return built


def _may_read_reference(actor: Actor, table: str, column: str, value: Any) -> bool:
    """Whether the viewer may learn the id an old reference held: the referenced node
    type's read permission, for every record or (its own profile) for that one."""
    if not isinstance(value, uuid.UUID):
        return True
    for key in PUBLISHED[table].table.c[column].foreign_keys:
        binding = NODE_TYPES.get(_model_name(key.column.table.name))
        if binding is None:
            return True
        scope = grant(actor.role, binding.read)
        if scope is Scope.ALL:
            return True
        owner = binding.owner
        if owner is None or owner.column != "id":
            return False  # whose record the id is cannot be told from the id
        return owns(actor, binding.read, owner, value)
    return True


def hidden_event_fields(record: CommittedChange) -> dict[str, Any]:
    """What any follower may learn of a change: that it happened, not how (the event that
    tells a viewer it lost sight of an entity carries only this)."""
    return {
        "cursor": encode_cursor(record.cursor),
        "event_type": record.event_type,
        "table": record.table,
        "commit_timestamp": record.committed_at,
        "changed_fields": [],
        "old": None,
        "change": record,
    }


def _as_graphql(table: str, column: str, value: Any) -> Any:
    """A column value as the matching GraphQL field shows it: enum names, global IDs for
    references, ISO 8601 instants, decimals as strings."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, uuid.UUID):
        for key in PUBLISHED[table].table.c[column].foreign_keys:
            return encode_id(_model_name(key.column.table.name), value)
        return str(value)
    return json_safe(value)


@cache  # the mappers are fixed once the models are imported
def _model_name(table_name: str) -> str:
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table_name:
            return mapper.class_.__name__
    return table_name


async def committed_node(
    info: Info[Any, Any],
    node_type: type[N],
    seen: Visibility,
    entity_id: uuid.UUID,
    record: CommittedChange,
    *,
    as_committed: bool = False,
) -> N | None:
    """The entity of a change for one viewer: with its own fields as the change committed
    them (`as_committed`) or as they are now; None when it is gone or not the viewer's.

    Rows are read once per change and process, whatever the number of subscribers, and not
    at all when the change holds every field the node and its owner rule need."""
    binding = NODE_TYPES[node_type.__name__]
    values = committed_values(record) if as_committed else {}
    row: Any
    if values and _covers(node_type, binding, values):
        row = ColumnValues(values)
    else:
        row_key = (id(binding.source), entity_id)
        loaders = request_context(info).loaders
        row = await shared(
            record.delivery_cache,
            row_key,
            lambda: loaders.by_id(binding.source).load(entity_id),  # only the first reads
        )
    if row is None or not seen.shows(row):
        return None
    # The node is the same for every viewer who may see it: build it once per change.
    key = ("node", node_type.__name__, entity_id, as_committed)
    return remembered(
        record.delivery_cache, key, lambda: build_node(node_type, _Overlay(row, values))
    )


def _covers(node_type: Any, binding: NodeBinding, values: Mapping[str, Any]) -> bool:
    needed = set(row_fields(node_type)) | {"id"}
    if binding.owner is not None:
        needed.add(binding.owner.column)
    return needed <= values.keys()


class ColumnValues:
    """Committed column values standing in for a loaded row (as attributes and `_mapping`)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._mapping = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._mapping[name]
        except KeyError:
            raise AttributeError(name) from None


class _Overlay:
    """A loaded row with some of its values replaced (by those a change committed)."""

    def __init__(self, row: Any, values: Mapping[str, Any]) -> None:
        self._row = row
        self._values = values

    def __getattr__(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        return getattr(self._row, name)


def committed_values(record: CommittedChange) -> dict[str, Any]:
    """The change's new values as Python values, decoded once per change and process
    (every subscriber that follows it reads the same dict, and none writes to it)."""
    return remembered(
        record.delivery_cache, "values", lambda: decode_values(record.table, record.new)
    )
