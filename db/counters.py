"""Counter rows incremented by one atomic upsert that returns the new value.

Two transactions can never draw the same number: the second waits on the first's row lock
until it commits, so numbers are handed out gap-free and in commit order. Reference numbers
(resolvers/sequences.py) and change-log cursors (db/change_log.py) both count this way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Insert, Table, literal
from sqlalchemy.dialects import postgresql, sqlite


def increment(
    dialect: str,
    table: Table,
    key: Mapping[str, Any],
    *,
    by: int = 1,
    counter: str = "value",
    defaults: Mapping[str, Any] | None = None,
) -> Insert:
    """`INSERT key (counter=by) ON CONFLICT (key) DO UPDATE SET counter = counter + by
    RETURNING counter`."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    column: Column[Any] = table.c[counter]
    index: Sequence[Column[Any]] = [table.c[name] for name in key]
    return (
        insert(table)
        .values(**key, **(defaults or {}), **{counter: by})
        .on_conflict_do_update(index_elements=index, set_={counter: column + literal(by)})
        .returning(column)
    )
