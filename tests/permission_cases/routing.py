"""Routing rows of the permission matrix (SPEC §4)."""

from __future__ import annotations

from tests.permission_matrix import Case

CASES: list[Case] = []
