"""Stored files (domain/files.py): one row per upload, pointing at an object in the storage
backend (db/storage/). The bytes never change once stored: a row has no field to edit but
`attached_at`, set when a record (a job photo, a COA) takes the file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity
from db.columns import enum_column
from domain.files import ContentType, FilePurpose, Retention


class StoredFile(Entity):
    __tablename__ = "files"
    __table_args__ = (
        # `files prune` looks for old files no record took.
        Index("ix_files_unattached", "attached_at", "created_at"),
    )

    purpose: Mapped[FilePurpose] = mapped_column(enum_column(FilePurpose))
    retention: Mapped[Retention] = mapped_column(enum_column(Retention))
    # The object's key in the storage backend: purpose and content hash, never the name.
    storage_key: Mapped[str] = mapped_column(String(200), index=True)
    # Of the stored bytes (for photos: after their metadata was stripped).
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[ContentType] = mapped_column(enum_column(ContentType))
    original_name: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[str | None] = mapped_column(String(64))
    thumbnail_key: Mapped[str | None] = mapped_column(String(200), default=None)
    thumbnail_size: Mapped[int | None] = mapped_column(Integer, default=None)
    # Public files (a verified COA) are served at a stable URL without a signature.
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    attached_at: Mapped[datetime | None] = mapped_column(default=None)
