"""Encrypted columns: Fernet ciphertext in the database, clear text in Python.

`EncryptedString` is a column type whose values are encrypted on the way in and decrypted on
the way out, by SQLAlchemy's bind and result processors, so the ORM, Core selects of the table
(the DataLoaders) and subqueries over it all see clear text while the column holds only a
Fernet token (AES-128-CBC + HMAC-SHA256, with a random IV: equal values encrypt differently,
so an encrypted column can be neither searched nor compared in SQL).

Where the keys come from
------------------------
Never from this module: `Settings.encryption_keys` (OPSGRAPH_ENCRYPTION_KEYS) holds them and
`Database` binds a `Keyring` built from them to its engine (`bind_keyring`). SQLAlchemy hands
every processor the engine's dialect, one object per engine, and the type finds the keyring
through it; so several apps in one process, each with its own keys, never mix them up. An
engine without a keyring cannot read or write an encrypted value (`KeysUnavailable`), and a
token no configured key opens raises `Undecryptable`: both are server faults (clients get
INTERNAL_SERVER_ERROR); ciphertext is never handed out as if it were the value.

Rotating keys
-------------
The keys are newest first. Values are always encrypted with the first key; decryption tries
each key in turn (`cryptography.fernet.MultiFernet`). To rotate:

1. Generate a key (`python -c "from cryptography.fernet import Fernet;
   print(Fernet.generate_key().decode())"`) and *prepend* it:
   `OPSGRAPH_ENCRYPTION_KEYS=<new>,<old>`. Deploy. Existing rows stay readable with the old
   key; every value written from now on uses the new one.
2. Re-encrypt old rows by re-saving them: write each encrypted value again (for the ORM,
   `sqlalchemy.orm.attributes.flag_modified(row, "bank_account")`, since assigning an equal
   value is not a change), or call `Keyring.rotate` on the raw tokens.
3. Once no row holds a token of the old key, drop it from the list. A row still encrypted
   with a removed key can no longer be read: reading it fails loudly (see above).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import TypeDecorator


class EncryptionError(RuntimeError):
    """An encrypted value could not be written or read. Messages never hold the value."""


class KeysUnavailable(EncryptionError):
    def __init__(self) -> None:
        super().__init__(
            "this database engine has no encryption keys (Database(..., encryption_keys=...) "
            "from OPSGRAPH_ENCRYPTION_KEYS): encrypted columns can be neither read nor written"
        )


class Undecryptable(EncryptionError):
    def __init__(self) -> None:
        super().__init__(
            "an encrypted value opens with none of the configured keys "
            "(was a key removed from OPSGRAPH_ENCRYPTION_KEYS before its rows were re-encrypted?)"
        )


class Keyring:
    """The configured Fernet keys, newest first: encrypts with the first, decrypts with any."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("a keyring needs at least one key")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, clear: str) -> str:
        return self._fernet.encrypt(clear.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise Undecryptable() from None

    def rotate(self, token: str) -> str:
        """The same value, encrypted with the newest key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError):
            raise Undecryptable() from None


# Keyed by dialect object: each engine has its own, and it dies with the engine.
_keyrings: weakref.WeakKeyDictionary[Dialect, Keyring] = weakref.WeakKeyDictionary()


def bind_keyring(engine: AsyncEngine, keys: Sequence[str]) -> None:
    """Let `engine` read and write encrypted columns with `keys` (newest first)."""
    _keyrings[engine.sync_engine.dialect] = Keyring(keys)


def keyring_for(dialect: Dialect) -> Keyring:
    keyring = _keyrings.get(dialect)
    if keyring is None:
        raise KeysUnavailable()
    return keyring


class EncryptedString(TypeDecorator[str]):
    """Text encrypted at rest with the engine's keyring (see the module docstring)."""

    impl = Text
    cache_ok = True

    @property
    def python_type(self) -> type[str]:
        return str

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"an encrypted column takes text, not {type(value).__name__}")
        return keyring_for(dialect).encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keyring_for(dialect).decrypt(value)

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        # Inlining a secret into SQL text (and so into logs) is never what anyone wants.
        raise EncryptionError("encrypted values cannot be rendered as SQL literals")
