"""Reads by key asked for in the same turn of the event loop, run as one statement.

A request reads rows by key: rows by id, children by parent. Reads of one kind (one table,
and for children one column and order) asked for in one turn of the event loop, by a
DataLoader's batch or by a whole level of `schema.execution.batched`, are read together: one
statement over all their keys, selecting the union of the columns each asker needs. Keys
that a started read is still fetching, with the columns wanted, are awaited from it rather
than read again; so are keys it has read, until `forget` (a level asking again for the
children an earlier level read gets them as a DataLoader's cache would give them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

from resolvers.columns import Columns, covers

# Runs one read: (keys, columns) -> what was found, by key.
Run = Callable[[list[Any], Columns], Awaitable[dict[Any, Any]]]


class _Read:
    """Keys of one kind to read in one statement, and the columns to read. Open (taking
    more keys and columns) until its task starts, the turn after it was made."""

    result: asyncio.Future[dict[Any, Any]]  # the task reading them

    def __init__(self) -> None:
        self.keys: dict[Any, None] = {}
        self.columns: Columns = ()

    def add(self, keys: Sequence[Any], columns: Columns) -> None:
        self.keys.update(dict.fromkeys(keys))
        if self.columns is not None:
            self.columns = None if columns is None else tuple(sorted({*self.columns, *columns}))


class GatheredReads:
    def __init__(self) -> None:
        self._open: dict[Hashable, _Read] = {}  # the read of each kind still taking keys
        self._reading: dict[Hashable, dict[Any, _Read]] = {}  # keys being or already read, by kind

    def forget(self) -> None:
        """Later asks read afresh rather than join reads started before now (a mutation
        committed in between)."""
        self._reading.clear()

    async def read(
        self, kind: Hashable, keys: Sequence[Any], columns: Columns, run: Run
    ) -> dict[Any, Any]:
        """What `run` finds for `keys` (and maybe others), by key, with at least `columns`.
        `run` is the same for every ask of one `kind`."""
        reading = self._reading.setdefault(kind, {})
        open_read = self._open.get(kind)
        new: list[Any] = []
        serves: dict[_Read, bool] = {}  # whether each read holding some keys serves this ask
        if not reading:
            new.extend(keys)
        else:
            for key in keys:
                started = reading.get(key)
                if started is not None:
                    useful = serves.get(started)
                    if useful is None:
                        useful = serves[started] = started is open_read or covers(
                            started.columns, columns
                        )
                    if useful:
                        continue
                new.append(key)  # not read, or read without the columns wanted here
        joined = {started: None for started, useful in serves.items() if useful}
        if new or open_read in joined:
            if open_read is None:
                open_read = self._open[kind] = _Read()
                # Its first step runs next turn, after every read asked for in this one.
                open_read.result = asyncio.ensure_future(self._run(kind, open_read, run))
            open_read.add(new, columns)
            reading.update(dict.fromkeys(new, open_read))
            joined[open_read] = None
        if len(joined) == 1:
            return await asyncio.shield(next(iter(joined)).result)
        found: dict[Any, Any] = {}
        for started in joined:
            found.update(await asyncio.shield(started.result))
        return found

    async def _run(self, kind: Hashable, read: _Read, run: Run) -> dict[Any, Any]:
        del self._open[kind]
        try:
            return await run(list(read.keys), read.columns)
        except BaseException:
            # A failed read answers nobody later: the next ask tries again.
            reading = self._reading.get(kind, {})
            for key in read.keys:
                if reading.get(key) is read:
                    del reading[key]
            raise
