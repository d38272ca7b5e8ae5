"""Statements that select only some columns of a table (schema.projection decides which)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import FromClause, Select, select

# The column keys to select, sorted (part of loaders' cache keys); None: every column.
Columns = tuple[str, ...] | None


def projected(table: FromClause, columns: Columns, *also: str) -> Select[Any]:
    """`select(table)`, or only `columns` of it and `also`, the keys the statement itself
    needs (the lookup column, sort keys)."""
    if columns is None:
        return select(table)
    keys = dict.fromkeys((*columns, *also))
    return select(*(table.c[key] for key in keys))
