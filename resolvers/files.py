"""Stored files after the upload: finding one to download, attaching one to a record, and
the housekeeping commands (`uv run app.py files prune|verify`).

Retention (domain/files.py): a file no record took within OPSGRAPH_FILES_ORPHAN_HOURS is
removed by `prune`, with its object when no other file row shares it. A file whose purpose
keeps it forever (COAs, BR-45) is never removed, attached or not, and neither is an object
such a file points at. Objects no row points at (a process that stored an object and
died before its transaction committed) are removed once older than the same hours.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Table, Uuid, cast, literal, null, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import Database
from db.models import StoredFile
from db.storage import Storage, StorageError
from domain.clock import as_utc
from domain.files import Retention
from observability.progress import progress

FILES: Table = StoredFile.__table__  # type: ignore[assignment]


def held_files(
    holder: str, joined: FromClause, owner: ColumnElement[Any] | None = None
) -> FromClause:
    """The source of the files a holder exposes (schema/files.py `file_of`): the files rows
    of `joined` (FILES joined to the holder's table), each with the holder's node type name,
    whose read rule its links follow, and the holder's owner (null for records without)."""
    owner_column = owner if owner is not None else cast(null(), Uuid())
    return (
        select(FILES, owner_column.label("owner_id"), literal(holder).label("holder"))
        .select_from(joined)
        .subquery(f"{holder.lower()}_files")
    )


async def file_by_id(database: Database, file_id: uuid.UUID) -> StoredFile | None:
    async with database.transaction() as session:
        found = await session.get(StoredFile, file_id)
        if found is not None:
            session.expunge(found)
        return found


@dataclass
class PruneReport:
    files: int = 0
    objects: int = 0
    kept: list[str] = field(default_factory=list)


async def prune(
    database: Database, storage: Storage, orphan_hours: int, now: datetime | None = None
) -> PruneReport:
    report = PruneReport()
    cutoff = (now or datetime.now(UTC)) - timedelta(hours=orphan_hours)
    async with database.transaction() as session:
        orphans = (
            await session.scalars(
                select(StoredFile).where(
                    StoredFile.attached_at.is_(None),
                    StoredFile.created_at < cutoff,
                    StoredFile.retention != Retention.KEPT_FOREVER,
                )
            )
        ).all()
        released: set[str] = set()
        for orphan in orphans:
            released |= {orphan.storage_key} | (
                {orphan.thumbnail_key} if orphan.thumbnail_key else set()
            )
            await session.delete(orphan)
            report.files += 1
        await session.flush()
        wanted = await _referenced_keys(session)
    # The pruned rows' objects, unless another row shares them (the same bytes uploaded
    # twice); then objects no row points at, once older than the cutoff (a younger one may
    # belong to an upload whose transaction has not committed yet).
    for key in progress(sorted(released - wanted), "deleting objects"):
        await storage.delete(key)
        report.objects += 1
    async for info in storage.list():
        if info.key not in wanted and info.key not in released and as_utc(info.modified) < cutoff:
            await storage.delete(info.key)
            report.objects += 1
    return report


async def _referenced_keys(session: AsyncSession) -> set[str]:
    """Every object a file row points at (rows of files kept forever included: they are
    never pruned, so neither are their objects)."""
    rows = await session.execute(select(StoredFile.storage_key, StoredFile.thumbnail_key))
    return {key for pair in rows for key in pair if key}


@dataclass
class VerifyReport:
    checked: int = 0
    mismatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.missing


async def verify(database: Database, storage: Storage) -> VerifyReport:
    """Re-hash every stored object a file row points at and compare it with the row's
    SHA-256 and size (the weekly COA integrity check of SPEC §7)."""
    report = VerifyReport()
    async with database.transaction() as session:
        rows = (
            await session.execute(
                select(StoredFile.id, StoredFile.storage_key, StoredFile.sha256, StoredFile.size)
            )
        ).all()
    seen: dict[str, str] = {}
    for file_id, key, sha256, size in progress(rows, "verifying files", total=len(rows)):
        report.checked += 1
        if key not in seen:
            seen[key] = await _check(storage, key, sha256, size)
        if seen[key] == "missing":
            report.missing.append(f"{file_id} {key}")
        elif seen[key] == "mismatch":
            report.mismatched.append(f"{file_id} {key}")
    return report


async def _check(storage: Storage, key: str, sha256: str, size: int) -> str:
    digest = hashlib.sha256()
    read = 0
    try:
        async for chunk in storage.read(key):
            digest.update(chunk)
            read += len(chunk)
    except StorageError:
        return "missing"
    return "ok" if read == size and digest.hexdigest() == sha256 else "mismatch"
