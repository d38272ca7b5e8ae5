"""Files in a folder on local disk (OPSGRAPH_FILES_DIR), outside any folder the app serves.

An object is written to a temporary file in the same folder, flushed to disk, then linked
under its key: `os.link` fails when the key exists, so an object is never overwritten and
never seen half-written."""

from __future__ import annotations

import asyncio
import builtins
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from db.storage.base import CHUNK, ObjectInfo, StorageError

_INCOMING = ".incoming"


class LocalStorage:
    name = "filesystem"

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents or key.startswith(_INCOMING):
            raise StorageError(f"key outside the storage folder: {key!r}")
        return path

    async def put(self, key: str, source: Path | bytes) -> bool:
        return await asyncio.to_thread(self._put, key, source)

    def _put(self, key: str, source: Path | bytes) -> bool:
        target = self._path(key)
        if target.exists():
            return False
        incoming = self.root / _INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=incoming)
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(source, bytes):
                    out.write(source)
                else:
                    with source.open("rb") as given:
                        shutil.copyfileobj(given, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o440)
            try:
                os.link(temporary, target)
            except FileExistsError:
                return False  # stored concurrently: the same bytes
            return True
        finally:
            os.unlink(temporary)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            handle = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            raise StorageError(f"no object {key!r}") from None
        try:
            await asyncio.to_thread(handle.seek, start)
            left = None if end is None else end - start + 1
            while left is None or left > 0:
                chunk = await asyncio.to_thread(
                    handle.read, CHUNK if left is None else min(CHUNK, left)
                )
                if not chunk:
                    return
                if left is not None:
                    left -= len(chunk)
                yield chunk
        finally:
            await asyncio.to_thread(handle.close)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def list(self) -> AsyncIterator[ObjectInfo]:
        for info in await asyncio.to_thread(self._list):
            yield info

    def _list(self) -> builtins.list[ObjectInfo]:
        if not self.root.is_dir():
            return []
        found = []
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root)
            if not path.is_file() or relative.parts[0] == _INCOMING:
                continue
            stat = path.stat()
            found.append(
                ObjectInfo(
                    relative.as_posix(), stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC)
                )
            )
        return found
