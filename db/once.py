"""A row inserted at most once, by key, under concurrency.

`INSERT … ON CONFLICT DO NOTHING RETURNING key`: of concurrent inserters of one key, the
first wins and gets its key back; the others (on PostgreSQL they wait on the winner's
uncommitted row, then see it) get no row and know they came second. Stripe webhook events
are recorded this way, so a redelivery, even a simultaneous one, is applied once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_once(dialect: str, table: Table, values: Mapping[str, Any], key: str = "id") -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[table.c[key]])
        .returning(table.c[key])
    )
