"""In-transaction domain events: a domain publishes what happened; domains that react
subscribe in their own module, and the publisher never imports them.

Handlers run at once, awaited one after the other inside `publish`, on the publisher's
session: what they write commits with the publisher's change, and an exception from any of
them propagates to the publisher, so the whole mutation rolls back. They run in ascending
`order`, then in the order they were registered.

Handlers register when their module is imported; `resolvers.subscribers` imports every
such module and then marks the bus collected. Publishing before that raises, so a reaction
can never be skipped silently because nobody happened to import its module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event: a frozen record of something that already happened."""


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[AsyncSession, E], Awaitable[None]]


@dataclass(frozen=True)
class _Subscription:
    order: int
    sequence: int
    handler: Handler[Any]


class EventBus:
    def __init__(self, *, collected: bool = False) -> None:
        self._subscriptions: dict[type[DomainEvent], list[_Subscription]] = {}
        self._sequence = 0
        self._collected = collected

    def subscribe(
        self, event_type: type[E], *, order: int = 0
    ) -> Callable[[Handler[E]], Handler[E]]:
        """Decorator: run the handler whenever an `event_type` is published (exact type)."""

        def register(handler: Handler[E]) -> Handler[E]:
            self._sequence += 1
            subscriptions = self._subscriptions.setdefault(event_type, [])
            subscriptions.append(_Subscription(order, self._sequence, handler))
            subscriptions.sort(key=lambda s: (s.order, s.sequence))
            return handler

        return register

    def unsubscribe(self, event_type: type[E], handler: Handler[E]) -> None:
        """Remove a handler (tests that add a reaction for one case take it back)."""
        self._subscriptions[event_type] = [
            s for s in self._subscriptions.get(event_type, ()) if s.handler is not handler
        ]

    def mark_collected(self) -> None:
        self._collected = True

    def handlers(self, event_type: type[DomainEvent]) -> list[Handler[Any]]:
        return [s.handler for s in self._subscriptions.get(event_type, ())]

    async def publish(self, session: AsyncSession, event: DomainEvent) -> None:
        if not self._collected:
            raise RuntimeError(
                f"{type(event).__name__} published before the handlers were collected "
                "(import resolvers.subscribers at start-up)"
            )
        for handler in self.handlers(type(event)):
            await handler(session, event)


EVENTS = EventBus()
subscribe = EVENTS.subscribe
publish = EVENTS.publish
