"""Where file bytes live: a storage interface and its two backends, the local filesystem
(the default) and S3-compatible object storage. The database row (db/models/files.py)
says what an object is; a backend only keeps bytes under keys and never overwrites one."""

from __future__ import annotations

from functools import cache

from db.storage.base import ObjectInfo, Storage, StorageError
from db.storage.local import LocalStorage
from settings import FilesSettings

__all__ = ["LocalStorage", "ObjectInfo", "Storage", "StorageError", "storage_for"]


@cache
def storage_for(settings: FilesSettings) -> Storage:
    """The backend the settings name (one per process and settings)."""
    if settings.s3 is not None:
        from db.storage.s3 import S3Storage

        return S3Storage(settings.s3)
    return LocalStorage(settings.directory)
