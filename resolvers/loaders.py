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
from functools import lru_cache
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, FromClause, Row, Select
from strawberry.dataloader import AbstractCache, DataLoader

from db.keys import KEYS, one_of
from db.reader import Reader
from resolvers import pagination
from resolvers.columns import Columns, by_key, projected, values_of
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


# Rows of one table that lists have read, by the columns they hold, then by id.
Primed = dict[Columns, dict[Any, Row[Any]]]


def covers(held: Columns, wanted: Columns) -> bool:
    """Whether rows holding `held` columns serve a reader of `wanted` ones."""
    return held is None or (wanted is not None and set(wanted) <= set(held))


class _ByIdCache(AbstractCache[Any, Any]):
    """A by-id loader's cache: its own futures, then any row a list of the same table has
    read with at least the columns this loader selects. A board's lists read ~500 rows and
    few are asked for again, so such a row becomes a (done) future only when asked for."""

    def __init__(self, primed: Primed, columns: Columns) -> None:
        self._futures: dict[Any, asyncio.Future[Any]] = {}
        self._primed = primed
        self._columns = columns
        self._covering: dict[Columns, bool] = {}

    def get(self, key: Any) -> asyncio.Future[Any] | None:
        future = self._futures.get(key)
        if future is None and self._primed:
            for held, rows in self._primed.items():
                row = rows.get(key)
                if row is None:
                    continue
                covering = self._covering.get(held)
                if covering is None:
                    covering = self._covering[held] = covers(held, self._columns)
                if covering:
                    future = self._futures[key] = asyncio.get_running_loop().create_future()
                    future.set_result(row)
                    break
        return future

    def set(self, key: Any, value: asyncio.Future[Any]) -> None:
        self._futures[key] = value

    def delete(self, key: Any) -> None:
        self._futures.pop(key, None)

    def clear(self) -> None:
        self._futures.clear()


class _Wanted:
    """Ids of one table asked for in one turn of the event loop, and the columns to read."""

    rows: asyncio.Future[dict[Any, Row[Any]]]  # the task reading them, by id

    def __init__(self) -> None:
        self.keys: dict[Any, None] = {}
        self.columns: Columns = ()

    def add(self, keys: Sequence[Any], columns: Columns) -> None:
        self.keys.update(dict.fromkeys(keys))
        if self.columns is not None:
            self.columns = None if columns is None else tuple(sorted({*self.columns, *columns}))


class Loaders:
    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}
        self._primed: dict[FromClause, Primed] = {}
        self._wanted: dict[FromClause, _Wanted] = {}

    def clear(self) -> None:
        """Forget every cached row: called after a mutation commits. Primed rows are
        emptied in place: the by-id caches read the same dicts."""
        for primed in self._primed.values():
            primed.clear()
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

    def prime(self, table: FromClause, rows: Sequence[Row[Any]], columns: Columns = None) -> None:
        """Rows fetched by a list serve later lookups by id too: a `node`/relation lookup
        of the same row, reading no more columns than the list did, costs no statement."""
        primed = self._primed.setdefault(table, {}).setdefault(columns, {})
        primed.update(by_key(rows))

    def by_id(
        self, table: FromClause, columns: Columns = None
    ) -> DataLoader[uuid.UUID, Row[Any] | None]:
        """Rows by primary key; None where there is no such row. With `columns`, rows hold
        at least those: each projection is its own loader, and their batches share one
        statement (`_rows_by_id`)."""
        key = ("by_id", table, columns)
        loader = self._loaders.get(key)
        if loader is None:

            async def load(keys: Sequence[uuid.UUID]) -> list[Row[Any] | None]:
                found = await self._rows_by_id(table, keys, columns)
                return [found.get(key) for key in keys]

            cache = _ByIdCache(self._primed.setdefault(table, {}), columns)
            loader = self._loaders[key] = DataLoader(load_fn=load, cache_map=cache)
        return loader

    async def _rows_by_id(
        self, table: FromClause, keys: Sequence[uuid.UUID], columns: Columns
    ) -> dict[uuid.UUID, Row[Any]]:
        """Rows of `table` by id, read together with those every other projection of the
        table asks for in the same turn of the event loop: one statement selecting the
        union of their columns. (A catalog query reads manufacturers for their name in one
        field and whole in another; before projections that was one loader and one
        statement, and it stays one statement.)"""
        wanted = self._wanted.get(table)
        if wanted is None:
            wanted = self._wanted[table] = _Wanted()
            # Its first step runs next turn, after every batch dispatched in this one.
            wanted.rows = asyncio.ensure_future(self._read_wanted(table))
        wanted.add(keys, columns)
        return await asyncio.shield(wanted.rows)

    async def _read_wanted(self, table: FromClause) -> dict[Any, Row[Any]]:
        wanted = self._wanted.pop(table)
        statement = _by_column(table, "id", self._reader.dialect, wanted.columns)
        return by_key(await self._reader.fetch(statement, {KEYS: list(wanted.keys)}))

    def by_column(self, table: FromClause, column: str) -> DataLoader[Any, Row[Any] | None]:
        """Rows by a unique column (code, sku); None where there is no such row."""

        async def load(keys: Sequence[Any]) -> list[Row[Any] | None]:
            statement = _by_column(table, column, self._reader.dialect, None)
            rows = await self._reader.fetch(statement, {KEYS: list(keys)})
            found = by_key(rows, column)
            return [found.get(key) for key in keys]

        return self._get(("by_column", table, column), load)

    def children(
        self,
        table: FromClause,
        column: str,
        order: Sequence[SortKey] = (),
        columns: Columns = None,
    ) -> DataLoader[uuid.UUID, list[Row[Any]]]:
        """All rows whose `column` equals each key: for short, bounded lists."""
        order_key = tuple(order)

        async def load(keys: Sequence[uuid.UUID]) -> list[list[Row[Any]]]:
            statement = _children(table, column, order_key, self._reader.dialect, columns)
            grouped: dict[uuid.UUID, list[Row[Any]]] = {key: [] for key in keys}
            rows = await self._reader.fetch(statement, {KEYS: list(keys)})
            self.prime(table, rows, columns)
            for parent, row in zip(values_of(rows, column), rows, strict=True):
                grouped[parent].append(row)
            return [grouped[key] for key in keys]

        return self._get(("children", table, column, order_key, columns), load)

    def pages(
        self,
        table: FromClause,
        parent_column: str,
        request: PageRequest,
        conditions: Sequence[ColumnElement[bool]],
        filter_key: Hashable,
        columns: Columns = None,
    ) -> DataLoader[uuid.UUID, Page]:
        """One page of a nested connection per parent, all parents in one statement.

        `filter_key` identifies `conditions` by value, so the same field asked under many
        parents shares one loader (and one statement).
        """

        async def load(parents: Sequence[uuid.UUID]) -> list[Page]:
            where = [*conditions, *visible(table)]
            of_parents = one_of(table.c[parent_column], self._reader.dialect)
            stmt = pagination.partitioned_page_statement(
                table, request, where, parent_column, of_parents, columns
            )
            rows = await self._reader.fetch(stmt, {KEYS: list(parents)})
            self.prime(table, rows, columns)
            pages = pagination.pages_by_parent(rows, request, parent_column)
            return [pages.get(parent, EMPTY_PAGE) for parent in parents]

        return self._get(("pages", table, parent_column, request, filter_key, columns), load)

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


@lru_cache(maxsize=1024)  # bounded: the column sets come from clients' selections
def _by_column(table: FromClause, column: str, dialect: str, columns: Columns) -> Select[Any]:
    return projected(table, columns, "id", column).where(
        one_of(table.c[column], dialect), *visible(table)
    )


@lru_cache(maxsize=1024)
def _children(
    table: FromClause, column: str, order: tuple[SortKey, ...], dialect: str, columns: Columns
) -> Select[Any]:
    keys = [table.c[k.column].desc() if k.descending else table.c[k.column] for k in order]
    return (
        projected(table, columns, "id", column, *(k.column for k in order))
        .where(one_of(table.c[column], dialect), *visible(table))
        .order_by(*keys, table.c.id)
    )
