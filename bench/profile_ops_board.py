"""Where an ops board request spends its time: ms per request, SQL statements, a profile.

    uv run python bench/profile_ops_board.py [--jobs 3000] [--requests 200] [--first 100]
    uv run --with pyinstrument python bench/profile_ops_board.py --profile

Drives the real app in process (httpx's ASGI transport: no sockets, one request at a time,
as an admin) on a PostgreSQL database of its own (`opsgraph_prof` by default, created when
missing and filled with `--jobs` jobs: each order has three lines split over two jobs, on a
small catalog). The operation is the ops board: a page of jobs with their manufacturer,
order and items → variant → product → family. It prints the mean and median ms per request,
the SQL statements one request runs (counted with db.sql_stats.track_sql) and, with
`--profile`, pyinstrument's call tree of the timed requests. `--redis URL` charges the rate
limit on Redis as production does (default: the in-process limiter). `--trace` turns
OpenTelemetry tracing on, spans kept in memory (the cost of making them, issue 30).
Only figures from one run are comparable; absolute figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import func, insert, select, text

from bench import dataset, queries
from bench.databases import ensure_database
from bench.in_process import admin_client
from db import models
from db.engine import Database
from db.sql_stats import track_sql
from domain.jobs import JobStatus
from domain.orders import OrderStatus, Technique
from settings import Settings

DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/opsgraph_prof"

OPS_BOARD = """query OpsBoard($first: Int!) {
  manufacturingJobs(first: $first) {
    totalCount
    edges { node {
      id jobNumber status dueDate quantity isUrgent daysUntilDue
      manufacturer { id name country }
      order { id reference status priority }
      items {
        id quantity size technique
        variant { id sku title size product { id name sku family { id code name } } }
      }
    } }
  }
}"""

FAMILIES, PRODUCTS_PER_FAMILY, VARIANTS_PER_PRODUCT, MANUFACTURERS, CUSTOMERS = 6, 5, 4, 12, 50
STATUSES = [s for s in JobStatus if s is not JobStatus.PENDING_ASSIGNMENT]


async def seed(database: Database, jobs: int) -> None:
    """Empty the database and insert `jobs` jobs (half as many orders) with Core."""
    await dataset.reset_schema(database.url)
    now = datetime.now(UTC)
    makers = [{"id": uuid.uuid4(), "name": f"Maker {m}", "country": "PK"} for m in range(12)]
    families = [
        {"id": uuid.uuid4(), "code": f"FAM_{f}", "name": f"Family {f}"} for f in range(FAMILIES)
    ]
    categories = [
        {"id": uuid.uuid4(), "name": f"Cat {f}", "product_family_id": fam["id"]}
        for f, fam in enumerate(families)
    ]
    products = [
        {
            "id": uuid.uuid4(),
            "name": f"Product {c}-{p}",
            "sku": f"P-{c}-{p}",
            "product_category_id": cat["id"],
            "unit_cost": Decimal("5.00"),
        }
        for c, cat in enumerate(categories)
        for p in range(PRODUCTS_PER_FAMILY)
    ]
    variants = [
        {
            "id": uuid.uuid4(),
            "product_id": prod["id"],
            "sku": f"V-{p}-{v}",
            "title": f"Variant {v}",
            "size": "SML"[v % 3],
            "price": Decimal("12.50"),
        }
        for p, prod in enumerate(products)
        for v in range(VARIANTS_PER_PRODUCT)
    ]
    customers = [{"id": uuid.uuid4(), "name": f"Customer {c}"} for c in range(CUSTOMERS)]
    orders, lines, job_rows, job_items = [], [], [], []
    for o in range(jobs // 2):
        order_id = uuid.uuid4()
        orders.append(
            {
                "id": order_id,
                "reference": f"ORD-2026-{o:06d}",
                "customer_id": customers[o % CUSTOMERS]["id"],
                "status": OrderStatus.IN_PRODUCTION,
                "total": Decimal("100.00"),
            }
        )
        quantities = [10, 11, 12]
        order_lines = [
            {
                "id": uuid.uuid4(),
                "order_id": order_id,
                "variant_id": variants[(o * 3 + k) % len(variants)]["id"],
                "position": k,
                "quantity": quantities[k],
                "size": "M",
                "technique": Technique.DTG,
                "unit_price": Decimal("12.50"),
            }
            for k in range(3)
        ]
        lines += order_lines
        for letter, share, quantity in (
            ("A", order_lines[:2], sum(quantities[:2])),
            ("B", order_lines[2:], quantities[2]),
        ):
            job_id = uuid.uuid4()
            job_rows.append(
                {
                    "id": job_id,
                    "job_number": f"MFG-2026-{o:06d}{letter}",
                    "order_id": order_id,
                    "manufacturer_id": makers[(o + ord(letter)) % MANUFACTURERS]["id"],
                    "product_family_id": families[o % FAMILIES]["id"],
                    "status": STATUSES[o % len(STATUSES)],
                    "due_date": date(2026, 1, 1) + timedelta(days=o % 400),
                    "quantity": quantity,
                    "created_at": now,
                }
            )
            job_items += [
                {"id": uuid.uuid4(), "job_id": job_id, "order_item_id": line["id"], "quantity": 1}
                for line in share
            ]
    async with database.engine.begin() as conn:
        for model, rows in (
            (models.Manufacturer, makers),
            (models.ProductFamily, families),
            (models.Category, categories),
            (models.Product, products),
            (models.Variant, variants),
            (models.Customer, customers),
            (models.Order, orders),
            (models.OrderItem, lines),
            (models.ManufacturingJob, job_rows),
            (models.JobItem, job_items),
        ):
            for start in range(0, len(rows), 5000):
                await conn.execute(insert(model), rows[start : start + 5000])
        await conn.execute(text("ANALYZE"))


async def job_count(database: Database) -> int:
    try:
        async with database.engine.connect() as conn:
            return int(
                (await conn.execute(select(func.count(models.ManufacturingJob.id)))).scalar_one()
            )
    except Exception:  # not migrated yet
        return -1


def bench_settings(database_url: str, redis_url: str | None) -> Settings:
    return dataclasses.replace(queries.bench_settings(database_url, redis_url), graphiql=False)


async def run(args: argparse.Namespace) -> None:
    await ensure_database(args.database)
    database = Database(args.database)
    try:
        if args.reseed or await job_count(database) != args.jobs:
            print(f"seeding {args.jobs} jobs into {args.database.rsplit('/', 1)[1]} ...")
            await seed(database, args.jobs)
    finally:
        await database.dispose()

    settings = bench_settings(args.database, args.redis)
    spans = _start_tracing() if args.trace else None
    body = {"query": OPS_BOARD, "variables": {"first": args.first}}
    async with admin_client(settings, "bench-admin") as http:

        async def send() -> httpx.Response:
            response = await http.post("/graphql", json=body)
            if response.status_code != 200 or "errors" in response.json():
                raise SystemExit(f"ops board failed: {response.status_code} {response.text[:500]}")
            return response

        for _ in range(args.warmup):
            await send()
        with track_sql() as stats:
            response = await send()
        edges = response.json()["data"]["manufacturingJobs"]["edges"]
        print(
            f"ops board: {len(edges)} jobs, {len(response.content)} bytes, "
            f"{stats.count} SQL statements"
        )
        profiler = _start_profiler() if args.profile else None
        timings: list[float] = []
        cpu_start = time.process_time()
        for _ in range(args.requests):
            start = time.perf_counter()
            await send()
            timings.append((time.perf_counter() - start) * 1000)
            if spans is not None:
                spans.clear()  # what an exporter sends off, kept from piling up here
        cpu_ms = (time.process_time() - cpu_start) * 1000 / args.requests
        if profiler is not None:
            profiler.stop()
    print(
        f"{args.requests} requests: mean {statistics.fmean(timings):.2f} ms, "
        f"median {statistics.median(timings):.2f} ms, "
        f"{1000 / statistics.fmean(timings):.1f} req/s (one at a time, in process); "
        f"app CPU {cpu_ms:.2f} ms/request"
    )
    if profiler is not None:
        print(profiler.output_text(unicode=True, color=False, show_all=False))


def _start_tracing() -> Any:
    """Tracing on (issue 30), its spans kept in memory: the cost of making them, without a
    collector's network."""
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from observability import tracing

    exporter = InMemorySpanExporter()
    tracing.start(SimpleSpanProcessor(exporter))
    return exporter


def _start_profiler() -> Any:
    try:
        # Not a dependency of the project: `uv run --with pyinstrument` brings it.
        pyinstrument = importlib.import_module("pyinstrument")
    except ImportError:
        raise SystemExit("--profile needs pyinstrument: uv run --with pyinstrument ...") from None
    profiler = pyinstrument.Profiler(interval=0.0005, async_mode="enabled")
    profiler.start()
    return profiler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="PostgreSQL URL (asyncpg)")
    parser.add_argument("--redis", default=None, help="charge the rate limit on this Redis")
    parser.add_argument("--jobs", type=int, default=3000, help="jobs in the dataset")
    parser.add_argument("--reseed", action="store_true", help="rebuild the dataset")
    parser.add_argument("--first", type=int, default=100, help="jobs per board page")
    parser.add_argument("--requests", type=int, default=200, help="timed requests")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    parser.add_argument("--profile", action="store_true", help="pyinstrument the timed requests")
    parser.add_argument(
        "--trace", action="store_true", help="tracing on (spans kept in memory, no collector)"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
