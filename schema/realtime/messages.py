"""One encoded `next` message per change for every subscriber of the same operation and
viewer scope (graphql-transport-ws).

Such subscribers get the same result (schema/realtime/sharing.py), yet each still took it
through graphql-core's per-event execution and strawberry's per-result stream (extension
hooks, result objects, the message and its JSON): a third of the CPU of each delivery. Now
the first of them to reach a change (the leader) yields its event as before; its WebSocket
handler encodes the `next` payload once and hands it over (`PreparedNext`), and the others
send that text under their own operation id instead of yielding the event, then release
their context as RequestScope would. A message that would differ per subscriber (errors
name the subscriber's request, DebugSql reports its own statements) is not handed over:
each subscriber then yields its event as before. Extension hooks that run per result
therefore run once per group and change: one that must see every subscriber's message
cannot be added without revisiting this. Replayed changes are read per subscriber, so each
replaying subscriber leads its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from strawberry.types import Info

from schema import json_codec
from schema.context import request_context
from schema.realtime.events import ChangeEvent
from schema.realtime.sharing import answer, claim, operation_key, viewer_scope

E = TypeVar("E", bound=ChangeEvent)


@dataclass(frozen=True)
class PreparedNext:
    """A `next` message's payload, encoded once; `text` gives the whole message for one
    operation id, as strawberry's handler would have encoded it."""

    payload: str

    def text(self, operation_id: str) -> str:
        return f'{{"id":{json_codec.dumps(operation_id)},"type":"next","payload":{self.payload}}}'


def prepared_next(message: Mapping[str, Any], *, debug_sql: bool) -> PreparedNext | None:
    """The message as every subscriber of its group would get it; None when it differs per
    subscriber: masked errors name the subscriber's request, DebugSql its own statements."""
    payload = message.get("payload")
    if debug_sql or message.get("type") != "next" or not isinstance(payload, dict):
        return None
    return None if "errors" in payload else PreparedNext(json_codec.dumps(payload))


Slot = asyncio.Future[PreparedNext | None]


class Connection(Protocol):
    """The graphql-transport-ws handler of a subscriber's WebSocket."""

    # Operation id → the slot its next `next` message fills (set while it leads a change).
    leading: dict[str, Slot]

    async def send_prepared(self, operation_id: str, message: PreparedNext) -> None: ...


# Set around the creation of each operation's task, which copies it (like `running`).
_operation: ContextVar[tuple[Connection, str] | None] = ContextVar(
    "opsgraph_ws_operation", default=None
)


@contextmanager
def operation_of(connection: Connection, operation_id: str) -> Iterator[None]:
    token = _operation.set((connection, operation_id))
    try:
        yield
    finally:
        _operation.reset(token)


async def sent_once(info: Info[Any, Any], events: AsyncIterator[E]) -> AsyncIterator[E]:
    """`events`, except those sent as their group's prepared message."""
    target = _operation.get()
    ctx = request_context(info)
    # graphql-ws or no WebSocket, or DebugSql (which reports each subscriber's own
    # statements): strawberry sends every event.
    if target is None or ctx.settings.debug_sql:
        async for event in events:
            yield event
        return
    connection, operation_id = target
    raw = info._raw_info
    operation = operation_key(ctx, raw.operation, raw.fragments, info.variable_values)
    key = ("message", operation, *viewer_scope(ctx.actor))
    async for event in events:
        slot, first = claim(event.change.delivery_cache, key)
        if first:
            connection.leading[operation_id] = slot
            try:
                yield event  # strawberry sends it; the handler fills the slot on the way
            finally:
                connection.leading.pop(operation_id, None)
                if not slot.done():
                    slot.set_result(None)
            continue
        prepared = await answer(slot)
        if prepared is None:
            yield event
            continue
        await connection.send_prepared(operation_id, prepared)
        await ctx.release()  # what RequestScope does after each event strawberry sends
