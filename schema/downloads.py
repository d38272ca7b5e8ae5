"""The HTTP routes that serve stored files' bytes (GraphQL cannot stream binary).

- `GET /files/<id>[/thumbnail]?expires=…&signature=…`: a signed link from a file's `url` or
  `thumbnailUrl` (auth/file_links.py). A forged, altered or expired link is 403; the link
  is the credential, so no header is needed and `<img src>` works.
- `GET /files/public/<id>`: a public file (a verified COA) at a stable address, cached for a
  year (`immutable`: the bytes under an ID never change). Any other file there is 404.

Both answer `ETag` = the SHA-256 of the bytes (304 to a matching `If-None-Match`), accept
one `Range: bytes=…` (206; 416 when it lies outside the file) for large PDFs, and send
`X-Content-Type-Options: nosniff` with a sandboxing Content-Security-Policy, so a stored
file can never run as a page of this origin.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from auth import file_links
from auth.file_links import Variant
from db.engine import Database
from db.models import StoredFile
from db.storage import Storage, storage_for
from resolvers.files import file_by_id
from settings import Settings

PUBLIC_CACHE = "public, max-age=31536000, immutable"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _file_id(request: Request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.path_params["file_id"])
    except ValueError:
        return None


def download_routes(settings: Settings, database: Database) -> list[Route]:
    storage = storage_for(settings.files)
    key = settings.files.signing_key

    async def signed(request: Request, variant: Variant) -> Response:
        file_id = _file_id(request)
        params = request.query_params
        if file_id is None or not file_links.valid(
            key, file_id, variant, params.get("expires"), params.get("signature")
        ):
            return _error(403, "FORBIDDEN", "The link is not valid or has expired.")
        stored = await file_by_id(database, file_id)
        if stored is None or (variant is Variant.THUMBNAIL and not stored.thumbnail_key):
            return _error(404, "NOT_FOUND", "No such file.")
        remaining = max(int(params["expires"]) - int(time.time()), 0)
        return await _serve(request, storage, stored, variant, f"private, max-age={remaining}")

    async def original(request: Request) -> Response:
        return await signed(request, Variant.ORIGINAL)

    async def thumbnail(request: Request) -> Response:
        return await signed(request, Variant.THUMBNAIL)

    async def public(request: Request) -> Response:
        file_id = _file_id(request)
        stored = await file_by_id(database, file_id) if file_id is not None else None
        if stored is None or not stored.public:
            return _error(404, "NOT_FOUND", "No such public file.")
        return await _serve(request, storage, stored, Variant.ORIGINAL, PUBLIC_CACHE)

    return [
        Route(f"{file_links.PREFIX}/public/{{file_id}}", public, methods=["GET", "HEAD"]),
        Route(f"{file_links.PREFIX}/{{file_id}}", original, methods=["GET", "HEAD"]),
        Route(f"{file_links.PREFIX}/{{file_id}}/thumbnail", thumbnail, methods=["GET", "HEAD"]),
    ]


async def _serve(
    request: Request, storage: Storage, stored: StoredFile, variant: Variant, cache: str
) -> Response:
    if variant is Variant.THUMBNAIL:
        assert stored.thumbnail_key is not None and stored.thumbnail_size is not None
        object_key, size, media_type = stored.thumbnail_key, stored.thumbnail_size, "image/jpeg"
        etag = f'"{stored.sha256}-thumbnail"'
    else:
        object_key, size, media_type = stored.storage_key, stored.size, stored.content_type.value
        etag = f'"{stored.sha256}"'
    headers = {
        "ETag": etag,
        "Cache-Control": cache,
        "Accept-Ranges": "bytes",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(stored.original_name)}",
    }
    if etag in _etags(request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    start, end = 0, size - 1
    status = 200
    wanted = request.headers.get("range")
    if (
        wanted is not None
        and (match := _RANGE.fullmatch(wanted.strip())) is not None
        and (match.group(1) or match.group(2))
    ):
        first, last = match.group(1), match.group(2)
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        if start > end or start >= size:
            return Response(
                status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"}
            )
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1)
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers, media_type=media_type)
    body: AsyncIterator[bytes] = storage.read(object_key, start, end)
    return StreamingResponse(body, status_code=status, headers=headers, media_type=media_type)


def _etags(value: str | None) -> set[str]:
    if not value:
        return set()
    return {tag.strip().removeprefix("W/") for tag in value.split(",")}
