"""The `File` node (a shared mechanism: every domain that holds files uses it): what was
stored (hash, size, sniffed type, sanitized name, purpose) and signed, expiring links to its
bytes (auth/file_links.py).

A file is read through the record it belongs to (a job photo's `file`), with that record's
permission and owner (its node type is registered with them, schema/node.py): links are
issued only to a viewer who may read the record; anyone else gets null with FORBIDDEN.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from auth import file_links
from auth.file_links import Variant
from domain.files import FilePurpose
from schema.context import request_context
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.enums import graphql_enum
from schema.node import NODE_TYPES, Node
from schema.permissions import Requires

graphql_enum(
    FilePurpose,
    "What a file was uploaded for: it decides the types and size accepted and how long the "
    "file is kept.",
    {
        FilePurpose.JOB_PHOTO: "A photo of a job (JPEG, PNG or WebP up to 10 MB; metadata "
        "stripped; thumbnail).",
        FilePurpose.QC_PHOTO: "A QC photo of a job (as job photos).",
        FilePurpose.COA: "A certificate of analysis (PDF; never deleted, BR-45).",
        FilePurpose.DOCUMENT: "A document (PDF, JPEG or PNG up to 10 MB).",
        FilePurpose.REPORT: "A report exported for download (CSV); kept for a few hours.",
        FilePurpose.LABELS: "Vial labels printed as a PDF; kept for a few hours, as reports.",
    },
)


class MayReadRecord(BasePermission):
    """The permission (and owner) of the record a file belongs to: the one its node type
    is registered with."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        binding = NODE_TYPES[type(source).__name__]
        return Requires(binding.read).has_permission(source, info, **kwargs)


def signed_url(info: Info[Any, Any], file_id: uuid.UUID, variant: Variant) -> str:
    """An absolute signed link (relative when there is no request, e.g. in a test)."""
    ctx = request_context(info)
    files = ctx.settings.files
    path = file_links.signed_path(files.signing_key, file_id, variant, files.url_ttl_seconds)
    if ctx.request is None:
        return path
    return str(ctx.request.base_url).rstrip("/") + path


_RECORD: list[FieldExtension] = [PermissionExtension([MayReadRecord()], use_directives=False)]


@strawberry.type(description="A stored file: its bytes never change once stored.")
class File(Node):
    pk: strawberry.Private[uuid.UUID]
    sha256: str = strawberry.field(description="SHA-256 of the stored bytes (hex).")
    size: int = strawberry.field(description="Size of the stored bytes.")
    content_type: str = strawberry.field(
        description="Media type, read from the bytes (never from the name)."
    )
    original_name: str = strawberry.field(description="The name it was uploaded with.")
    purpose: FilePurpose = strawberry.field(description="What it was uploaded for.")
    uploaded_by: str | None = strawberry.field(description="Who uploaded it (token subject).")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    thumbnail_key: strawberry.Private[str | None]
    manufacturer_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(
        description="A signed link to the bytes, valid for OPSGRAPH_FILES_URL_TTL seconds "
        "(no header needed: usable as an `<img src>`). Null with FORBIDDEN for viewers who "
        "may not read the record the file belongs to.",
        extensions=_RECORD,
    )
    def url(self, info: Info[Any, Any]) -> str | None:
        return signed_url(info, self.pk, Variant.ORIGINAL)

    @strawberry.field(
        description="A signed link to a small JPEG version (photos), as `url`.",
        extensions=_RECORD,
    )
    def thumbnail_url(self, info: Info[Any, Any]) -> str | None:
        if self.thumbnail_key is None:
            return None
        return signed_url(info, self.pk, Variant.THUMBNAIL)
