"""Which database connections are checked out of a pool, and from where.

Every pool the app or a test creates reports its checkouts and checkins here (SQLAlchemy's
pool events, listened to on the Pool class). A test that ends with a connection it took
still checked out has leaked it (issue 23): `tests/conftest.py` fails it, naming where the
connection was taken. A connection the garbage collector had to reclaim was leaked too.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from greenlet import getcurrent  # type: ignore[import-untyped]  # (no stubs; one call)
from sqlalchemy import event
from sqlalchemy.pool import Pool

_PROJECT = Path(__file__).resolve().parents[2]
_VENV = _PROJECT / ".venv"
_HERE = Path(__file__).resolve()
_FRAMES_SHOWN = 6


def _project_frames(frame: FrameType | None) -> Iterator[str]:
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(_PROJECT) and not path.is_relative_to(_VENV) and path != _HERE:
            yield f"{path.relative_to(_PROJECT)}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back


def where_taken() -> list[str]:
    """The project's frames that asked for the connection, innermost first. SQLAlchemy's
    async engine checks out inside a greenlet, whose own stack stops at the greenlet: the
    asyncio code that asked is on the stack of the greenlet it switched from."""
    frames = list(_project_frames(sys._getframe(1)))
    parent = getcurrent().parent
    if parent is not None:
        frames.extend(_project_frames(parent.gr_frame))
    return frames[:_FRAMES_SHOWN]


@dataclass
class Ledger:
    """Connections checked out now, each with where it was taken, and how many the garbage
    collector reclaimed since `reset`."""

    checked_out: dict[Any, list[str]] = field(default_factory=dict)
    reclaimed: list[str] = field(default_factory=list)

    def on_checkout(self, _dbapi: Any, record: Any, _proxy: Any) -> None:
        self.checked_out[record] = where_taken()

    def on_checkin(self, _dbapi: Any, record: Any) -> None:
        self.checked_out.pop(record, None)

    def on_detach(self, _dbapi: Any, record: Any) -> None:
        self.checked_out.pop(record, None)  # no longer the pool's to account for

    def leaks_since(self, before: set[Any]) -> list[str]:
        """What is checked out now that was not in `before`, and what was reclaimed."""
        found = [
            "checked out at " + (" <- ".join(where) or "(outside the project)")
            for record, where in self.checked_out.items()
            if record not in before
        ]
        return found + self.reclaimed


class _Reclaimed(logging.Handler):
    """Counts SQLAlchemy's report that the garbage collector closed a connection nobody
    returned (logged at ERROR by the pool)."""

    def __init__(self, ledger: Ledger) -> None:
        super().__init__(logging.ERROR)
        self._ledger = ledger

    def emit(self, record: logging.LogRecord) -> None:
        if "garbage collector is trying to clean up" in record.getMessage():
            self._ledger.reclaimed.append("reclaimed by the garbage collector, never returned")


LEDGER = Ledger()
_installed = False


def install() -> None:
    """Listen to every pool (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Pool, "checkout", LEDGER.on_checkout)
    event.listen(Pool, "checkin", LEDGER.on_checkin)
    event.listen(Pool, "detach", LEDGER.on_detach)
    logging.getLogger("sqlalchemy.pool").addHandler(_Reclaimed(LEDGER))
    _installed = True


@contextmanager
def no_connection_left_checked_out(test: str) -> Iterator[None]:
    """Fails the test when the block ends with a connection it took still checked
    out, or one it took reclaimed by the garbage collector."""
    install()
    before = set(LEDGER.checked_out)
    LEDGER.reclaimed.clear()
    yield
    leaks = LEDGER.leaks_since(before)
    LEDGER.reclaimed.clear()
    if leaks:
        pytest.fail(
            f"{test} left {len(leaks)} database connection(s) checked out of the pool:\n  "
            + "\n  ".join(leaks),
            pytrace=False,
        )
