"""The `File` node (a shared mechanism: every domain that holds files uses it): what was
stored (hash, size, sniffed type, sanitized name, purpose) and signed, expiring links to its
bytes (auth/file_links.py), or its stable public link once public (a verified COA).

A file is read through the record that exposes it (a job photo's `file`, a COA's `file`),
and that record decides who may have its links: each holder declares its files' source
with `held_files` (the files rows with the holder's node type and owner) and its field with
`file_of`. Links are issued only to a viewer who may read the holder (its node type's read
permission and owner); anyone else gets null with FORBIDDEN. `node(id:)` on a File answers
for the files of the holder File is registered with (job photos, schema/jobs/graph.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import FromClause
from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from auth import file_links
from auth.access import deny_not_owned, owns, require
from auth.file_links import Variant
from auth.permissions import Scope, grant
from domain.files import FilePurpose
from resolvers.columns import Columns
from schema.context import request_context
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.enums import graphql_enum
from schema.execution.relations import ToOne, relation_field
from schema.node import NODE_TYPES, Node, build_nodes

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
    """The read rule of the record that exposes the file (`holder`): its node type's
    permission, and its owner for grants limited to one's own records."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        binding = NODE_TYPES[source.holder]
        actor = request_context(info).actor
        scope = grant(actor.role, binding.read)
        if scope is Scope.ALL or (
            scope is Scope.OWN
            and binding.owner is not None
            and owns(actor, binding.read, binding.owner, source.owner_id)
        ):
            return True
        # Denied: the error a field of the holder itself would raise.
        path = info.path.as_list()
        require(actor, binding.read, path)
        raise deny_not_owned(actor, binding.read, path)


@dataclass(frozen=True)
class HeldFile(ToOne):
    """A holder's file, read from the holder's `held_files` source: the holder was shown
    already, so the file is too; its links follow the holder's rule (MayReadRecord)."""

    source: Any = None

    async def load(
        self,
        info: Info[Any, Any],
        keys: Any,
        columns: Columns = None,
        *,
        rows: bool = False,
    ) -> list[Any]:
        wanted = [key for key in dict.fromkeys(keys) if key is not None]
        if not wanted:
            return [None] * len(keys)
        if columns is not None:
            columns = tuple(sorted({*columns, "holder", "owner_id"}))
        found = await request_context(info).loaders.rows_by_id(self.source, wanted, columns)
        by_id: dict[Any, Any] = {
            key: row for key, row in zip(wanted, found, strict=True) if row is not None
        }
        if not rows:
            nodes: list[Any] = build_nodes(File, list(by_id.values()))
            by_id = dict(zip(by_id, nodes, strict=True))
        return [by_id.get(key) if key is not None else None for key in keys]


def file_of(source: FromClause, key: str, *, description: str) -> Any:
    """The `file` field of a holder: the File its `key` names, from its `held_files`."""
    return relation_field(HeldFile(File, key, False, source), File | None, description)


def signed_url(info: Info[Any, Any], file_id: uuid.UUID, variant: Variant) -> str:
    """An absolute signed link (relative when there is no request, e.g. in a test)."""
    ctx = request_context(info)
    files = ctx.settings.files
    path = file_links.signed_path(files.signing_key, file_id, variant, files.url_ttl_seconds)
    if ctx.request is None:
        return path
    return str(ctx.request.base_url).rstrip("/") + path


def public_url(info: Info[Any, Any], file_id: uuid.UUID) -> str:
    """The stable link of a public file (absolute when there is a request)."""
    path = file_links.public_path(file_id)
    ctx = request_context(info)
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
    public: bool = strawberry.field(
        description="Readable by anyone at `publicUrl` (a verified COA), for good."
    )
    thumbnail_key: strawberry.Private[str | None]
    # The record that exposes it (its node type's name) and that record's owner: its rule.
    holder: strawberry.Private[str]
    owner_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(
        description="Its stable public link (/files/public/<id>, cached for a year) once it "
        "is public; null before. No credentials needed."
    )
    def public_url(self, info: Info[Any, Any]) -> str | None:
        return public_url(info, self.pk) if self.public else None

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
