"""A reproducible PostgreSQL dataset for the query benchmarks.

    uv run python bench/dataset.py [--size small|medium|large] [--seed 7] [--today YYYY-MM-DD]
        [--database-url postgresql://postgres@127.0.0.1:5432/opsgraph_bench7]

Creates the database if it is missing, drops and re-creates its `public` schema, applies the
app's migrations and loads, with COPY, a production network of the given size:

| size   | jobs    | orders  | order lines | job notes | customers |
| ------ | ------- | ------- | ----------- | --------- | --------- |
| small  | 1,000   | ~500    | ~2,500      | ~2,000    | 100       |
| medium | 20,000  | ~10,000 | ~50,000     | ~40,000   | 2,000     |
| large  | 200,000 | ~100k   | ~500k       | ~400k     | 20,000    |

The catalog is the same at every size: 8 product families (each with a default, a backup and
4 assigned manufacturers), 40 manufacturers, 16 categories, 200 products, 1,600 variants.
Every order is approved and split into 1-3 jobs, each line made by exactly one job; a job's
quantity is the sum of its lines; statuses, due dates (from 30 days overdue to 60 days ahead
of `--today`, a few without one) and notes are spread the way a live board looks.

The same seed and `--today` give the same rows, IDs included. The database comment records
them (`opsgraph-bench size=medium jobs=20000 seed=7 today=...`), so a benchmark can reuse a
dataset it recognises instead of rebuilding it.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # type: ignore[import-untyped]  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bench.databases import ensure_database  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from observability.progress import Steps  # noqa: E402
from resolvers.jobs.workflow import JOB_WORKFLOW  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/opsgraph_bench7"
DEFAULT_SEED = 7
SIZES = {"small": 1_000, "medium": 20_000, "large": 200_000}
MARKER_PREFIX = "opsgraph-bench-3"  # bumped when the generated rows change

FAMILIES = 8
MANUFACTURERS = 40
PRODUCTS_PER_FAMILY = 25
SIZES_OF_GARMENT = ("S", "M", "L", "XL")
COLOURS = ("Black", "White")
TECHNIQUES = ("dtg", "screen", "embroidery", "sublimation")
# Share of jobs in each status: a board mid-season (most work in flight, a third shipped).
JOB_STATUSES = (
    ("NEW", 20),
    ("ACCEPTED", 15),
    ("IN_PRODUCTION", 20),
    ("QC", 5),
    ("READY_TO_SHIP", 5),
    ("SHIPPED", 30),
    ("DECLINED", 3),
    ("PENDING_ASSIGNMENT", 2),
)


def _stamps_by_status() -> dict[str, tuple[str, ...]]:
    """The stage timestamps a job in each status carries: those its workflow's moves stamp
    on the shortest way there from NEW (read from JOB_WORKFLOW, never restated here)."""
    reached: dict[str, tuple[str, ...]] = {JOB_WORKFLOW.initial.value: ()}
    frontier = [JOB_WORKFLOW.initial]
    while frontier:
        source = frontier.pop(0)
        for move in JOB_WORKFLOW.moves_from(source):
            if move.target.value not in reached:
                reached[move.target.value] = reached[source.value] + move.stamps
                frontier.append(move.target)
    return reached


STAMPS_BY_STATUS = _stamps_by_status()
# Every stamp column, in the order the workflow first sets them.
STAGES = tuple(dict.fromkeys(stamp for stamps in STAMPS_BY_STATUS.values() for stamp in stamps))
NOTE_TEXTS = (
    "Artwork approved by the customer.",
    "Fabric arrived; cutting starts tomorrow.",
    "Customer asked to move the logo 2 cm up.",
    "Sample photo sent for sign-off.",
    "Thread colour matched to Pantone 186 C.",
    "Packing list attached to the carton.",
)


@dataclass(frozen=True)
class Spec:
    """What to build; the marker names it so a run can recognise a dataset."""

    size: str
    seed: int
    today: date

    @property
    def jobs(self) -> int:
        return SIZES[self.size]

    @property
    def marker(self) -> str:
        return (
            f"{MARKER_PREFIX} size={self.size} jobs={self.jobs} seed={self.seed} "
            f"today={self.today.isoformat()}"
        )


@dataclass
class Table:
    """Rows for one COPY: the columns named, every other column takes its default."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def asyncpg_dsn(url: str) -> str:
    """asyncpg wants postgresql://; accept the app's postgresql+asyncpg:// too."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def sqlalchemy_url(url: str) -> str:
    return "postgresql+asyncpg://" + asyncpg_dsn(url).split("://", 1)[1]


class Generator:
    """Builds every row from one seeded random stream (IDs too), in a fixed order."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.epoch = datetime.combine(spec.today, clock(9, 0), tzinfo=UTC)
        self.tables: dict[str, Table] = {}

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def table(self, name: str, *columns: str) -> Table:
        self.tables[name] = Table(name, ("id", "created_at", "updated_at", *columns))
        return self.tables[name]

    def add(self, table: Table, created: datetime, *values: Any) -> uuid.UUID:
        pk = self.new_id()
        table.rows.append((pk, created, created, *values))
        return pk

    def days_ago(self, low: int, high: int) -> datetime:
        return self.epoch - timedelta(
            days=self.rng.randint(low, high), minutes=self.rng.randint(0, 600)
        )

    def build(self) -> list[Table]:
        manufacturers = self._manufacturers()
        families = self._families(manufacturers)
        variants = self._catalog(families)
        customers = self._customers()
        self._orders(customers, variants, families)
        self._inventory(variants)
        return list(self.tables.values())

    # -- catalog -------------------------------------------------------------------------------

    def _manufacturers(self) -> list[uuid.UUID]:
        table = self.table(
            "manufacturers",
            *("name", "email", "country", "city", "capabilities", "certifications"),
            *("payment_terms", "avg_lead_time_days", "max_concurrent_jobs", "onboarding_status"),
        )
        countries = (("PK", "Sialkot"), ("PT", "Porto"), ("US", "Los Angeles"), ("CN", "Ningbo"))
        ids = []
        for number in range(1, MANUFACTURERS + 1):
            country, city = countries[number % len(countries)]
            ids.append(
                self.add(
                    table,
                    self.days_ago(400, 700),
                    f"Manufacturer {number:02d}",
                    f"ops{number:02d}@maker.example",
                    country,
                    city,
                    '["dtg", "screen"]',
                    "[]",
                    "NET30",
                    self.rng.randint(10, 30),
                    200,
                    "active",
                )
            )
        return ids

    def _families(self, manufacturers: list[uuid.UUID]) -> list[tuple[uuid.UUID, list[uuid.UUID]]]:
        """Each family with its manufacturers by priority (the first is its default)."""
        table = self.table(
            "product_families",
            *("code", "name", "default_manufacturer_id", "backup_manufacturer_id"),
            *("lead_time_days", "sort_order"),
        )
        assignments = self.table(
            "product_family_manufacturers",
            *("product_family_id", "manufacturer_id", "priority", "can_dtg", "can_screen_print"),
        )
        families = []
        for number in range(FAMILIES):
            makers = self.rng.sample(manufacturers, 4)
            created = self.days_ago(300, 400)
            family = self.add(
                table,
                created,
                f"FAMILY_{number + 1}",
                f"Family {number + 1}",
                makers[0],
                makers[1],
                21,
                number,
            )
            for priority, maker in enumerate(makers, start=1):
                self.add(assignments, created, family, maker, priority, True, True)
            families.append((family, makers))
        return families

    def _catalog(
        self, families: list[tuple[uuid.UUID, list[uuid.UUID]]]
    ) -> list[tuple[uuid.UUID, str, int]]:
        """Categories, products and variants: each variant with its size and price in cents."""
        categories = self.table("categories", "name", "product_family_id", "sort_order")
        products = self.table(
            "products",
            "name",
            "code",
            "sku",
            "product_family_id",
            "product_category_id",
            "unit_cost",
        )
        variants = self.table("variants", "product_id", "sku", "title", "size", "colour", "price")
        out = []
        for index, (family, _) in enumerate(families):
            created = self.days_ago(200, 300)
            category_ids = [
                self.add(categories, created, f"Category {index + 1}.{n}", family, n)
                for n in (1, 2)
            ]
            for n in range(PRODUCTS_PER_FAMILY):
                number = index * PRODUCTS_PER_FAMILY + n + 1
                cents = self.rng.randint(800, 4500)
                name = f"Product {number:03d}"
                product = self.add(
                    products,
                    created,
                    name,
                    f"P{number:03d}",
                    f"SKU-P{number:03d}",
                    family,
                    category_ids[n % 2],
                    Decimal(cents // 3).scaleb(-2),
                )
                for colour in COLOURS:
                    for size in SIZES_OF_GARMENT:
                        sku = f"SKU-P{number:03d}-{colour[:3].upper()}-{size}"
                        price = Decimal(cents).scaleb(-2)
                        variant = self.add(
                            variants,
                            created,
                            product,
                            sku,
                            f"{name} - {size} / {colour}",
                            size,
                            colour,
                            price,
                        )
                        out.append((variant, size, cents))
        return out

    def _customers(self) -> list[uuid.UUID]:
        table = self.table("customers", "name", "email", "company")
        return [
            self.add(
                table,
                self.days_ago(100, 400),
                f"Customer {n}",
                f"buyer{n}@shop.example",
                f"Shop {n}",
            )
            for n in range(1, max(100, self.spec.jobs // 10) + 1)
        ]

    # -- orders and jobs -----------------------------------------------------------------------

    def _orders(
        self,
        customers: list[uuid.UUID],
        variants: list[tuple[uuid.UUID, str, int]],
        families: list[tuple[uuid.UUID, list[uuid.UUID]]],
    ) -> None:
        orders = self.table(
            "orders",
            *("reference", "customer_id", "status", "priority"),
            *(
                "total",
                "currency",
                "metadata",
                "submitted_at",
                "approved_at",
                "production_started_at",
                "routed_at",
            ),
        )
        lines = self.table(
            "order_items",
            *("order_id", "variant_id", "position", "quantity"),
            *("size", "technique", "unit_price", "metadata"),
        )
        jobs = self.table(
            "manufacturing_jobs",
            *("job_number", "order_id", "manufacturer_id"),
            *("product_family_id", "status", "due_date", "quantity", "routed_by"),
            *("routing_source", "decoration_type", *STAGES),
        )
        job_items = self.table("manufacturing_job_items", "job_id", "order_item_id", "quantity")
        notes = self.table("job_notes", "job_id", "content", "author_id", "author_role")
        statuses, weights = zip(*JOB_STATUSES, strict=True)
        year = self.spec.today.year
        made = 0
        number = 0
        while made < self.spec.jobs:
            number += 1
            created = self.days_ago(5, 90)
            order_id = self.new_id()
            reference = f"ORD-{year}-{number:03d}"
            job_count = min(self.rng.choice((1, 2, 2, 3)), self.spec.jobs - made)
            job_statuses = self.rng.choices(statuses, weights, k=job_count)
            total = 0
            position = 0
            for letter, status in zip("ABC", job_statuses, strict=False):
                family_index = self.rng.randrange(FAMILIES)
                family_id, makers = families[family_index]
                maker = None if status == "PENDING_ASSIGNMENT" else self.rng.choice(makers)
                job_id = self.new_id()
                technique = self.rng.choice(TECHNIQUES)
                quantity = 0
                for _ in range(self.rng.randint(1, 4)):
                    variant, size, cents = self._variant_of(variants, family_index)
                    units = self.rng.randint(5, 60)
                    line = self.add(
                        lines,
                        created,
                        order_id,
                        variant,
                        position,
                        units,
                        size,
                        technique,
                        Decimal(cents).scaleb(-2),
                        "{}",
                    )
                    self.add(job_items, created, job_id, line, units)
                    position += 1
                    quantity += units
                    total += units * cents
                due = None
                if self.rng.random() > 0.05:
                    due = self.spec.today + timedelta(days=self.rng.randint(-30, 60))
                path = STAMPS_BY_STATUS.get(status, ())
                stamps = [
                    created + timedelta(days=path.index(stage) + 1) if stage in path else None
                    for stage in STAGES
                ]
                jobs.rows.append(
                    (
                        job_id,
                        created,
                        created,
                        f"MFG-{year}-{number:03d}{letter}",
                        order_id,
                        maker,
                        family_id,
                        status,
                        due,
                        quantity,
                        "auto",
                        "family_default" if maker is not None else "unassigned",
                        technique,
                        *stamps,
                    )
                )
                for _ in range(self.rng.choice((0, 1, 2, 2, 3, 4))):
                    author = self.rng.choice(("manufacturer", "admin"))
                    self.add(
                        notes,
                        created + timedelta(hours=self.rng.randint(1, 200)),
                        job_id,
                        self.rng.choice(NOTE_TEXTS),
                        f"{author}-1",
                        author,
                    )
            made += job_count
            started = any("started_at" in STAMPS_BY_STATUS.get(s, ()) for s in job_statuses)
            orders.rows.append(
                (
                    order_id,
                    created,
                    created,
                    reference,
                    self.rng.choice(customers),
                    "in_production" if started else "approved",
                    self.rng.choice(("standard", "standard", "rush")),
                    Decimal(total).scaleb(-2),
                    "USD",
                    "{}",
                    created,
                    created,
                    created if started else None,
                    created,
                )
            )
        sequences = Table("reference_sequences", ("name", "year", "value"), [("ORD", year, number)])
        self.tables["reference_sequences"] = sequences

    def _inventory(self, variants: list[tuple[uuid.UUID, str, int]]) -> None:
        """Two fulfillment centers; each variant stocked at one or both, each level with the
        ledger rows it is the sum of (a stock-in, then a reservation when some is reserved)."""
        centers = self.table(
            "fulfillment_centers",
            *("code", "name", "operating_hours", "capabilities", "carrier_preferences"),
            "is_default",
        )
        capabilities = '["receive", "store", "ship"]'
        created = self.days_ago(300, 300)
        la = self.add(centers, created, "FC-LA", "Medallion LA", "{}", capabilities, "[]", True)
        east = self.add(
            centers, created, "FC-EAST", "East Coast Warehouse", "{}", capabilities, "[]", False
        )
        levels = self.table(
            "inventory_levels",
            *("fulfillment_center_id", "variant_id", "on_hand", "reserved", "incoming"),
            *("bin_location", "reorder_point", "max_threshold", "cost_per_unit"),
            "last_movement_at",
        )
        ledger = Table(
            "inventory_transactions",
            (
                *("id", "created_at", "level_id", "fulfillment_center_id", "variant_id"),
                *("kind", "quantity", "on_hand_change", "reserved_change", "incoming_change"),
                *("on_hand_after", "reserved_after", "incoming_after", "reference_type"),
            ),
        )
        for n, (variant, _, cents) in enumerate(variants):
            for center in (la, east) if n % 3 == 0 else (la,):
                moved = self.days_ago(0, 120)
                on_hand = self.rng.randint(1, 400)
                reserved = self.rng.randint(0, on_hand // 4)
                level = self.add(
                    levels,
                    moved,
                    center,
                    variant,
                    on_hand,
                    reserved,
                    0,
                    f"{'ABCDEF'[n % 6]}-{n % 40:02d}-{n % 5}",
                    self.rng.choice((None, 20, 50)),
                    self.rng.choice((None, 300)),
                    Decimal(cents // 3).scaleb(-2),
                    moved,
                )
                start = (self.new_id(), moved, level, center, variant)
                ledger.rows.append(
                    (*start, "STOCK_IN", on_hand, on_hand, 0, 0, on_hand, 0, 0, "INBOUND_SHIPMENT")
                )
                if reserved:
                    again = (self.new_id(), moved, level, center, variant)
                    ledger.rows.append(
                        (*again, "RESERVE", reserved, 0, reserved, 0, on_hand, reserved, 0, "ORDER")
                    )
        self.tables["inventory_transactions"] = ledger

    def _variant_of(
        self, variants: list[tuple[uuid.UUID, str, int]], family_index: int
    ) -> tuple[uuid.UUID, str, int]:
        per_family = PRODUCTS_PER_FAMILY * len(COLOURS) * len(SIZES_OF_GARMENT)
        return variants[family_index * per_family + self.rng.randrange(per_family)]


# -- loading -------------------------------------------------------------------------------------


async def current_marker(url: str) -> str | None:
    """The dataset marker on the database, or None (no database, no dataset)."""
    try:
        conn = await asyncpg.connect(asyncpg_dsn(url))
    except asyncpg.InvalidCatalogNameError:
        return None
    try:
        marker: str | None = await conn.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
            " WHERE datname = current_database()"
        )
        return marker
    finally:
        await conn.close()


async def reset_schema(url: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()
    engine = create_async_engine(sqlalchemy_url(url))
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def _chunks(rows: Sequence[tuple[Any, ...]], size: int) -> Iterator[Sequence[tuple[Any, ...]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


async def load(url: str, tables: Sequence[Table], spec: Spec) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = sum(len(table.rows) for table in tables)
        async with conn.transaction():
            with Steps("COPY rows", total=rows) as copied:
                for table in tables:
                    for chunk in _chunks(table.rows, 50_000):
                        await conn.copy_records_to_table(
                            table.name, records=chunk, columns=list(table.columns)
                        )
                        copied.advance(len(chunk))
        await conn.execute("ANALYZE")
        name = await conn.fetchval("SELECT current_database()")
        await conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{spec.marker}'")
    finally:
        await conn.close()


async def build(url: str, spec: Spec, *, quiet: bool = False) -> dict[str, int]:
    """Create (if missing), reset, migrate and load the database; rows per table."""
    started = time.perf_counter()
    await ensure_database(sqlalchemy_url(url))
    await reset_schema(url)
    migrated = time.perf_counter()
    tables = Generator(spec).build()
    generated = time.perf_counter()
    await load(url, tables, spec)
    loaded = time.perf_counter()
    if not quiet:
        print(
            f"dataset {spec.marker}: migrate {migrated - started:.1f} s, "
            f"generate {generated - migrated:.1f} s, COPY+ANALYZE {loaded - generated:.1f} s"
        )
    return {table.name: len(table.rows) for table in tables}


async def ensure(url: str, spec: Spec, *, reuse: bool) -> None:
    """Build the dataset unless `reuse` and the database already holds exactly this one."""
    if reuse and await current_marker(url) == spec.marker:
        print(f"dataset {spec.marker}: reused")
        return
    await build(url, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=tuple(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=date.fromisoformat, default=datetime.now(UTC).date())
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    counts = asyncio.run(build(args.database_url, Spec(args.size, args.seed, args.today)))
    for name, count in counts.items():
        print(f"  {name:30} {count:>9,}")


if __name__ == "__main__":
    main()
