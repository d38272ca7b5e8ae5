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
from observability import tracing
from resolvers import pagination
from resolvers.columns import Columns, by_key, covers, projected, values_of
from resolvers.gathered_reads import GatheredReads
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


class HeldRows:
    """Rows of one table read with one set of columns, by id for lookups. Rows are indexed
    when a lookup first needs them, not as they arrive: hashing a freshly decoded asyncpg
    UUID takes ~190 ns, and most rows a list reads (a board's 100 jobs and 236 lines) are
    never looked up by id."""

    __slots__ = ("_by_id", "_unindexed")

    def __init__(self) -> None:
        self._by_id: dict[Any, Row[Any]] = {}
        self._unindexed: list[Sequence[Row[Any]]] = []

    def add(self, rows: Sequence[Row[Any]]) -> None:
        self._unindexed.append(rows)

    def by_id(self) -> dict[Any, Row[Any]]:
        for rows in self._unindexed:  # in arrival order: a later read of a row wins
            self._by_id.update(by_key(rows))
        self._unindexed.clear()
        return self._by_id


# Rows of one table that this request has read, by the columns they hold.
Primed = dict[Columns, HeldRows]


def held(primed: Primed, columns: Columns, keys: Sequence[Any]) -> dict[Any, Row[Any]]:
    """Of the rows of `keys`, those held with at least `columns`, by id."""
    found: dict[Any, Row[Any]] = {}
    if not keys:
        return found  # nothing to look up: leave held rows unindexed
    for projection, held_rows in primed.items():
        if covers(projection, columns):
            by_id = held_rows.by_id()
            found.update((key, by_id[key]) for key in keys if key in by_id)
    return found


class _ByIdCache(AbstractCache[Any, Any]):
    """A by-id loader's cache: its own futures, then any row a list of the same table has
    read with at least the columns this loader selects. A board's lists read ~500 rows and
    few are asked for again, so such a row becomes a (done) future only when asked for."""

    def __init__(self, primed: Primed, columns: Columns) -> None:
        self._futures: dict[Any, asyncio.Future[Any]] = {}
        self._primed = primed
        self._columns = columns

    def get(self, key: Any) -> asyncio.Future[Any] | None:
        future = self._futures.get(key)
        if future is None and self._primed:
            row = held(self._primed, self._columns, (key,)).get(key)
            if row is not None:
                future = self._futures[key] = asyncio.get_running_loop().create_future()
                future.set_result(row)
        return future

    def set(self, key: Any, value: asyncio.Future[Any]) -> None:
        self._futures[key] = value

    def delete(self, key: Any) -> None:
        self._futures.pop(key, None)

    def clear(self) -> None:
        self._futures.clear()


class Loaders:
    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}
        self._primed: dict[FromClause, Primed] = {}
        self._reads = GatheredReads()
        self._generation = 0  # rows read before a clear() are not remembered

    def clear(self) -> None:
        """Forget every cached row: called after a mutation commits. Primed rows are
        emptied in place: the by-id caches read the same dicts."""
        self._generation += 1
        self._reads.forget()
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
            loader = self._loaders[key] = DataLoader(load_fn=traced(key, load))
        return loader

    def prime(self, table: FromClause, rows: Sequence[Row[Any]], columns: Columns = None) -> None:
        """Rows fetched by a list (or read by id) serve later lookups by id too: a
        `node`/relation lookup of the same row, reading no more columns than that read did,
        costs no statement."""
        projections = self._primed.setdefault(table, {})
        held_rows = projections.get(columns)
        if held_rows is None:
            held_rows = projections[columns] = HeldRows()
        held_rows.add(rows)

    def by_id(
        self, table: FromClause, columns: Columns = None
    ) -> DataLoader[uuid.UUID, Row[Any] | None]:
        """Rows by primary key; None where there is no such row. With `columns`, rows hold
        at least those: each projection is its own loader, and their batches share one
        statement (`_read_by_id`)."""
        key = ("by_id", table, columns)
        loader = self._loaders.get(key)
        if loader is None:

            async def load(keys: Sequence[uuid.UUID]) -> list[Row[Any] | None]:
                found = await self._read_by_id(table, keys, columns)
                return [found.get(key) for key in keys]

            cache = _ByIdCache(self._primed.setdefault(table, {}), columns)
            loader = self._loaders[key] = DataLoader(load_fn=traced(key, load), cache_map=cache)
        return loader

    async def rows_by_id(
        self, table: FromClause, keys: Sequence[uuid.UUID], columns: Columns = None
    ) -> list[Row[Any] | None]:
        """Rows of distinct `keys` (None where there is no such row), as `by_id` loads them.

        Keys that arrive already gathered (a level of `schema.execution.batched`: 236 variants of a
        board) need no DataLoader to gather them; its future, cache entry and batch task
        per key were ~12% of a board's instructions. They are answered from the rows this
        request already holds, and the rest are read with the other by-id reads of the
        table in this turn (`_read_by_id`). A single key still goes through its
        DataLoader, which gathers it with the other single lookups and caches it."""
        if len(keys) == 1:
            return await load_all(self.by_id(table, columns), keys)
        found = held(self._primed.get(table, {}), columns, keys)
        missing = [key for key in keys if key not in found] if found else keys
        if missing:
            read = await self._read_by_id(table, missing, columns)
            found.update((key, read[key]) for key in missing if key in read)
        return [found.get(key) for key in keys]

    async def _fetch_remembered(
        self, table: FromClause, statement: Select[Any], keys: list[Any], columns: Columns
    ) -> Sequence[Row[Any]]:
        """The rows `statement` reads for `keys`, remembered for later reads unless the
        loaders were cleared meanwhile (a mutation committed: they may be stale)."""
        generation = self._generation
        rows = await self._reader.fetch(statement, {KEYS: keys})
        if generation == self._generation:
            self.prime(table, rows, columns)
        return rows

    async def _read_by_id(
        self, table: FromClause, keys: Sequence[uuid.UUID], columns: Columns
    ) -> dict[uuid.UUID, Row[Any]]:
        """Rows of `table` by id, read with every other by-id read of the table in this
        turn (one statement: a catalog query reads manufacturers for their name in one
        field and whole in another)."""

        async def run(ids: list[Any], union: Columns) -> dict[Any, Any]:
            statement = _by_column(table, "id", self._reader.dialect, union)
            return by_key(await self._fetch_remembered(table, statement, ids, union))

        return await self._reads.read(("by_id", table), keys, columns, run)

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
            return await self._read_children(table, column, order_key, columns, keys)

        return self._get(("children", table, column, order_key, columns), load)

    async def children_of(
        self,
        table: FromClause,
        column: str,
        order: Sequence[SortKey],
        columns: Columns,
        keys: Sequence[uuid.UUID],
    ) -> list[list[Row[Any]]]:
        """`children(...)` of each of `keys`. Keys already gathered (a level of
        `schema.execution.batched`) are read in one statement without a DataLoader future per key
        (see `rows_by_id`); a single key goes through the DataLoader."""
        if len(keys) == 1:
            return await load_all(self.children(table, column, order, columns), keys)
        return await self._read_children(table, column, tuple(order), columns, keys)

    async def _read_children(
        self,
        table: FromClause,
        column: str,
        order: tuple[SortKey, ...],
        columns: Columns,
        keys: Sequence[uuid.UUID],
    ) -> list[list[Row[Any]]]:
        """Each key's children, read with every other read of the same children in this
        turn (the variants of each family's products page: one statement)."""

        async def run(parents: list[Any], union: Columns) -> dict[Any, Any]:
            statement = _children(table, column, order, self._reader.dialect, union)
            rows = await self._fetch_remembered(table, statement, parents, union)
            grouped: dict[Any, list[Row[Any]]] = {parent: [] for parent in parents}
            for parent, row in zip(values_of(rows, column), rows, strict=True):
                grouped[parent].append(row)
            return grouped

        found = await self._reads.read(("children", table, column, order), keys, columns, run)
        return [found[key] for key in keys]

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
            rows = await self._fetch_remembered(table, stmt, list(parents), columns)
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


def traced(key: Hashable, load: Any) -> Any:
    """`load`, in a span per batch while tracing is on (observability/tracing.py); as it is
    otherwise (decided when the loader is made: tracing is on or off for the process)."""
    if not tracing.enabled():
        return load
    parts = key if isinstance(key, tuple) else (key,)
    name = "dataloader " + " ".join(
        str(getattr(part, "name", None) or part) for part in parts if not isinstance(part, tuple)
    )

    async def load_in_span(keys: Sequence[Any]) -> Any:
        with tracing.child_span(name, {"opsgraph.keys": len(keys)}):
            return await load(keys)

    return load_in_span
