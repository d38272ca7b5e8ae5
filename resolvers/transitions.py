"""The one way a status changes: apply a move of a `StateMachine` inside the mutation's
transaction.

`transition` locks the row, hides records the caller may not read (NOT_FOUND), checks
`expectedVersion` (CONFLICT), finds the move (INVALID_TRANSITION when the machine has none,
or when the caller's role or ownership does not grant it), checks required inputs
(VALIDATION) and guards (their own codes), then writes the status, the inputs the move
accepts, its stage timestamps, a status-history row and an audit entry, bumps `version`
and runs the move's side effects. Any failure raises `UserErrors` before the first write,
so a refused transition leaves no trace; a failing effect rolls the whole mutation back.

`allowed_targets` answers `allowedTransitions` from the same declaration.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypedDict, TypeVar, Unpack

from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import owns
from auth.actor import SYSTEM, Actor
from auth.permissions import Permission, Scope, grant
from db.base import Entity
from db.models import StatusChange
from domain.enums import ActorType, AuditAction
from domain.errors import ErrorCode, Problem, UserErrors
from domain.validation import camel
from domain.workflow import Effect, Move, StateMachine
from resolvers import audit
from resolvers.domain_events import DomainEvent, publish
from resolvers.lookup import get_for_update, not_found
from resolvers.writes import check_version

S = TypeVar("S", bound=StrEnum)
E = TypeVar("E", bound=Entity)


@dataclass
class TransitionContext(Generic[S]):
    """What guards and effects see of the transition in progress."""

    session: AsyncSession
    actor: Actor
    machine: StateMachine[S]
    entity: Any
    move: Move[S]
    inputs: Mapping[str, Any]
    reason: str | None
    now: datetime
    # Where the caller's input sits, for error paths: ("input",) or ("input", "items", 3).
    path: tuple[str | int, ...] = ("input",)

    def problem(self, code: ErrorCode, message: str, input_field: str | None = None) -> Problem:
        where = (*self.path, input_field) if input_field else None
        return Problem(code, message, tuple(str(p) for p in where) if where else None)


def system_actor(on_behalf_of: Actor) -> Actor:
    """The system acting inside a caller's request (an order following its jobs): recorded
    as the system, traceable to the request that caused it."""
    return replace(SYSTEM, request_id=on_behalf_of.request_id, ip=on_behalf_of.ip)


def permits(
    actor: Actor,
    permission: Permission,
    machine: StateMachine[Any],
    owner_id: uuid.UUID | None,
) -> bool:
    """Whether the actor's grant of `permission` covers this record (the system always)."""
    if actor.type is ActorType.SYSTEM:
        return True
    if machine.owner is None:
        return grant(actor.role, permission) is Scope.ALL
    return owns(actor, permission, machine.owner, owner_id)


def owner_id_of(machine: StateMachine[Any], entity: Any) -> uuid.UUID | None:
    if machine.owner is None:
        return None
    value: uuid.UUID | None = getattr(entity, machine.owner.column)
    return value


def allowed_targets(
    machine: StateMachine[S], actor: Actor, status: S, owner_id: uuid.UUID | None
) -> list[S]:
    """The statuses this actor may move a record in `status` to by hand (guards that depend
    on the move's inputs are checked when it is made; moves only a process makes are left
    out)."""
    return [
        move.target
        for move in machine.moves_from(status)
        if move.manual and permits(actor, move.permission, machine, owner_id)
    ]


class MoveOptions(TypedDict, total=False):
    """What a caller may add to a move: the version it expects (CONFLICT otherwise), the
    move's inputs, a reason, and where its input sits for error paths (("input",))."""

    expected_version: int | None
    inputs: Mapping[str, Any] | None
    reason: str | None
    path: tuple[str | int, ...]


async def transition(
    session: AsyncSession,
    actor: Actor,
    machine: StateMachine[S],
    model: type[E],
    global_id: str,
    target: S,
    **options: Unpack[MoveOptions],
) -> TransitionContext[S]:
    """Lock the record an input ID names and apply the move to `target`."""
    entity = await get_for_update(session, model, global_id)
    if not permits(actor, machine.read, machine, owner_id_of(machine, entity)):
        raise not_found(machine.entity, global_id)
    return await apply(session, actor, machine, entity, target, **options)


async def apply(
    session: AsyncSession,
    actor: Actor,
    machine: StateMachine[S],
    entity: Any,
    target: S,
    **options: Unpack[MoveOptions],
) -> TransitionContext[S]:
    """Apply the move to `target` to an entity the caller has already locked."""
    check_version(entity, options.get("expected_version"))
    inputs = options.get("inputs")
    reason = options.get("reason")
    source: S = machine.statuses(entity.status)
    move = machine.move(source, target)
    ctx_path = tuple(options.get("path", ("input",)))
    if move is None:
        raise UserErrors([_invalid(machine, source, target, ctx_path)])
    if not permits(actor, move.permission, machine, owner_id_of(machine, entity)):
        role = actor.role.value if actor.role else "anonymous"
        raise UserErrors(
            [
                Problem(
                    ErrorCode.INVALID_TRANSITION,
                    f"The {role} role may not move a {_label(machine)} from {source} to "
                    f"{target} (needs {move.permission.value})",
                    (*map(str, ctx_path), "status"),
                )
            ]
        )
    context = TransitionContext(
        session=session,
        actor=actor,
        machine=machine,
        entity=entity,
        move=move,
        inputs=dict(inputs or {}),
        reason=reason,
        now=datetime.now(UTC),
        path=ctx_path,
    )
    problems = [
        context.problem(ErrorCode.VALIDATION, f"{camel(name)} is required for this move", name)
        for name in move.requires
        if context.inputs.get(name) in (None, "")
    ]
    if not problems:
        for guard in move.guards:
            problem = await guard(context)
            if problem is not None:
                problems.append(problem)
    if problems:
        raise UserErrors(problems)

    before = audit.snapshot(entity)
    entity.status = target
    for name in move.writes:
        if context.inputs.get(name) is not None:
            setattr(entity, name, context.inputs[name])
    for column in move.stamps:
        setattr(entity, column, context.now)
    await session.flush()
    session.add(
        StatusChange(
            entity_type=machine.entity,
            entity_id=entity.id,
            from_status=source.value,
            to_status=target.value,
            reason=reason,
            version=entity.version,
            occurred_at=context.now,
            actor_id=actor.id,
            actor_type=actor.type,
            actor_role=actor.role.value if actor.role else None,
            request_id=actor.request_id,
        )
    )
    audit.record(
        session,
        actor,
        AuditAction.STATUS_CHANGED,
        entity,
        before=before,
        after=audit.snapshot(entity),
        context={"from": source.value, "to": target.value, "reason": reason},
        field_name="status",
    )
    for effect in (*move.effects, *machine.every_move):
        await effect(context)
    return context


def announce(event: Callable[[Any, Actor, datetime], DomainEvent]) -> Effect:
    """The effect publishing `event(record, actor, time)` of the move, for other domains to
    react to in the same transaction (resolvers.events)."""

    async def publish_event(ctx: TransitionContext[Any]) -> None:
        await publish(ctx.session, event(ctx.entity, ctx.actor, ctx.now))

    return publish_event


def _invalid(machine: StateMachine[S], source: S, target: S, path: Sequence[str | int]) -> Problem:
    allowed = [m.target.value for m in machine.moves_from(source)]
    options = f"allowed from {source}: {', '.join(allowed)}" if allowed else f"{source} is final"
    return Problem(
        ErrorCode.INVALID_TRANSITION,
        f"A {_label(machine)} cannot move from {source} to {target} ({options})",
        (*map(str, path), "status"),
    )


def _label(machine: StateMachine[Any]) -> str:
    # "ManufacturingJob" → "manufacturing job"
    name = machine.entity
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
