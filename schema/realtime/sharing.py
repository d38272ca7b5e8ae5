"""One execution per change for every subscriber that would get the same answer.

A change that reaches a thousand dashboards would otherwise run the subscription's selection a
thousand times. Subscribers of the same operation (document and variables) whose viewer scope
is the same (role, and the manufacturer or customer they act for: everything visibility and
field rules depend on) get the same result, so the first of them executes it and the others
receive that result. Replayed changes are read per subscriber and are not shared.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Any, TypeVar, cast

from graphql import ExecutionResult, FragmentDefinitionNode, OperationDefinitionNode, print_ast
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from auth.actor import Actor
from resolvers.context import RequestContext

_NOT_SHARED = object()
T = TypeVar("T")


def viewer_scope(actor: Actor) -> tuple[Any, ...]:
    """Everything visibility and field rules depend on: viewers with the same scope get the
    same answer, so they may share one."""
    return (actor.role, actor.manufacturer_id, actor.customer_id)


def remembered(cache: dict[Any, Any], key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` for `key`, worked out once per change (what `shared` does for awaitables)."""
    value: T | None = cache.get(key)
    if value is None:
        value = cache[key] = compute()
    return value


class Slot:
    """The answer for one key of a change: set once by the caller that claimed it, awaited
    by the others. Each waiter waits on a future of its own (an Event's), so one leaving
    (its task cancelled) does not cancel the answer for the rest; shielding one shared
    future would cost each of a thousand waiters a second future and two more callbacks."""

    __slots__ = ("_ready", "_value")

    def __init__(self) -> None:
        self._ready = asyncio.Event()
        self._value: Any = None

    def done(self) -> bool:
        return self._ready.is_set()

    def set_result(self, value: Any) -> None:
        self._value = value
        self._ready.set()

    async def result(self) -> Any:
        await self._ready.wait()  # returns at once when already set
        return self._value


def claim(cache: dict[Any, Any], key: Hashable) -> tuple[Slot, bool]:
    """The slot that answers `key` for a change, and whether this caller made it (and so
    must answer it: the others wait for it)."""
    pending: Slot | None = cache.get(key)
    if pending is not None:
        return pending, False
    pending = cache[key] = Slot()
    return pending, True


async def shared(cache: dict[Any, Any], key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
    """`compute()` for `key`, run by the first caller for a change while the others wait
    for its answer. If that caller fails or leaves, each waiter computes its own."""
    pending, first = claim(cache, key)
    if not first:
        value = await pending.result()
        if value is not _NOT_SHARED:
            return cast(T, value)
        return await compute()
    try:
        value = await compute()
    except BaseException:
        del cache[key]
        pending.set_result(_NOT_SHARED)
        raise
    pending.set_result(value)
    return value


class SharedEventExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, sharing per-event results through the change's cache."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        change = getattr(self.root_value, "change", None)  # only an event's payload has one
        context = self.context_value
        if change is None or not isinstance(context, RequestContext):
            return super().execute_operation(serially)
        operation = operation_key(
            context, self.operation, self.fragment_definitions, self.variable_values.coerced
        )
        key = ("result", operation, *viewer_scope(context.actor))
        return shared(change.delivery_cache, key, lambda: self._own(serially))

    async def _own(self, serially: bool | None) -> ExecutionResult:
        result = super().execute_operation(serially)
        if self.is_awaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        return result


def operation_key(
    ctx: RequestContext,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> Hashable:
    """What makes two subscriptions the same operation: the selected operation, its
    fragments and its coerced variables. Printed once per operation (its context's memo):
    the executor and the message hand-off (schema.realtime.messages) both ask."""

    def printed() -> Hashable:
        texts = sorted(print_ast(f) for f in fragments.values())
        values = json.dumps(variables, sort_keys=True, default=str)
        return (print_ast(operation), tuple(texts), values)

    return remembered(ctx.selections, "subscription operation key", printed)
