"""Creating and updating an entity from a mutation's input values, the same steps for every
kind: check the values, refuse a taken unique value (CONFLICT), turn the reference IDs into
keys (NOT_FOUND), then the shared write path with its audit entry (resolvers.writes).

A kind declares its steps once as an `Editable`; its `create` and `update` are the
resolvers' functions (`create_category = CATEGORIES.create`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import Owner
from auth.actor import Actor
from auth.permissions import Permission
from db.base import Entity
from resolvers import writes
from resolvers.lookup import ensure_unique, get_for_update, resolve_references, type_name
from resolvers.owners import ensure_owned

E = TypeVar("E", bound=Entity)


@dataclass(frozen=True)
class Editable(Generic[E]):
    model: type[E]
    # Checks (raising UserErrors) and normalises the input values; the second argument is
    # the entity being updated, None when creating.
    check: Callable[[dict[str, Any], E | None], None]
    unique: Sequence[str] = ()
    # Input fields (named like their columns) holding the ID of a row of another model.
    references: Mapping[str, type[Entity]] = field(default_factory=dict)
    # A check that needs the database, run once the references are keys.
    verify: Callable[[AsyncSession, dict[str, Any], E | None], Awaitable[None]] | None = None
    # Who may update a record: callers whose grant of the permission covers it (an OWN
    # grant: their own); NOT_FOUND for the others. None: the mutation's permission decides.
    owner: tuple[Permission, Owner] | None = None

    async def _prepare(
        self, session: AsyncSession, values: dict[str, Any], current: E | None
    ) -> None:
        self.check(values, current)
        exclude = current.id if current is not None else None
        await ensure_unique(session, self.model, values, self.unique, exclude=exclude)
        await resolve_references(session, values, self.references)
        if self.verify is not None:
            await self.verify(session, values, current)

    async def create(self, session: AsyncSession, actor: Actor, values: dict[str, Any]) -> E:
        await self._prepare(session, values, None)
        return await writes.create(session, actor, self.model(**values))

    async def update(
        self,
        session: AsyncSession,
        actor: Actor,
        global_id: str,
        values: dict[str, Any],
        expected_version: int | None,
    ) -> E:
        entity = await get_for_update(session, self.model, global_id)
        if self.owner is not None:
            permission, owner = self.owner
            owner_id = getattr(entity, owner.column)
            ensure_owned(actor, permission, owner, owner_id, type_name(self.model), global_id)
        await self._prepare(session, values, entity)
        return await writes.update(
            session, actor, entity, values, expected_version=expected_version
        )
