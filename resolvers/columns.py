"""Statements that select only some columns of a table (schema.execution.projection
decides which)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import FromClause, Row, Select, select

# The column keys to select, sorted (part of loaders' cache keys); None: every column.
Columns = tuple[str, ...] | None


def projected(table: FromClause, columns: Columns, *also: str) -> Select[Any]:
    """`select(table)`, or only `columns` of it and `also`, the keys the statement itself
    needs (the lookup column, sort keys)."""
    if columns is None:
        return select(table)
    keys = dict.fromkeys((*columns, *also))
    return select(*(table.c[key] for key in keys))


@lru_cache(maxsize=4096)  # asked per held projection and per key in flight; few distinct pairs
def covers(held: Columns, wanted: Columns) -> bool:
    """Whether rows holding `held` columns serve a reader of `wanted` ones."""
    return held is None or (wanted is not None and set(wanted) <= set(held))


def values_of(rows: Sequence[Row[Any]], column: str) -> list[Any]:
    """Each row's value of `column` (a key): by position, in C, where the result names the
    column after its key, as every key and id column is named."""
    if not rows:
        return []
    fields = rows[0]._fields
    if column in fields:
        return list(map(itemgetter(fields.index(column)), rows))
    return [row._mapping[column] for row in rows]


def by_key(rows: Sequence[Row[Any]], column: str = "id") -> dict[Any, Row[Any]]:
    """`rows` by their value of a unique `column`."""
    return dict(zip(values_of(rows, column), rows, strict=True))
