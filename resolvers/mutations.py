"""Runs one mutation: one transaction, all-or-nothing, failures reported as UserErrors.

Every mutation resolver calls `run_mutation`, so the rules of API.md "Mutations" hold
everywhere: a payload with errors has changed nothing; audit rows commit with the change.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from domain.errors import ErrorCode, Problem, UserErrors
from resolvers.context import RequestContext

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None
    problems: tuple[Problem, ...] = ()


async def run_mutation(
    ctx: RequestContext, work: Callable[[AsyncSession], Awaitable[T]]
) -> Outcome[T]:
    try:
        async with ctx.db.transaction() as session:
            value = await work(session)
    except UserErrors as exc:
        return Outcome(None, exc.problems)
    except StaleDataError:
        return Outcome(
            None,
            (Problem(ErrorCode.CONFLICT, "The record was changed by someone else; reload it"),),
        )
    except IntegrityError:
        # A concurrent writer won a uniqueness race the pre-checks could not see.
        log.info("integrity conflict in mutation (request %s)", ctx.actor.request_id, exc_info=True)
        return Outcome(
            None,
            (Problem(ErrorCode.CONFLICT, "The change conflicts with data saved concurrently"),),
        )
    # Rows cached before the commit may be stale now.
    ctx.loaders.clear()
    return Outcome(value)
