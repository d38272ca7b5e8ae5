"""Per-request DataLoaders, built from a few generic shapes so every relation is batched.

`Loaders` is created once per request (never shared, so no cache outlives a request). Each
accessor returns the loader for one (table, column, arguments) combination, created on
first use: by primary key, by a unique column, children by foreign key, and one page of a
nested connection per parent.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Hashable, Sequence
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, FromClause, Row, Select, select
from strawberry.dataloader import DataLoader

from db.keys import KEYS, one_of
from db.reader import Reader
from resolvers import pagination
from resolvers.pagination import EMPTY_PAGE, Page, PageRequest, SortKey

K = TypeVar("K")
V = TypeVar("V")


async def load_all(loader: DataLoader[K, V], keys: Sequence[K]) -> list[V]:
    """What `loader.load_many(keys)` gives, without its gather: that costs a callback per
    key (a board loads ~600), this a wait per batch. Keys the loader has cached cost no
    wait at all; the others join its pending batch and are dispatched with it as usual."""
    futures = cast(list["asyncio.Future[V]"], [loader.load(key) for key in keys])
    for future in futures:
        if not future.done():
            await future
    return [future.result() for future in futures]


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

    def close(self) -> None:
        """Drop every loader and its rows when the request ends. Each loader's batch function
        refers back to this object, so without this a request's rows (thousands of objects
        for a board) live on in reference cycles that only the garbage collector frees, and
        its collections walked them: 4-5 ms of CPU per ops board."""
        self.clear()
        self._loaders.clear()

    def _get(self, key: Hashable, load: Any) -> DataLoader[Any, Any]:
        """The request's loader for `key`, made with `load` on first use (every loader
        builds its statement inside `load`, so a later call costs a dict lookup)."""
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=load)
        return loader

    def prime(self, table: FromClause, rows: Sequence[Row[Any]]) -> None:
        """Rows fetched by a list are cached by id too: a later `node`/relation lookup of
        the same row costs no statement."""
        self.by_id(table).prime_many({row.id: row for row in rows})

    def by_id(self, table: FromClause) -> DataLoader[uuid.UUID, Row[Any] | None]:
        return self.by_column(table, "id")

    def by_column(self, table: FromClause, column: str) -> DataLoader[Any, Row[Any] | None]:
        """Rows by a unique column (id, code, sku); None where there is no such row."""

        async def load(keys: Sequence[Any]) -> list[Row[Any] | None]:
            statement = _by_column(table, column, self._reader.dialect)
            rows = await self._reader.fetch(statement, {KEYS: list(keys)})
            found = {row._mapping[column]: row for row in rows}
            return [found.get(key) for key in keys]

        return self._get(("by_column", table, column), load)

    def children(
        self, table: FromClause, column: str, order: Sequence[SortKey] = ()
    ) -> DataLoader[uuid.UUID, list[Row[Any]]]:
        """All rows whose `column` equals each key: for short, bounded lists."""
        order_key = tuple(order)

        async def load(keys: Sequence[uuid.UUID]) -> list[list[Row[Any]]]:
            statement = _children(table, column, order_key, self._reader.dialect)
            grouped: dict[uuid.UUID, list[Row[Any]]] = {key: [] for key in keys}
            rows = await self._reader.fetch(statement, {KEYS: list(keys)})
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

        async def load(parents: Sequence[uuid.UUID]) -> list[Page]:
            where = [*conditions, *visible(table)]
            of_parents = one_of(table.c[parent_column], self._reader.dialect)
            stmt = pagination.partitioned_page_statement(
                table, request, where, parent_column, of_parents
            )
            rows = await self._reader.fetch(stmt, {KEYS: list(parents)})
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
        async def load(parents: Sequence[uuid.UUID]) -> list[int]:
            where = [*conditions, *visible(table)]
            of_parents = one_of(table.c[parent_column], self._reader.dialect)
            stmt = pagination.partitioned_count_statement(table, where, parent_column, of_parents)
            rows = await self._reader.fetch(stmt, {KEYS: list(parents)})
            found = {row._mapping[parent_column]: row._mapping["n"] for row in rows}
            return [found.get(parent, 0) for parent in parents]

        return self._get(("counts", table, parent_column, filter_key), load)


# Statements by (table, column, ...): built once, run with each batch's keys as a parameter.


@cache
def _by_column(table: FromClause, column: str, dialect: str) -> Select[Any]:
    return select(table).where(one_of(table.c[column], dialect), *visible(table))


@cache
def _children(
    table: FromClause, column: str, order: tuple[SortKey, ...], dialect: str
) -> Select[Any]:
    keys = [table.c[k.column].desc() if k.descending else table.c[k.column] for k in order]
    return (
        select(table)
        .where(one_of(table.c[column], dialect), *visible(table))
        .order_by(*keys, table.c.id)
    )
