"""The storage interface every backend implements."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

CHUNK = 256 * 1024


class StorageError(Exception):
    """The backend failed (unreachable, refused): an operator's problem, never a client's."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    modified: datetime


class Storage(Protocol):
    """Bytes under keys. `put` never replaces an object: keys are derived from the content
    hash, so an existing key already holds these bytes."""

    name: str

    async def put(self, key: str, source: Path | bytes) -> bool:
        """Store `source` (a file's path or bytes) under `key`; False when the key already
        existed and nothing was written."""
        ...

    async def exists(self, key: str) -> bool: ...

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes of `key` from `start` to `end` (inclusive; None: to the end), in
        chunks."""
        ...

    async def delete(self, key: str) -> None:
        """Remove `key` (nothing if it is gone already)."""
        ...

    def list(self) -> AsyncIterator[ObjectInfo]:
        """Every stored object."""
        ...
