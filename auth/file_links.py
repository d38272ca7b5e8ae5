"""Signed, expiring download links (README "Files").

A file's `url` in the graph is `/files/<id>[/thumbnail]?expires=<unix time>&signature=<hex>`,
the signature an HMAC-SHA256, under OPSGRAPH_FILES_SIGNING_KEY, of the file, the variant and
the expiry. The graph issues it only to a viewer who may read the record the file belongs to;
whoever holds it may download until it expires, without headers, so `<img src>` works. The
download route checks the signature in constant time and the expiry; anything else is 403.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from enum import StrEnum
from urllib.parse import urlencode

PREFIX = "/files"


class Variant(StrEnum):
    ORIGINAL = "original"
    THUMBNAIL = "thumbnail"


def _signature(key: str, file_id: uuid.UUID, variant: Variant, expires: int) -> str:
    if not key:
        raise ValueError("no signing key: set OPSGRAPH_FILES_SIGNING_KEY")
    message = f"{file_id}:{variant.value}:{expires}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def path_of(file_id: uuid.UUID, variant: Variant) -> str:
    return f"{PREFIX}/{file_id}" + ("/thumbnail" if variant is Variant.THUMBNAIL else "")


def public_path(file_id: uuid.UUID) -> str:
    """A public file's stable address (no signature, cached for long)."""
    return f"{PREFIX}/public/{file_id}"


def signed_path(
    key: str, file_id: uuid.UUID, variant: Variant, ttl_seconds: int, now: float | None = None
) -> str:
    expires = int(now if now is not None else time.time()) + ttl_seconds
    query = urlencode({"expires": expires, "signature": _signature(key, file_id, variant, expires)})
    return f"{path_of(file_id, variant)}?{query}"


def valid(
    key: str,
    file_id: uuid.UUID,
    variant: Variant,
    expires: str | None,
    signature: str | None,
    now: float | None = None,
) -> bool:
    """Whether a link's expiry and signature hold (and it has not expired)."""
    if not expires or not signature or not _decimal(expires) or len(expires) > 12:
        return False
    if not signature.isascii():  # compare_digest takes ASCII text only
        return False
    expected = _signature(key, file_id, variant, int(expires))
    if not hmac.compare_digest(expected, signature.lower()):
        return False
    return int(expires) >= int(now if now is not None else time.time())


def _decimal(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes "²" and other digits int() refuses."""
    return text.isascii() and text.isdigit()
