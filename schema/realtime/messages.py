"""One encoded `next` message per change for every subscriber of the same operation and
viewer scope (graphql-transport-ws).

Such subscribers get the same result (schema/realtime/sharing.py), yet each still worked the
change out (its rows, filters and event fields) and took the event through graphql-core's
per-event execution and strawberry's per-result stream (extension hooks, result objects, the
message and its JSON). Now the first of them to reach a change (its lead) works it out and
yields its event as before; its WebSocket handler encodes the `next` payload once
(`PreparedNext`). The others wait for the lead's outcome instead of working the change out:
they send that text under their own operation id (then release their context as
RequestScope would), skip the change if the lead's stream gave no event for it, and end if
the lead's stream ended after it. Idle, they take turns (subscriptions/fanout.py `Turns`): a
change wakes one of them and the lead's outcome the rest, so each is woken once per change,
not twice. Where the outcome is not one message for all (errors name
the subscriber's request, DebugSql reports its own statements, a failure) each subscriber
works the change out itself. Extension hooks that run per result therefore run once per
group and change: one that must see every subscriber's message cannot be added without
revisiting this. Replayed changes are read per subscriber, so each replaying subscriber
leads its own.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from strawberry.types import Info

from db.change_log import CommittedChange
from resolvers import realtime
from schema import json_codec
from schema.context import request_context
from schema.realtime.events import ChangeEvent
from schema.realtime.sharing import Slot, claim, operation_key, viewer_scope
from subscriptions.fanout import Turns

E = TypeVar("E", bound=ChangeEvent)


@dataclass(frozen=True)
class PreparedNext:
    """A `next` message's payload, encoded once; `text` gives the whole message for one
    operation id, as strawberry's handler would have encoded it."""

    payload: str

    def text(self, operation_id: str) -> str:
        return f'{{"id":{json_codec.dumps(operation_id)},"type":"next","payload":{self.payload}}}'


def prepared_next(message: Mapping[str, Any]) -> PreparedNext | None:
    """The message as every subscriber of its group would get it; None when it differs per
    subscriber: masked errors name the subscriber's request. (With DebugSql, which reports
    each subscriber's own statements, there is no group: `MessageGroup`.)"""
    payload = message.get("payload")
    if message.get("type") != "next" or not isinstance(payload, dict):
        return None
    return None if "errors" in payload else PreparedNext(json_codec.dumps(payload))


# A lead's answer: the change gave no event (the others skip it too), or gave this message
# and then ended the stream or not. None: work it out yourself.
_SKIPPED = object()
Outcome = tuple[PreparedNext, bool] | object | None


class Lead:
    """A change this subscriber works out for its group, answered as soon as its outcome is
    known: when its event's message is sent (before this subscriber's socket takes it, so
    the group does not wait on one slow client), or when the stream moves past it."""

    __slots__ = ("last", "slot", "turns", "yielded")

    def __init__(self, slot: Slot, turns: Turns) -> None:
        self.slot = slot
        self.turns = turns
        self.yielded = False  # the stream gave an event for the change
        self.last = False  # and the stream ends after it

    def sent(self, prepared: PreparedNext | None) -> None:
        """The message sent for the change: the same for the whole group, or (None) not."""
        self.settle(None if prepared is None else (prepared, self.last))

    def settle(self, outcome: Outcome) -> None:
        if not self.slot.done():
            self.slot.set_result(outcome)
            self.turns.release()  # wake the group's idle subscribers to take the answer


class Connection(Protocol):
    """The graphql-transport-ws handler of a subscriber's WebSocket."""

    # Operation id → the change it leads while its event is being sent (the handler tells
    # it the message it sends).
    leading: dict[str, Lead]

    async def send_prepared(self, operation_id: str, message: PreparedNext) -> None: ...


# Set around the creation of each operation's task, which copies it (like `running`). The
# connection is held weakly: callbacks scheduled from the operation's task keep a copy of
# its context, and some outlive the socket by minutes (asyncpg expires cached statements
# after 300 s), which held every closed socket's handler and contexts that long.
_operation: ContextVar[tuple[weakref.ref[Connection], str] | None] = ContextVar(
    "opsgraph_ws_operation", default=None
)


@contextmanager
def operation_of(connection: Connection, operation_id: str) -> Iterator[None]:
    token = _operation.set((weakref.ref(connection), operation_id))
    try:
        yield
    finally:
        _operation.reset(token)


class MessageGroup:
    """A subscription's place among the subscribers of its operation and viewer scope.

    The first of them to reach a change leads it: its stream works the change out and its
    event is sent as usual (the handler encodes the message once and hands it to the
    `Lead`). The others do not work the change out at all: they wait for the lead's outcome
    and send its message, skip the change as it did, or end where its event was the
    stream's last. Where the outcome is not one message for all (an error in the payload,
    a failure, the stream ending without an event) each subscriber works the change out
    itself. A stream gives at most one event per change. Without a group (graphql-ws, no
    WebSocket, or DebugSql, which reports each subscriber's own statements) every change is
    worked out and every event sent as is."""

    def __init__(self, info: Info[Any, Any]) -> None:
        self._ctx = ctx = request_context(info)
        self._target = None if ctx.settings.debug_sql else _operation_target()
        self._key: Hashable = None
        self._turns: Turns | None = None
        if self._target is not None:
            raw = info._raw_info
            operation = operation_key(ctx, raw.operation, raw.fragments, info.variable_values)
            self._key = ("message", operation, *viewer_scope(ctx.actor))
            self._turns = Turns(self._key)
        self._lead: Lead | None = None

    def changes(self, channel: str, after: int | None) -> AsyncIterator[CommittedChange]:
        """The changes of `channel` (resolvers/realtime.py) this subscriber's stream must work
        out itself; the others are answered from their lead."""
        changes = realtime.changes(self._ctx, channel, after, self._turns)
        return changes if self._target is None else self._led_or_answered(changes)

    def sent(self, events: AsyncIterator[E]) -> AsyncIterator[E]:
        """`events` through the last (`ChangeEvent.last`), each answering the change this
        subscriber leads when the handler sends its message."""
        return _until_last(events) if self._target is None else self._leading(events)

    async def _led_or_answered(
        self, changes: AsyncIterator[CommittedChange]
    ) -> AsyncIterator[CommittedChange]:
        assert self._target is not None
        connection, operation_id = self._target
        iterator = aiter(changes)
        while True:
            # Asked for the next change: the stream gave no event for the one it led.
            self._settle(_SKIPPED)
            try:
                change = await anext(iterator)
            except StopAsyncIteration:
                return
            slot, first = claim(change.delivery_cache, self._key)
            if first:
                assert self._turns is not None
                self._lead = Lead(slot, self._turns)
                yield change
                continue
            outcome: Outcome = await slot.result()
            if outcome is _SKIPPED:
                continue
            if not isinstance(outcome, tuple):
                yield change  # not shared: work it out as the lead did
                continue
            prepared, last = outcome
            await connection.send_prepared(operation_id, prepared)
            await self._ctx.release()  # what RequestScope does after each event it sends
            if last:
                return

    async def _leading(self, events: AsyncIterator[E]) -> AsyncIterator[E]:
        assert self._target is not None
        connection, operation_id = self._target
        try:
            async for event in events:
                lead = self._lead
                if lead is not None:
                    if lead.yielded:
                        raise RuntimeError("a shared stream gives at most one event per change")
                    lead.yielded, lead.last = True, event.last
                    connection.leading[operation_id] = lead
                try:
                    yield event
                finally:
                    connection.leading.pop(operation_id, None)
                if event.last:
                    return
        finally:
            self._settle(None)  # ended or failed while leading: the others work it out

    def _settle(self, outcome: Outcome) -> None:
        """Answer the change this subscriber led, if its message has not answered it."""
        lead, self._lead = self._lead, None
        if lead is not None:
            lead.settle(None if lead.yielded else outcome)


def _operation_target() -> tuple[Connection, str] | None:
    """The connection and id of the operation being started, if it is on a socket that
    shares messages (graphql-transport-ws)."""
    target = _operation.get()
    if target is None:
        return None
    connection_ref, operation_id = target
    connection = connection_ref()
    return None if connection is None else (connection, operation_id)


async def _until_last(events: AsyncIterator[E]) -> AsyncIterator[E]:
    async for event in events:
        yield event
        if event.last:
            return
