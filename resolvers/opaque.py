"""Opaque tokens (global IDs, page cursors, change cursors): unpadded base64url of a text.

Clients must not read them; the server decodes them back to the text it wrote.
"""

from __future__ import annotations

import base64
import binascii


class InvalidToken(ValueError):
    pass


def to_token(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def from_token(token: str) -> str:
    """The text inside a token; InvalidToken when it is not one."""
    try:
        return base64.urlsafe_b64decode((token + "=" * (-len(token) % 4)).encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidToken(token) from exc
