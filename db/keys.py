"""`column` is one of a batch of keys, written for the database that runs it.

The condition holds a named parameter, `KEYS`, so a loader's statement is built once and
run with each batch's keys. PostgreSQL gets `column = ANY($1)`, the keys as one array. An
IN list holds one parameter per key, so every batch size was a different statement: a miss
in asyncpg's prepared-statement cache each time the size changed, and a plan made for that
many keys, where the planner's row estimate turned 100 lookups by primary key into a scan
of the whole table (12 ms instead of 2.5 for the ops board's lines at 20k jobs). SQLite has
no arrays: it keeps the IN list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, ColumnElement, any_, bindparam

KEYS = "keys"


def one_of(column: ColumnElement[Any], dialect: str) -> ColumnElement[bool]:
    """`column` is one of the keys passed as the `KEYS` parameter (a list)."""
    if dialect == "postgresql":
        return column == any_(bindparam(KEYS, type_=ARRAY(column.type)))
    return column.in_(bindparam(KEYS, expanding=True))
