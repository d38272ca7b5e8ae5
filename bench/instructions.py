"""Instructions per ops board request, counted by valgrind's callgrind: a figure that does not
move with the machine's load, for comparing one change with the next.

    uv run python bench/instructions.py [--size medium] [--requests 10] [--query ops-board]

Builds (or reuses) the `bench/dataset.py` dataset at `--size`, then runs the app in process
under `valgrind --tool=callgrind` with counting off: start-up, migrations and five warm-up
requests are not counted. Counting is switched on (`callgrind_control`) for `--requests`
requests and off again, and the script prints the instructions per request. The requests
go through httpx's ASGI transport as an admin, one at a time; the rate and cost limits are
raised out of the way, so the figure is the app's own work (not uvicorn's, nor the
network's). Callgrind runs the app ~50 times slower: a run takes about a minute.
Only ratios between runs on the same machine and Python mean anything.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES = ("ops-board", "order")
WARMUP = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="medium", choices=("small", "medium", "large"))
    parser.add_argument("--database-url", default=None, help="default: bench/dataset.py's")
    parser.add_argument("--requests", type=int, default=10, help="counted requests")
    parser.add_argument("--query", default="ops-board", choices=QUERIES)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        asyncio.run(_requests(args))
    else:
        _count(args)


def _count(args: argparse.Namespace) -> None:
    from bench import dataset

    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not on PATH (Debian: apt-get install valgrind)")
    url = args.database_url or dataset.DEFAULT_DATABASE_URL
    spec = dataset.Spec(args.size, dataset.DEFAULT_SEED, datetime.now(UTC).date())
    asyncio.run(dataset.ensure(url, spec, reuse=True))
    with tempfile.TemporaryDirectory(prefix="opsgraph-instructions-") as scratch:
        out = Path(scratch) / "callgrind.out"
        command = [
            *("valgrind", "--tool=callgrind", "--instr-atstart=no"),
            f"--callgrind-out-file={out}",
            *(sys.executable, __file__, "--inside", "--database-url", url),
            *("--requests", str(args.requests), "--query", args.query),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        text = out.read_text() if out.exists() else ""
        totals = re.search(r"^totals:\s+(\d+)", text, re.MULTILINE)
        if done.returncode != 0 or totals is None:
            raise SystemExit(f"the counted run failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    per_request = int(totals.group(1)) / args.requests
    print(
        f"{args.query} ({args.size}): {per_request / 1e6:.1f}M instructions per request "
        f"({args.requests} requests counted, after {WARMUP} warm-up)"
    )


async def _requests(args: argparse.Namespace) -> None:
    from bench import dataset, queries
    from bench.in_process import admin_client
    from resolvers.ids import encode_id

    settings = queries.bench_settings(args.database_url, None)
    body = {"query": queries.OPS_BOARD, "variables": {}}
    if args.query == "order":
        fixtures = await queries.Fixtures.read(args.database_url, dataset.DEFAULT_SEED)
        order_id = encode_id("Order", fixtures.orders[0])
        body = {"query": queries.ORDER, "variables": {"id": order_id}}
    async with admin_client(settings, "bench-instructions") as http:

        async def send() -> None:
            response = await http.post("/graphql", json=body)
            if response.status_code != 200 or b'"errors"' in response.content:
                raise SystemExit(f"request failed: {response.text[:500]}")

        for _ in range(WARMUP):
            await send()
        _callgrind("on")
        for _ in range(args.requests):
            await send()
        _callgrind("off")


def _callgrind(state: str) -> None:
    subprocess.run(
        ["callgrind_control", "--instr=" + state, str(os.getpid())],
        check=True,
        capture_output=True,
    )


if __name__ == "__main__":
    main()
