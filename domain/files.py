"""Stored files, the rules every domain's uploads follow (SPEC §7 "Validation", BR-45).

A file is uploaded for a *purpose* (a job photo, a COA, a document): the purpose says which
content types it accepts (read from the bytes, never from the name), how large it may be,
whether a thumbnail is made, and how long it is kept. Names are checked here too: a name is
kept only to show it back, and a name with a path or a control character is refused rather
than quietly changed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import ErrorCode, UserErrors

MB = 1024 * 1024
# The limit of a whole multipart request above the files themselves: the `operations` and
# `map` parts and the multipart framing.
ENVELOPE_ALLOWANCE = 256 * 1024
MAX_NAME_LENGTH = 255
# Decoding an image costs memory per pixel: 40 megapixels is a 7,300 x 5,500 photo, more
# than phones take, and ~160 MB decoded. More is refused before decoding.
MAX_IMAGE_PIXELS = 40_000_000
THUMBNAIL_SIZE = (320, 320)


class ContentType(StrEnum):
    JPEG = "image/jpeg"
    PNG = "image/png"
    WEBP = "image/webp"
    PDF = "application/pdf"
    # Made by the server (report exports), never accepted as an upload.
    CSV = "text/csv"


# The extensions a name may have for each type (lower case, with the dot).
EXTENSIONS: dict[ContentType, tuple[str, ...]] = {
    ContentType.JPEG: (".jpg", ".jpeg"),
    ContentType.PNG: (".png",),
    ContentType.WEBP: (".webp",),
    ContentType.PDF: (".pdf",),
    ContentType.CSV: (".csv",),
}
IMAGES = frozenset({ContentType.JPEG, ContentType.PNG, ContentType.WEBP})


class FilePurpose(StrEnum):
    JOB_PHOTO = "job_photo"
    QC_PHOTO = "qc_photo"
    COA = "coa"
    DOCUMENT = "document"
    # A report exported for download (finance's CSVs): removed by `files prune` once it is
    # OPSGRAPH_FILES_ORPHAN_HOURS old, since nothing attaches it.
    REPORT = "report"
    # Vial labels printed as a PDF (seed 002 §10.2): generated like a report, pruned alike.
    LABELS = "labels"


class Retention(StrEnum):
    # Removed by `files prune` when no record took it within OPSGRAPH_FILES_ORPHAN_HOURS.
    ORPHANS_PRUNED = "orphans_pruned"
    # Never removed by any command (BR-45: COAs are never deleted).
    KEPT_FOREVER = "kept_forever"


@dataclass(frozen=True)
class PurposeRules:
    types: frozenset[ContentType]
    max_bytes: int
    retention: Retention = Retention.ORPHANS_PRUNED
    thumbnail: bool = False
    # Photos lose their EXIF (GPS position, camera serial) before they are stored.
    strip_metadata: bool = False


PURPOSES: dict[FilePurpose, PurposeRules] = {
    FilePurpose.JOB_PHOTO: PurposeRules(IMAGES, 10 * MB, thumbnail=True, strip_metadata=True),
    FilePurpose.QC_PHOTO: PurposeRules(IMAGES, 10 * MB, thumbnail=True, strip_metadata=True),
    FilePurpose.COA: PurposeRules(
        frozenset({ContentType.PDF}), 10 * MB, retention=Retention.KEPT_FOREVER
    ),
    FilePurpose.DOCUMENT: PurposeRules(
        frozenset({ContentType.PDF, ContentType.JPEG, ContentType.PNG}), 10 * MB
    ),
    FilePurpose.REPORT: PurposeRules(frozenset({ContentType.CSV}), 10 * MB),
    FilePurpose.LABELS: PurposeRules(frozenset({ContentType.PDF}), 10 * MB),
}


def limit_of(purpose: FilePurpose, max_upload_bytes: int) -> int:
    """The most bytes a file of `purpose` may have: its own limit, never above the
    server's (OPSGRAPH_MAX_UPLOAD_BYTES)."""
    return min(PURPOSES[purpose].max_bytes, max_upload_bytes)


_UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")


def check_name(name: str | None, field: tuple[str, ...]) -> str:
    """The name as it will be kept (NFC), or FILE_NAME_INVALID: empty, longer than 255
    characters, `.`/`..`, or holding a path separator or a control character (including
    Unicode format characters such as right-to-left overrides)."""
    if not name or not name.strip():
        raise UserErrors.one(ErrorCode.FILE_NAME_INVALID, "The file has no name", field)
    normal = unicodedata.normalize("NFC", name)
    if len(normal) > MAX_NAME_LENGTH:
        raise UserErrors.one(
            ErrorCode.FILE_NAME_INVALID,
            f"The file name is longer than {MAX_NAME_LENGTH} characters",
            field,
        )
    if (
        _UNSAFE_NAME.search(normal)
        or normal.strip() in (".", "..")
        or any(unicodedata.category(c) in ("Cc", "Cf") for c in normal)
    ):
        raise UserErrors.one(
            ErrorCode.FILE_NAME_INVALID,
            "The file name may not hold a path separator or a control character",
            field,
        )
    return normal


def check_extension(name: str, content_type: ContentType, field: tuple[str, ...]) -> None:
    """The name's extension must be one of the sniffed type's (FILE_TYPE_MISMATCH)."""
    lowered = name.lower()
    if not lowered.endswith(EXTENSIONS[content_type]):
        allowed = ", ".join(EXTENSIONS[content_type])
        raise UserErrors.one(
            ErrorCode.FILE_TYPE_MISMATCH,
            f"The content is {content_type.value} but the name does not end in {allowed}",
            field,
        )


def storage_key(purpose: FilePurpose, sha256: str, content_type: ContentType) -> str:
    """Where an object is stored: derived from its purpose and content hash only, so the
    same bytes land on the same key and a key never holds other bytes (never overwritten).
    The uploaded name never reaches the key (SPEC §7: random names)."""
    return f"{purpose.value}/{sha256[:2]}/{sha256}{EXTENSIONS[content_type][0]}"


def thumbnail_key(purpose: FilePurpose, sha256: str) -> str:
    """The thumbnail of the object stored under `storage_key(purpose, sha256, ...)`."""
    return f"{purpose.value}/thumbnails/{sha256[:2]}/{sha256}.jpg"
