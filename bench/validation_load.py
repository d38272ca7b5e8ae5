"""An unrelated read's latency at rest and while issue 23's validation floods are in flight.

    uv run python bench/validation_load.py [--in-flight 16] [--reads 30] [--database-url URL]

Serves the app with uvicorn in a process of its own (a fresh SQLite database by default),
measures the median latency of a catalog read by an admin, then again while `--in-flight`
threads each send the 13 KB document of 1,000 `viewer{role}` fields as a customer, again as
soon as it is answered. Prints both medians (ms), their ratio, how the floods were answered
(QUERY_TOO_COMPLEX, before graphql-core's validation starts) and the server's CPU per flood.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auth.permissions import Role
from bench.measure import cpu_seconds
from db.engine import Database
from db.migrate import upgrade
from settings import AuthSettings, Settings
from tests.support.graphql import bearer
from tests.support.hostile_load import FLOOD, flood, measure
from tests.support.live import AppProcess, process_environment


async def _migrate(url: str) -> None:
    database = Database(url)
    try:
        await upgrade(database.engine)
    finally:
        await database.dispose()


async def _run(args: argparse.Namespace, work_dir: Path) -> None:
    url = args.database_url or f"sqlite+aiosqlite:///{work_dir / 'bench.db'}"
    await _migrate(url)
    settings = Settings(
        database_url=url,
        auth=AuthSettings(jwt_secret="bench-secret-" + "x" * 40),
        encryption_keys=("3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",),
    )
    async with AppProcess(process_environment(settings, work_dir), work_dir / "app.log") as app:
        reader = bearer(settings, Role.ADMIN)
        hostile = bearer(settings, Role.CUSTOMER, customer_id=uuid.uuid4())["Authorization"]
        figures = await asyncio.to_thread(
            measure, app.url, reader, hostile, in_flight=args.in_flight, reads=args.reads
        )
        # The server's CPU per flood, with floods alone for a few seconds.
        before = cpu_seconds(app.pid)
        with flood(app.url, hostile, args.in_flight) as stop:
            await asyncio.sleep(3.0)
            floods = sum(stop().values())
        cpu_per_flood_ms = (cpu_seconds(app.pid) - before) / floods * 1000
    print(f"flood document: {len(FLOOD):,} characters, {FLOOD.count('viewer'):,} fields")
    print(f"server CPU per flood: {cpu_per_flood_ms:.2f} ms ({floods} floods in 3 s)")
    print(f"unrelated read, median of {args.reads}:")
    print(f"  at rest                    {figures.at_rest_ms:8.1f} ms")
    print(f"  {args.in_flight:>2} floods in flight        {figures.under_load_ms:8.1f} ms")
    print(f"  ratio                      {figures.ratio:8.2f}")
    answered = sum(figures.floods_answered.values())
    print(
        f"floods answered: {dict(figures.floods_answered)} in {figures.floods_seconds:.1f} s "
        f"({answered / figures.floods_seconds:.0f}/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--in-flight", type=int, default=16)
    parser.add_argument("--reads", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work_dir:
        asyncio.run(_run(args, Path(work_dir)))


if __name__ == "__main__":
    main()
