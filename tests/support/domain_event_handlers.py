"""A module that reacts to an event the tests publish, as a domain's module would: its
handler registers on import, and the publishing test never calls it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Customer
from resolvers.domain_events import DomainEvent, subscribe


@dataclass(frozen=True)
class CustomerWelcomed(DomainEvent):
    customer: Customer


@subscribe(CustomerWelcomed)
async def add_welcome_company(session: AsyncSession, event: CustomerWelcomed) -> None:
    """Writes on the publisher's session: commits or rolls back with the publisher's change."""
    session.add(Customer(name=f"Welcome for {event.customer.name}", company="welcome"))
