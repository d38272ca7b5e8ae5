"""resolvers.gathered_reads: reads asked for in one turn share one run; reads in flight or
done are awaited, not repeated (issue #7: level loads without a DataLoader future per key)."""

from __future__ import annotations

import asyncio
from typing import Any

from resolvers.columns import Columns
from resolvers.gathered_reads import GatheredReads


class Table:
    """Runs reads of squares, recording each run; `gate` holds runs until it is set."""

    def __init__(self) -> None:
        self.runs: list[tuple[list[int], Columns]] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.fail = False

    async def run(self, keys: list[int], columns: Columns) -> dict[Any, Any]:
        self.runs.append((sorted(keys), columns))
        await self.gate.wait()
        if self.fail:
            raise RuntimeError("the database went away")
        return {key: (key * key, columns) for key in keys}


async def test_asks_of_one_turn_share_one_run_over_their_keys_and_columns() -> None:
    reads, table = GatheredReads(), Table()

    first, second = await asyncio.gather(
        reads.read("squares", [1, 2], ("a",), table.run),
        reads.read("squares", [2, 3], ("b",), table.run),
    )

    assert table.runs == [([1, 2, 3], ("a", "b"))]
    assert {first[k][0] for k in (1, 2)} == {1, 4} and second[3][0] == 9
    # Another kind is its own run.
    await reads.read("cubes", [1], ("a",), table.run)
    assert len(table.runs) == 2


async def test_keys_in_flight_are_awaited_when_their_columns_suffice() -> None:
    reads, table = GatheredReads(), Table()
    table.gate.clear()
    started = asyncio.ensure_future(reads.read("squares", [1, 2], ("a", "b"), table.run))
    await asyncio.sleep(0.01)  # the run has started and waits on the gate
    assert table.runs == [([1, 2], ("a", "b"))]

    narrower = asyncio.ensure_future(reads.read("squares", [2], ("a",), table.run))
    wider = asyncio.ensure_future(reads.read("squares", [1], ("a", "c"), table.run))
    await asyncio.sleep(0.01)
    table.gate.set()

    assert (await narrower)[2][0] == 4
    assert (await wider)[1] == (1, ("a", "c"))
    await started
    # Key 2 came from the run in flight; key 1 needed column c, so it was read again.
    assert table.runs == [([1, 2], ("a", "b")), ([1], ("a", "c"))]


async def test_keys_already_read_answer_later_asks_until_forget() -> None:
    reads, table = GatheredReads(), Table()
    await reads.read("squares", [1, 2], ("a", "b"), table.run)

    assert (await reads.read("squares", [2], ("a",), table.run))[2][0] == 4
    mixed = await reads.read("squares", [1, 3], ("a",), table.run)
    assert {key: mixed[key][0] for key in (1, 3)} == {1: 1, 3: 9}
    assert table.runs == [([1, 2], ("a", "b")), ([3], ("a",))]

    reads.forget()  # a mutation committed: what was read may be stale
    await reads.read("squares", [2], ("a",), table.run)
    assert table.runs[-1] == ([2], ("a",))


async def test_after_forget_asks_do_not_join_reads_started_before() -> None:
    reads, table = GatheredReads(), Table()
    table.gate.clear()
    started = asyncio.ensure_future(reads.read("squares", [1], None, table.run))
    await asyncio.sleep(0.01)

    reads.forget()  # a mutation committed: what is being read may be stale
    again = asyncio.ensure_future(reads.read("squares", [1], None, table.run))
    await asyncio.sleep(0.01)
    table.gate.set()
    await asyncio.gather(started, again)

    assert table.runs == [([1], None), ([1], None)]


async def test_a_failed_run_fails_every_asker_and_is_not_awaited_again() -> None:
    reads, table = GatheredReads(), Table()
    table.fail = True

    results = await asyncio.gather(
        reads.read("squares", [1], None, table.run),
        reads.read("squares", [1, 2], None, table.run),
        return_exceptions=True,
    )

    assert all(isinstance(result, RuntimeError) for result in results)
    table.fail = False
    assert (await reads.read("squares", [1], None, table.run))[1][0] == 1
    assert len(table.runs) == 2
