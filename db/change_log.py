"""Change capture: every insert, update or delete of a published entity writes a change
record in the same transaction (API.md "Realtime").

`publish(Model, channels)` declares a table published (db/publications/, a module per
domain). The session hooks below collect what each flush changed, merge it per row (an order
approved and routed in one mutation is one UPDATE), and just before commit write one
`change_log` row per changed row with its channels. Its cursor comes from the counter row
(db/counters.py), so cursors follow commit order without gaps. After the commit,
`Database.transaction` hands the committed changes to whoever publishes them
(subscriptions/hub.py); a rollback discards them, so a rolled-back mutation emits nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapper, Session, UOWTransaction, object_mapper
from sqlalchemy.orm.attributes import get_history

from db.base import BOOKKEEPING
from db.counters import increment
from db.json_values import json_safe
from db.keys import KEYS, one_of
from db.models import ChangeChannel, ChangeCursor, ChangeRecord
from domain.enums import ChangeType
from observability.progress import Steps

_PENDING = "opsgraph.pending_changes"
COMMITTED = "opsgraph.committed_changes"


class Related:
    """What a channel rule may look up: another row, through the writing session (usually
    from its identity map, so no query)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, model: type[Any], pk: Any) -> Any | None:
        return None if pk is None else self._session.get(model, pk)


# A channel rule: the row's values as committed (or as deleted), its previous values, and a
# way to read related rows → the channels the change belongs to.
ChannelRule = Callable[[Mapping[str, Any], Mapping[str, Any], Related], Iterable[str]]


@dataclass(frozen=True)
class Publication:
    table: Table
    channels: ChannelRule


PUBLISHED: dict[str, Publication] = {}


def publish(model: type[Any], channels: ChannelRule) -> None:
    table = model.__table__
    assert isinstance(table, Table)
    PUBLISHED[table.name] = Publication(table, channels)


@dataclass(frozen=True)
class CommittedChange:
    cursor: int
    committed_at: datetime
    table: str
    entity_id: uuid.UUID
    event_type: ChangeType
    changed_fields: tuple[str, ...]
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    channels: tuple[str, ...]
    # Rows read while this process delivers the change, shared by all its subscribers (the
    # same change reaches many of them; each reading the same row would cost a query each).
    delivery_cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "cursor": self.cursor,
            "committedAt": self.committed_at.isoformat(),
            "table": self.table,
            "entityId": str(self.entity_id),
            "eventType": self.event_type.value,
            "changedFields": list(self.changed_fields),
            "old": dict(self.old),
            "new": dict(self.new),
            "channels": list(self.channels),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CommittedChange:
        return cls(
            cursor=int(data["cursor"]),
            committed_at=datetime.fromisoformat(data["committedAt"]),
            table=data["table"],
            entity_id=uuid.UUID(data["entityId"]),
            event_type=ChangeType(data["eventType"]),
            changed_fields=tuple(data["changedFields"]),
            old=data["old"],
            new=data["new"],
            channels=tuple(data["channels"]),
        )


# -- JSON encoding of column values ---------------------------------------------------------


def decode_values(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values from the change log back to Python: what the row held at commit."""
    columns = PUBLISHED[table].table.c
    decoded: dict[str, Any] = {}
    for name, value in values.items():
        column = columns.get(name)
        decoded[name] = value if column is None else _decode(column.type, value)
    return decoded


def _decode(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    enum_class = getattr(column_type, "enum_class", None)
    if enum_class is not None:
        return enum_class(value)
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return value
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is datetime:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    return value


# -- capture ---------------------------------------------------------------------------------


@dataclass
class _Pending:
    instance: Any
    event_type: ChangeType
    old: dict[str, Any] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)


def _columns(mapper: Mapper[Any]) -> list[tuple[str, str]]:
    """(attribute key, column key) of every column attribute (keys, as Core rows name them)."""
    return [(prop.key, prop.columns[0].key) for prop in mapper.column_attrs]


def _row(instance: Any) -> dict[str, Any]:
    mapper = object_mapper(instance)
    return {name: getattr(instance, key) for key, name in _columns(mapper)}


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    pending: dict[tuple[str, Any], _Pending] = session.info.setdefault(_PENDING, {})
    for instance in session.new:
        table = _published_table(instance)
        if table is not None:
            pending.setdefault((table, instance.id), _Pending(instance, ChangeType.INSERT))
    for instance in session.dirty:
        table = _published_table(instance)
        if table is None:
            continue
        entry = pending.setdefault((table, instance.id), _Pending(instance, ChangeType.UPDATE))
        if entry.event_type is not ChangeType.UPDATE:
            continue
        for key, name in _columns(object_mapper(instance)):
            history = get_history(instance, key)
            if name in BOOKKEEPING or not history.has_changes():
                continue
            entry.changed.add(name)
            # The first flush of the transaction holds the value before the transaction.
            entry.old.setdefault(name, history.deleted[0] if history.deleted else None)
    for instance in session.deleted:
        table = _published_table(instance)
        if table is None:
            continue
        row_key = (table, instance.id)
        earlier = pending.get(row_key)
        if earlier is not None and earlier.event_type is ChangeType.INSERT:
            del pending[row_key]  # created and deleted in one transaction: nothing happened
            continue
        old = _row(instance)
        if earlier is not None:
            old.update(earlier.old)
        pending[row_key] = _Pending(instance, ChangeType.DELETE, old=old)


def _published_table(instance: Any) -> str | None:
    table = getattr(type(instance), "__tablename__", None)
    return table if table in PUBLISHED else None


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    # The commit's own final flush comes after this hook: flush now to collect it.
    session.flush()
    pending: dict[tuple[str, Any], _Pending] = session.info.pop(_PENDING, {})
    changes = [p for p in pending.values() if p.event_type is not ChangeType.UPDATE or p.changed]
    if not changes:
        return
    bind = session.get_bind()
    counter = ChangeCursor.__table__
    assert isinstance(counter, Table)
    last = session.execute(
        increment(
            bind.dialect.name,
            counter,
            {"id": 1},
            by=len(changes),
            defaults={"pruned_through": 0},
        )
    ).scalar_one()
    committed_at = datetime.now(UTC)
    related = Related(session)
    records: list[CommittedChange] = []
    for offset, change in enumerate(changes):
        table = _published_table(change.instance)
        assert table is not None
        new = {} if change.event_type is ChangeType.DELETE else _row(change.instance)
        row = change.old if change.event_type is ChangeType.DELETE else new
        channels = tuple(dict.fromkeys(PUBLISHED[table].channels(row, change.old, related)))
        records.append(
            CommittedChange(
                cursor=int(last) - len(changes) + 1 + offset,
                committed_at=committed_at,
                table=table,
                entity_id=change.instance.id,
                event_type=change.event_type,
                changed_fields=tuple(sorted(change.changed)),
                old={k: json_safe(v) for k, v in change.old.items()},
                new={k: json_safe(v) for k, v in new.items()},
                channels=channels,
            )
        )
    session.execute(
        insert(ChangeRecord),
        [
            {
                "cursor": r.cursor,
                "committed_at": r.committed_at,
                "table_name": r.table,
                "entity_id": r.entity_id,
                "event_type": r.event_type.value,
                "changed_fields": list(r.changed_fields),
                "old_values": dict(r.old),
                "new_values": dict(r.new),
            }
            for r in records
        ],
    )
    channel_rows = [{"cursor": r.cursor, "channel": c} for r in records for c in r.channels]
    if channel_rows:
        session.execute(insert(ChangeChannel), channel_rows)
    session.info[COMMITTED] = records


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(COMMITTED, None)


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_soft_rollback", lambda session, _previous: _after_rollback(session))


def take_committed(session: AsyncSession) -> list[CommittedChange]:
    """The changes the session's transaction just committed (once)."""
    records: list[CommittedChange] = session.sync_session.info.pop(COMMITTED, [])
    return records


# -- reading ---------------------------------------------------------------------------------


def _from_row(row: Any, channels: Sequence[str]) -> CommittedChange:
    return CommittedChange(
        cursor=int(row.cursor),
        committed_at=row.committed_at,
        table=row.table_name,
        entity_id=row.entity_id,
        event_type=ChangeType(row.event_type),
        changed_fields=tuple(row.changed_fields),
        old=row.old_values,
        new=row.new_values,
        channels=tuple(channels),
    )


async def changes_since(
    conn: AsyncConnection,
    after: int,
    *,
    channel: str | None = None,
    through: int | None = None,
    limit: int = 500,
) -> list[CommittedChange]:
    """Committed changes with a cursor above `after` (and at most `through`), in cursor
    order; of one channel, or all. Two statements whatever the count."""
    log = ChangeRecord.__table__
    links = ChangeChannel.__table__
    assert isinstance(log, Table) and isinstance(links, Table)
    query = select(log).where(log.c.cursor > after).order_by(log.c.cursor).limit(limit)
    if channel is not None:
        query = query.where(
            log.c.cursor.in_(select(links.c.cursor).where(links.c.channel == channel))
        )
    if through is not None:
        query = query.where(log.c.cursor <= through)
    rows = (await conn.execute(query)).all()
    if not rows:
        return []
    cursors = [row.cursor for row in rows]
    grouped: dict[int, list[str]] = {c: [] for c in cursors}
    for link in await conn.execute(
        select(links.c.cursor, links.c.channel)
        .where(one_of(links.c.cursor, conn.dialect.name))
        .order_by(links.c.cursor, links.c.channel),
        {KEYS: cursors},
    ):
        grouped[link.cursor].append(link.channel)
    return [_from_row(row, grouped[row.cursor]) for row in rows]


async def cursor_state(conn: AsyncConnection) -> tuple[int, int]:
    """(the last cursor handed out, the newest cursor pruned by retention)."""
    row = (await conn.execute(select(ChangeCursor.value, ChangeCursor.pruned_through))).first()
    return (0, 0) if row is None else (int(row.value), int(row.pruned_through))


# Change-log rows deleted per statement by `prune`.
PRUNE_BATCH = 10_000


async def prune(session: AsyncSession, older_than: datetime) -> int:
    """Delete changes committed before `older_than`; remember the newest pruned cursor so
    that replaying from before it is refused instead of silently missing events."""
    newest = await session.scalar(
        select(func.max(ChangeRecord.cursor)).where(ChangeRecord.committed_at < older_than)
    )
    if newest is None:
        return 0
    oldest = int(await session.scalar(select(func.min(ChangeRecord.cursor))) or 0)
    removed = 0
    # In cursor ranges, in the one transaction, so a terminal shows how far it got.
    with Steps("pruning change log", total=int(newest) - oldest + 1) as steps:
        for low in range(oldest - 1, int(newest), PRUNE_BATCH):
            high = min(low + PRUNE_BATCH, int(newest))
            await session.execute(
                delete(ChangeChannel).where(
                    ChangeChannel.cursor > low, ChangeChannel.cursor <= high
                )
            )
            result = await session.execute(
                delete(ChangeRecord).where(ChangeRecord.cursor > low, ChangeRecord.cursor <= high)
            )
            removed += int(getattr(result, "rowcount", 0) or 0)
            steps.advance(high - low)
    state = await session.get(ChangeCursor, 1, with_for_update=True)
    if state is not None:
        state.pruned_through = max(state.pruned_through, int(newest))
    return removed
