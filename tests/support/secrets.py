"""Test-only secrets; nothing outside tests accepts them."""

from __future__ import annotations

from settings import AuthSettings

TEST_AUTH = AuthSettings(jwt_secret="test-secret-" + "x" * 40)
TEST_ENCRYPTION_KEYS = ("3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",)
