"""GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec),
the form Apollo's and urql's upload clients and `gql` send files in: an `operations` part
(the JSON request, each file a null), a `map` part naming, for each file part, where in
`variables` it goes, then the file parts. The body arrives counted and limited
(auth/upload_limit.py); here it is parsed and each file put where the map says.

Refusals are 400 with their own `extensions.code`: UPLOAD_MALFORMED (operations or map not
the JSON the spec describes, a map path outside `variables`, a body that does not parse as
multipart or ended early), UPLOAD_PART_MISSING (the map names a part the body does not
hold, or one that is no file).

Multipart is a "simple" content type a browser may send cross-site without a preflight;
that is harmless here because every request is authenticated by an `Authorization` header,
never a cookie, and a cross-site page cannot set that header without a preflight.
"""

from __future__ import annotations

from typing import Any

from cross_web import AsyncHTTPRequestAdapter
from python_multipart.exceptions import FormParserError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect

from schema import json_codec
from schema.persisted.refusals import RefusedRequest

UPLOAD_MALFORMED = "UPLOAD_MALFORMED"
UPLOAD_PART_MISSING = "UPLOAD_PART_MISSING"


def _malformed(message: str) -> RefusedRequest:
    return RefusedRequest(400, message, code=UPLOAD_MALFORMED)


def _json(form: Any, name: str, max_bytes: int) -> object:
    value = form.get(name)
    if not isinstance(value, str):
        raise _malformed(f"The multipart request has no `{name}` field")
    if len(value.encode("utf-8", "surrogatepass")) > max_bytes:
        # The operation is held to the JSON body's limit (OPSGRAPH_MAX_QUERY_BYTES).
        raise RefusedRequest(
            413,
            f"The `{name}` field is larger than the {max_bytes} bytes allowed.",
            code="QUERY_TOO_COMPLEX",
        )
    try:
        return json_codec.loads(value)
    except ValueError:
        raise _malformed(f"The `{name}` field is not JSON") from None


async def operations_with_files(
    request: AsyncHTTPRequestAdapter, max_bytes: int
) -> dict[str, object]:
    """The request's `operations`, each file placed where `map` says. `operations` and
    `map` may each be at most `max_bytes` (OPSGRAPH_MAX_QUERY_BYTES, as a JSON body)."""
    try:
        form = (await request.get_form_data()).form
    except (MultiPartException, FormParserError, StarletteHTTPException, ValueError) as exc:
        raise _malformed(f"The multipart body does not parse: {exc}") from None
    except ClientDisconnect:
        raise _malformed("The multipart body ended before it was complete") from None
    operations = _json(form, "operations", max_bytes)
    if isinstance(operations, list):
        raise RefusedRequest(400, "Batching is not enabled", code=UPLOAD_MALFORMED)
    if not isinstance(operations, dict):
        raise _malformed("`operations` must be a JSON object")
    files_map = _json(form, "map", max_bytes)
    if not isinstance(files_map, dict):
        raise _malformed("`map` must be a JSON object")
    for part, paths in files_map.items():
        upload = form.get(part)
        if not isinstance(upload, UploadFile):
            raise RefusedRequest(
                400,
                f"`map` names the file part {part!r}, which the body does not hold",
                code=UPLOAD_PART_MISSING,
            )
        if not isinstance(paths, list) or not paths:
            raise _malformed(f"`map` must give a list of paths for {part!r}")
        for path in paths:
            _place(operations, path, upload)
    return operations


def _place(operations: dict[str, Any], path: object, upload: UploadFile) -> None:
    """Put `upload` at `path` ("variables.input.file"; list indexes as numbers), where
    `operations` holds a null for it."""
    if not isinstance(path, str) or not path.startswith("variables."):
        raise _malformed(f"A `map` path must start with `variables.`, got {path!r}")
    *parents, last = path.split(".")
    target: Any = operations
    for key in parents:
        target = _slot(target, key, path)
        if not isinstance(target, (dict, list)):
            raise _malformed(f"The `map` path {path!r} is not in `operations`")
    _slot(target, last, path)
    if isinstance(target, list):
        target[int(last)] = upload
    else:
        target[last] = upload


def _slot(holder: dict[str, Any] | list[Any], key: str, path: str) -> Any:
    if isinstance(holder, list) and key.isascii() and key.isdigit() and int(key) < len(holder):
        return holder[int(key)]
    if isinstance(holder, dict) and key in holder:
        return holder[key]
    raise _malformed(f"The `map` path {path!r} is not in `operations`")
