"""resolvers.loaders.load_all: DataLoader.load_many's answers and batching, minus its gather."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from strawberry.dataloader import DataLoader

from resolvers.loaders import load_all


class Squares:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    async def __call__(self, keys: Sequence[int]) -> list[int | BaseException]:
        self.batches.append(list(keys))
        return [ValueError(f"no {key}") if key < 0 else key * key for key in keys]


async def test_concurrent_calls_share_one_batch_and_keys_load_once():
    squares = Squares()
    loader = DataLoader(load_fn=squares)

    first, second = await asyncio.gather(load_all(loader, [1, 2, 3]), load_all(loader, [3, 4, 1]))

    assert first == [1, 4, 9] and second == [9, 16, 1]
    assert squares.batches == [[1, 2, 3, 4]]


async def test_cached_keys_cost_no_batch():
    squares = Squares()
    loader = DataLoader(load_fn=squares)
    loader.prime_many({5: 25, 6: 36})

    assert await load_all(loader, [5, 6, 5]) == [25, 36, 25]
    assert squares.batches == []
    assert await load_all(loader, [6, 7]) == [36, 49]
    assert squares.batches == [[7]]


async def test_a_key_that_fails_raises_its_error():
    loader = DataLoader(load_fn=Squares())

    with pytest.raises(ValueError, match="no -1"):
        await load_all(loader, [2, -1, 3])
    assert await load_all(loader, [2, 3]) == [4, 9]
