"""State machines as data: the one declaration every stateful entity's status obeys.

A `StateMachine` lists its `Move`s. Each move names the permission that makes it (so the
role table of auth.permissions decides who, with `OWN` grants limited to the owner's
records), the inputs it requires, the inputs it writes, its guards (each a check with its
error code), the stage timestamps it sets and its side effects. `resolvers.transitions`
applies a move; `allowed_targets` answers `allowedTransitions` from the same declaration.
Nothing else changes a status.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from domain.errors import Problem
from domain.ownership import Owner
from domain.permissions import Permission

S = TypeVar("S", bound=StrEnum)

# A guard sees the transition in progress (resolvers.transitions.TransitionContext) and
# returns the problem that blocks it, or None. Guards run after the required inputs are
# checked and before anything is written.
Guard = Callable[[Any], Awaitable[Problem | None]]
# An effect runs after the status, stamps, history and audit rows are written, in the same
# transaction: if it raises, the whole transition rolls back.
Effect = Callable[[Any], Awaitable[None]]


@dataclass(frozen=True)
class Move(Generic[S]):
    source: S
    target: S
    permission: Permission
    description: str
    # Inputs that must be given (VALIDATION with the input's path otherwise).
    requires: tuple[str, ...] = ()
    # Inputs copied onto columns of the same name when given (`requires` ones included).
    writes: tuple[str, ...] = ()
    guards: tuple[Guard, ...] = ()
    # Timestamp columns set to the transition's time.
    stamps: tuple[str, ...] = ()
    effects: tuple[Effect, ...] = ()
    # False: only a process makes the move (a lot's QC inspection releases it), its guards
    # refusing a caller who asks by hand; `allowedTransitions` does not offer it.
    manual: bool = True


@dataclass(frozen=True)
class StateMachine(Generic[S]):
    entity: str  # the model and node type name, e.g. "ManufacturingJob"
    statuses: type[S]
    initial: S
    moves: tuple[Move[S], ...]
    # The permission that reads a record: a caller who may not read it gets NOT_FOUND.
    read: Permission
    # Who owns a record, for grants with an OWN scope (None: no owner).
    owner: Owner | None = None
    # Effects of every move (a notice, a timeline entry), run after the move's own.
    every_move: tuple[Effect, ...] = ()
    _index: dict[tuple[S, S], Move[S]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[S, S], Move[S]] = {}
        for move in self.moves:
            key = (move.source, move.target)
            if key in index:
                raise ValueError(f"{self.entity}: {move.source} → {move.target} declared twice")
            if move.source not in self.statuses or move.target not in self.statuses:
                raise ValueError(f"{self.entity}: {key} uses a status of another machine")
            index[key] = move
        object.__setattr__(self, "_index", index)

    def move(self, source: S, target: S) -> Move[S] | None:
        return self._index.get((source, target))

    def moves_from(self, source: S) -> Sequence[Move[S]]:
        return [move for move in self.moves if move.source == source]

    def is_terminal(self, status: S) -> bool:
        return not self.moves_from(status)
