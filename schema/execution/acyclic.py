"""An executor that the end of its request frees at once, without the garbage collector.

graphql-core gives each executor `async_helpers` (what resolvers reach as
`info.async_helpers`) made of two of the executor's own bound methods: executor → helpers →
bound method → executor, a reference cycle. Everything the executor holds (the request's
context, its loaders and reader, the level plans of `schema.execution.batched`: ~400 objects for an
ops board) then outlives the request until a garbage collection finds the cycle. Those
leftovers are what made collections run at all under load, and with 16 boards in flight
one collection walked every live object of every request: ~80 ms during which no request
progressed (bench/README.md, fifth session). Here the helpers reach the executor through
a weak reference, so a request that completes frees its objects as soon as it ends (one
that raises may still leave its traceback's frames to the collector).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Sequence
from typing import Any, Self

from graphql import GraphQLResolveInfoHelpers
from graphql.execution import Executor


def weak_helpers(executor: Executor[Any]) -> GraphQLResolveInfoHelpers:
    """The executor's helpers, calling its methods without keeping it alive (it lives as
    long as its execution, which is when resolvers may call them)."""
    owner = weakref.ref(executor)

    def gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
        return _alive(owner).gather_async_work(values)

    def track(values: Sequence[Any]) -> None:
        _alive(owner).track_async_work(values)

    return GraphQLResolveInfoHelpers(gather=gather, track=track)


def _alive(owner: weakref.ref[Executor[Any]]) -> Executor[Any]:
    executor = owner()
    if executor is None:  # a resolver kept its info past the end of its execution
        raise RuntimeError("info.async_helpers used after its execution ended")
    return executor


class AcyclicHelpers(Executor[Any]):
    """An executor whose `async_helpers` do not form a reference cycle with it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.async_helpers = weak_helpers(self)

    def __copy__(self) -> Self:
        """graphql-core's per-event and sub-executors are shallow copies that may outlive
        the executor they were copied from (a subscriber leaving while an event's work
        settles): each gets helpers that reach the copy itself."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.async_helpers = weak_helpers(clone)
        return clone
