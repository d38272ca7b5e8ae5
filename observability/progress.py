"""Progress of long commands (seed, prune-changes, files prune/verify, notify-due,
bench/dataset.py) on a terminal: a tqdm bar (or a count where the total is unknown) on
stderr, and nothing at all when stderr is not a terminal or CI is set, so cron mails and CI
logs keep only the commands' one-line results."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def shown() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """`items`, with a bar (or a count) on a terminal while they are gone through."""
    if not shown():
        yield from items
        return
    with tqdm(items, desc=description, total=total, unit="", leave=False) as bar:
        yield from bar


class Steps:
    """Counts of a multi-step job: `advance()` once per step done."""

    def __init__(self, description: str, total: int | None = None) -> None:
        self._bar = tqdm(desc=description, total=total, leave=False) if shown() else None

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Steps:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
