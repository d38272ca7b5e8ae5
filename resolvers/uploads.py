"""Receiving an uploaded file for a purpose (domain/files.py), for every domain.

`store` reads the upload in chunks into a private temporary file, hashing it and stopping
as soon as it passes the purpose's limit; reads its type from the bytes (Pillow for images,
the PDF header and pypdf for PDFs) and checks it against the purpose and the name's
extension; decodes images under a pixel limit (decompression bombs are refused before
decoding), strips their metadata (EXIF with GPS) and makes a thumbnail; parses PDFs. Only
then is anything stored: every refusal leaves the storage and the database as they were.

A caller checks what does not need the bytes (the record the file is for, its own inputs)
before calling `store`, so that a refused mutation has not stored an object either; then
`record` writes the File row.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import tempfile
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from PIL import Image, ImageOps
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import StoredFile
from db.storage import Storage
from domain.errors import ErrorCode, UserErrors
from domain.files import (
    IMAGES,
    MAX_IMAGE_PIXELS,
    PURPOSES,
    THUMBNAIL_SIZE,
    ContentType,
    FilePurpose,
    check_extension,
    check_name,
    limit_of,
    storage_key,
    thumbnail_key,
)
from resolvers import writes
from resolvers.context import RequestContext
from resolvers.mutations import Outcome, run_mutation

T = TypeVar("T")
CHUNK = 64 * 1024
_PILLOW_FORMATS = {"JPEG": ContentType.JPEG, "PNG": ContentType.PNG, "WEBP": ContentType.WEBP}
_SAVE_AS = {ContentType.JPEG: "JPEG", ContentType.PNG: "PNG", ContentType.WEBP: "WEBP"}
# Pillow's own bomb check, at our limit: above it, Image.open refuses before decoding.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


@runtime_checkable
class UploadedFile(Protocol):
    """A file part of a multipart request (Starlette's UploadFile)."""

    filename: str | None

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Received:
    """An upload read to a temporary file: its size and SHA-256 as streamed."""

    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class Inspected:
    content_type: ContentType
    # What is stored when it is not the upload itself (a photo without its metadata).
    rewritten: bytes | None = None
    thumbnail: bytes | None = None


def _refuse(code: ErrorCode, message: str, field: Sequence[str]) -> UserErrors:
    return UserErrors.one(code, message, field)


async def _read_limited(upload: UploadedFile, limit: int, field: Sequence[str]) -> Received:
    """Copy the upload to a temporary file, hashing as it streams; refuse it as soon as it
    passes `limit` bytes (the rest is never read)."""
    fd, name = tempfile.mkstemp(prefix="opsgraph-upload-")
    path = Path(name)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _refuse(
                        ErrorCode.FILE_TOO_LARGE,
                        f"The file is larger than the {limit} bytes allowed",
                        field,
                    )
                digest.update(chunk)
                await asyncio.to_thread(out.write, chunk)
        if size == 0:
            raise _refuse(ErrorCode.FILE_EMPTY, "The file is empty", field)
    except BaseException:
        os.unlink(path)
        raise
    return Received(path, size, digest.hexdigest())


def _sniff(path: Path) -> ContentType | None:
    """The type the bytes are, whatever the name says."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return ContentType.PDF
    try:
        with Image.open(path, formats=list(_PILLOW_FORMATS)) as image:
            return _PILLOW_FORMATS.get(image.format or "")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, SyntaxError):
        # A bomb, or an image too damaged for Pillow to read its header: the signature
        # still says what it claims to be (it is refused when decoded).
        return _image_type_by_signature(path)
    except ValueError:
        return None


def _image_type_by_signature(path: Path) -> ContentType | None:
    """An image's type by its first bytes alone (nothing is decoded here)."""
    with path.open("rb") as handle:
        head = handle.read(12)
    if head.startswith(b"\xff\xd8\xff"):
        return ContentType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ContentType.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ContentType.WEBP
    return None


def _inspect_image(path: Path, content_type: ContentType, field: Sequence[str]) -> Inspected:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[_SAVE_AS[content_type]]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(width * height, field)
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                rewritten = _without_metadata(upright, content_type)
                thumbnail = _thumbnail(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(None, field) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(ErrorCode.FILE_CORRUPT, "The image does not decode", field) from None
    return Inspected(content_type, rewritten, thumbnail)


def _too_many_pixels(pixels: int | None, field: Sequence[str]) -> UserErrors:
    size = f" ({pixels} pixels)" if pixels is not None else ""
    return _refuse(
        ErrorCode.FILE_IMAGE_TOO_LARGE,
        f"The image is larger than {MAX_IMAGE_PIXELS} pixels{size}",
        field,
    )


def _without_metadata(image: Image.Image, content_type: ContentType) -> bytes:
    """The image saved again from its pixels alone: no EXIF (GPS, camera), no XMP, no text
    chunks. Its orientation was applied to the pixels first, so it still shows upright."""
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if content_type is ContentType.JPEG:
        options = {"quality": 92, "optimize": True}
    elif content_type is ContentType.WEBP:
        options = {"quality": 92}
    clean = image.copy()
    # What Pillow would carry over: keep only what shapes the pixels (PNG transparency).
    clean.info = {k: v for k, v in image.info.items() if k == "transparency"}
    clean.save(out, format=_SAVE_AS[content_type], **options)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    small = image.convert("RGBA") if image.mode in ("P", "LA", "PA") else image
    if small.mode == "RGBA":
        backdrop = Image.new("RGB", small.size, (255, 255, 255))
        backdrop.paste(small, mask=small.getchannel("A"))
        small = backdrop
    else:
        small = small.convert("RGB")
    small.thumbnail(THUMBNAIL_SIZE)
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _inspect_pdf(path: Path, field: Sequence[str]) -> Inspected:
    try:
        reader = PdfReader(path, strict=True)
        if len(reader.pages) == 0:
            raise ValueError("no pages")
        for page in reader.pages:
            page.mediabox  # noqa: B018 (reading it parses the page)
    except Exception:  # pypdf raises many kinds; any of them means "does not parse"
        raise _refuse(ErrorCode.FILE_CORRUPT, "The PDF does not parse", field) from None
    return Inspected(ContentType.PDF)


def _inspect(
    received: Received, purpose: FilePurpose, name: str, field: Sequence[str]
) -> Inspected:
    rules = PURPOSES[purpose]
    content_type = _sniff(received.path)
    if content_type is None or content_type not in rules.types:
        accepted = ", ".join(sorted(t.value for t in rules.types))
        raise _refuse(
            ErrorCode.FILE_TYPE_NOT_ALLOWED,
            f"A {purpose.value.replace('_', ' ')} must be one of {accepted}",
            field,
        )
    check_extension(name, content_type, tuple(field))
    if content_type in IMAGES:
        checked = _inspect_image(received.path, content_type, field)
        return Inspected(
            content_type,
            checked.rewritten if rules.strip_metadata else None,  # else stored as sent
            checked.thumbnail if rules.thumbnail else None,
        )
    return _inspect_pdf(received.path, field)


def upload_of(value: object, field: Sequence[str]) -> UploadedFile:
    """The uploaded file an input holds, or FILE_MISSING (a JSON value where a multipart
    part was expected)."""
    if not isinstance(value, UploadedFile):
        raise _refuse(
            ErrorCode.FILE_MISSING,
            "Send the file as a part of a multipart request (GraphQL multipart request spec)",
            field,
        )
    return value


@dataclass(frozen=True)
class Stored:
    """An upload checked and its objects stored: what its File row records."""

    purpose: FilePurpose
    name: str
    content_type: ContentType
    storage_key: str
    sha256: str
    size: int
    thumbnail_key: str | None
    thumbnail_size: int | None


async def store(
    storage: Storage,
    upload: object,
    purpose: FilePurpose,
    *,
    max_upload_bytes: int,
    field: Sequence[str],
    key: str | None = None,
) -> Stored:
    """Check one upload and store its objects; raises UserErrors (nothing stored) when
    refused. It takes seconds for a photo and needs no database: call it outside any
    transaction, so that no pooled connection waits on it.

    `key`: a key the record chose (a COA's coa/{lot}/{lot}-coa-v{N}.pdf, BR-45) instead of
    the content hash's. When the backend already has that key (its put refuses to replace
    it) holding other bytes, the upload is refused with CONFLICT: never overwritten."""
    part = upload_of(upload, field)
    name = check_name(part.filename, tuple(field))
    received = await _read_limited(part, limit_of(purpose, max_upload_bytes), field)
    try:
        inspected = await asyncio.to_thread(_inspect, received, purpose, name, field)
        if inspected.rewritten is not None:
            stored: Path | bytes = inspected.rewritten
            sha256 = hashlib.sha256(inspected.rewritten).hexdigest()
            size = len(inspected.rewritten)
        else:
            stored, sha256, size = received.path, received.sha256, received.size
        chosen = key is not None
        key = key or storage_key(purpose, sha256, inspected.content_type)
        if not await storage.put(key, stored) and chosen and await _hash_of(storage, key) != sha256:
            raise _refuse(
                ErrorCode.CONFLICT,
                f"Other bytes are stored under {key}; a file is never overwritten",
                field,
            )
        thumb_key = None
        if inspected.thumbnail is not None:
            thumb_key = thumbnail_key(purpose, sha256)
            await storage.put(thumb_key, inspected.thumbnail)
    finally:
        await asyncio.to_thread(received.path.unlink, missing_ok=True)
    thumb_size = len(inspected.thumbnail) if inspected.thumbnail is not None else None
    return Stored(purpose, name, inspected.content_type, key, sha256, size, thumb_key, thumb_size)


async def _hash_of(storage: Storage, key: str) -> str:
    """The SHA-256 of what `key` holds (the same bytes stored again are no overwrite)."""
    digest = hashlib.sha256()
    async for chunk in storage.read(key):
        digest.update(chunk)
    return digest.hexdigest()


async def store_generated(
    storage: Storage, data: bytes, purpose: FilePurpose, content_type: ContentType, name: str
) -> Stored:
    """Store bytes the server made (a report export) under the same rules as an upload's:
    a key from purpose and hash, never overwritten; `record` then gives it its File row."""
    if content_type not in PURPOSES[purpose].types:
        raise ValueError(f"{purpose} does not hold {content_type}")
    sha256 = hashlib.sha256(data).hexdigest()
    key = storage_key(purpose, sha256, content_type)
    await storage.put(key, data)
    return Stored(purpose, name, content_type, key, sha256, len(data), None, None)


async def record(
    session: AsyncSession, actor: Actor, stored: Stored, *, attached: bool = False
) -> StoredFile:
    """The File row of a stored upload. `attached`: a record takes it in the same
    transaction (else `files prune` removes it after OPSGRAPH_FILES_ORPHAN_HOURS unless
    attached by then)."""
    return await writes.create(
        session,
        actor,
        StoredFile(
            purpose=stored.purpose,
            retention=PURPOSES[stored.purpose].retention,
            storage_key=stored.storage_key,
            sha256=stored.sha256,
            size=stored.size,
            content_type=stored.content_type,
            original_name=stored.name,
            uploaded_by=actor.id,
            thumbnail_key=stored.thumbnail_key,
            thumbnail_size=stored.thumbnail_size,
            attached_at=datetime.now(UTC) if attached else None,
        ),
    )


async def attach_upload(
    ctx: RequestContext,
    upload: object,
    purpose: FilePurpose,
    *,
    check: Callable[[AsyncSession], Awaitable[object]],
    attach: Callable[[AsyncSession, Stored], Awaitable[T]],
    storage: Storage,
    max_upload_bytes: int,
    field: Sequence[str] = ("input", "file"),
    key: Callable[[object], str | None] = lambda _checked: None,
) -> Outcome[T]:
    """Check, store and attach an upload without holding a database connection while its
    bytes are read, decoded and stored (seconds; a few dozen phones uploading at once would
    hold the whole pool): `check` (the record it is for, the other inputs) runs in a short
    transaction first, so a refused upload stores nothing; then the upload is stored outside
    any (under `key(what check returned)` when the record names its key); then `attach`
    records it in a short transaction, checking again (the record may have changed
    meanwhile). Refused from there on, the objects just stored have no File
    row: `files prune` removes them once OPSGRAPH_FILES_ORPHAN_HOURS old."""
    checked = await run_mutation(ctx, check)
    if checked.problems:
        return Outcome(None, checked.problems)
    # What this request read before (an earlier mutation's payload) holds the read connection.
    await ctx.release()
    try:
        stored = await store(
            storage,
            upload,
            purpose,
            max_upload_bytes=max_upload_bytes,
            field=field,
            key=key(checked.value),
        )
    except UserErrors as exc:
        return Outcome(None, exc.problems)
    return await run_mutation(ctx, lambda session: attach(session, stored))
