"""Throughput of a persisted-query hit against sending the full query, same operation, same run.

    uv run python bench/persisted_queries.py [--seconds S] [--database URL]

Drives the real app in process (httpx's ASGI transport: no sockets, no uvicorn, one request
at a time) on a freshly migrated database (a temporary SQLite file unless --database names
a PostgreSQL one) and prints requests per second for the same operation sent
(a) in full by POST, (b) as an APQ hash by POST, (c) as an APQ hash by GET, and the
ratios against (a). The operation is the product catalog a partner page asks for (a
mid-sized document whose SQL is cheap on an empty catalog), so the figures show what
skipping parse and validation is worth; on a catalog with data, SQL dominates both.
Only ratios from one run are comparable; absolute figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench.in_process import admin_client
from db.engine import Database
from db.migrate import upgrade
from schema import schema
from schema.persisted import PreparedDocuments
from schema.persisted.documents import sha256_hex
from settings import Settings

QUERY = """query Catalog($first: Int = 20) {
  products(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id code name description
      family { code name }
      category { name }
      variants { sku title size colour price { amount currency } }
      resolvedManufacturer { source manufacturer { name country } }
    } }
  }
}"""


async def _throughputs(
    cases: dict[str, Callable[[], Awaitable[httpx.Response]]], seconds: float, rounds: int = 5
) -> dict[str, float]:
    """Requests per second of each case. The cases take turns in short slices, so a change
    in the machine's load during the run weighs on all of them alike."""
    for send in cases.values():
        for _ in range(20):  # warm-up: caches, connections
            assert (await send()).status_code == 200
    counts = dict.fromkeys(cases, 0)
    spent = dict.fromkeys(cases, 0.0)
    for _ in range(rounds):
        for name, send in cases.items():
            start = time.perf_counter()
            while (elapsed := time.perf_counter() - start) < seconds / rounds:
                response = await send()
                assert response.status_code == 200 and "errors" not in response.json()
                counts[name] += 1
            spent[name] += elapsed
    return {name: counts[name] / spent[name] for name in cases}


async def run(database_url: str, seconds: float) -> None:
    database = Database(database_url)
    try:
        await upgrade(database.engine)
    finally:
        await database.dispose()
    settings = Settings.from_env({"DATABASE_URL": database_url})
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(QUERY)}}
    async with admin_client(settings, "bench") as http:
        registered = await http.post("/graphql", json={"query": QUERY, "extensions": extensions})
        assert registered.status_code == 200, registered.text
        get_params = {"extensions": json.dumps(extensions)}
        cases: dict[str, Callable[[], Awaitable[httpx.Response]]] = {
            "full query, POST": lambda: http.post("/graphql", json={"query": QUERY}),
            "APQ hash hit, POST": lambda: http.post("/graphql", json={"extensions": extensions}),
            "APQ hash hit, GET": lambda: http.get("/graphql", params=get_params),
        }
        rates = await _throughputs(cases, seconds)

    wired = bool(schema.extensions) and schema.extensions[0] is PreparedDocuments
    print(
        f"in-process ASGI (httpx.ASGITransport), {database_url.split(':', 1)[0]}, "
        f"{seconds:.0f} s each"
    )
    print(f"PreparedDocuments first in the schema's extensions (hits skip parse+validate): {wired}")
    baseline = rates["full query, POST"]
    print(f"{'request':<22} {'req/s':>9} {'vs full POST':>13}")
    for name, rate in rates.items():
        print(f"{name:<22} {rate:>9.1f} {rate / baseline:>12.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--database", help="a postgresql+asyncpg:// URL (default: temp SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database or f"sqlite+aiosqlite:///{directory}/bench.db"
        asyncio.run(run(url, args.seconds))


if __name__ == "__main__":
    main()
