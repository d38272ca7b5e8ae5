"""Secrets for development only: generated once and kept in a local, git-ignored file.

In production every secret comes from the environment and start-up stops without it; in
development the server and the `token` command read the same generated values, so a
newcomer needs no configuration and nothing guessable is ever accepted.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

_GENERATORS = {
    "jwt_secret": lambda: secrets.token_urlsafe(48),
    "encryption_key": lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "files_signing_key": lambda: secrets.token_urlsafe(48),
}


class DevSecrets:
    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, name: str) -> str:
        values = self._read()
        if name not in values:
            values[name] = _GENERATORS[name]()
            self._write(values)
        return values[name]

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {str(k): str(v) for k, v in data.items()}

    def _write(self, values: dict[str, str]) -> None:
        # Owner-only permissions: the file holds a signing secret.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(values, handle, indent=2)
