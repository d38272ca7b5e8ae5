"""Per-request DataLoaders, built from a few generic shapes so every relation is batched.

`Loaders` is created once per request (never shared, so no cache outlives a request). Each
accessor returns the loader for one (table, column, arguments) combination, created on
first use: by primary key, by a unique column, children by foreign key, and one page of a
nested connection per parent.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Row, select
from strawberry.dataloader import DataLoader

from db.reader import Reader
from resolvers import pagination
from resolvers.pagination import EMPTY_PAGE, Page, PageRequest, SortKey


def visible(table: FromClause) -> list[ColumnElement[bool]]:
    """Soft-deleted rows are invisible to every read (SPEC BR-46)."""
    return [table.c.deleted_at.is_(None)] if "deleted_at" in table.c else []


class Loaders:
    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def clear(self) -> None:
        """Forget every cached row: called after a mutation commits."""
        for loader in self._loaders.values():
            loader.clear_all()

    def _get(self, key: Hashable, load: Any) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=load)
        return loader

    def prime(self, table: FromClause, rows: Sequence[Row[Any]]) -> None:
        """Rows fetched by a list are cached by id too: a later `node`/relation lookup of
        the same row costs no statement."""
        loader = self.by_id(table)
        for row in rows:
            loader.prime(row.id, row)

    def by_id(self, table: FromClause) -> DataLoader[uuid.UUID, Row[Any] | None]:
        return self.by_column(table, "id")

    def by_column(self, table: FromClause, column: str) -> DataLoader[Any, Row[Any] | None]:
        """Rows by a unique column (id, code, sku); None where there is no such row."""
        loader_key = ("by_column", table, column)
        existing = self._loaders.get(loader_key)
        if existing is not None:  # the common case: every relation field of every row
            return existing

        async def load(keys: Sequence[Any]) -> list[Row[Any] | None]:
            stmt = select(table).where(table.c[column].in_(keys), *visible(table))
            found = {row._mapping[column]: row for row in await self._reader.fetch(stmt)}
            return [found.get(key) for key in keys]

        return self._get(loader_key, load)

    def children(
        self, table: FromClause, column: str, order: Sequence[SortKey] = ()
    ) -> DataLoader[uuid.UUID, list[Row[Any]]]:
        """All rows whose `column` equals each key: for short, bounded lists."""
        order_key = tuple(order)

        async def load(keys: Sequence[uuid.UUID]) -> list[list[Row[Any]]]:
            stmt = (
                select(table)
                .where(table.c[column].in_(keys), *visible(table))
                .order_by(
                    *(
                        table.c[k.column].desc() if k.descending else table.c[k.column]
                        for k in order_key
                    ),
                    table.c.id,
                )
            )
            grouped: dict[uuid.UUID, list[Row[Any]]] = {key: [] for key in keys}
            rows = await self._reader.fetch(stmt)
            self.prime(table, rows)
            for row in rows:
                grouped[row._mapping[column]].append(row)
            return [grouped[key] for key in keys]

        return self._get(("children", table, column, order_key), load)

    def pages(
        self,
        table: FromClause,
        parent_column: str,
        request: PageRequest,
        conditions: Sequence[ColumnElement[bool]],
        filter_key: Hashable,
    ) -> DataLoader[uuid.UUID, Page]:
        """One page of a nested connection per parent, all parents in one statement.

        `filter_key` identifies `conditions` by value, so the same field asked under many
        parents shares one loader (and one statement).
        """
        where = [*conditions, *visible(table)]

        async def load(parents: Sequence[uuid.UUID]) -> list[Page]:
            stmt = pagination.partitioned_page_statement(
                table, request, where, parent_column, parents
            )
            rows = await self._reader.fetch(stmt)
            self.prime(table, rows)
            pages = pagination.pages_by_parent(rows, request, parent_column)
            return [pages.get(parent, EMPTY_PAGE) for parent in parents]

        return self._get(("pages", table, parent_column, request, filter_key), load)

    def counts(
        self,
        table: FromClause,
        parent_column: str,
        conditions: Sequence[ColumnElement[bool]],
        filter_key: Hashable,
    ) -> DataLoader[uuid.UUID, int]:
        where = [*conditions, *visible(table)]

        async def load(parents: Sequence[uuid.UUID]) -> list[int]:
            stmt = pagination.partitioned_count_statement(table, where, parent_column, parents)
            rows = await self._reader.fetch(stmt)
            found = {row._mapping[parent_column]: row._mapping["n"] for row in rows}
            return [found.get(parent, 0) for parent in parents]

        return self._get(("counts", table, parent_column, filter_key), load)
