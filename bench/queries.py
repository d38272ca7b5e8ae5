"""Dashboard queries under load: OpsGraph against the floor and against PostGraphile.

    uv run python bench/queries.py [--size small|medium|large] [--seconds 5] [--rounds 3]
        [--warmup 2] [--concurrency 16] [--workers 1]
        [--operations ops-board,inventory-board,order,dashboard,transition]
        [--reuse-dataset] [--no-postgraphile] [--check-only] [--database-url URL]
        [--redis-url URL]

What it does, all in one run on this machine (localhost only):

1. Builds the dataset (`bench/dataset.py`, PostgreSQL `opsgraph_bench7` by default) at
   `--size`, or reuses it with `--reuse-dataset` when the database holds exactly that one.
2. Starts, each as its own process: OpsGraph (`uvicorn app:create_app --factory`, production
   settings, rate and cost limits out of the way, a private redis-server unless --redis-url);
   the floor (`bench/floor.py`, asyncpg + orjson, the ops board's JSON by hand); PostGraphile
   v4 (`bench/postgraphile`, `npm ci` on first use) over the same database. With
   `--workers N` (N > 1) each runs as N processes, as each would be served in production:
   uvicorn's `--workers N` for OpsGraph (what `app.py --workers N` runs) and the floor,
   PostGraphile's `--cluster-workers N`.
3. Checks before measuring: OpsGraph's ops board answer and the floor's are equal (same data,
   IDs, formats); PostGraphile's answers hold the same rows (same jobs in the same order with
   the same lines, and the same order with its lines, jobs and notes), since its IDs and
   names differ. It counts SQL statements per request of each operation on each server
   (OpsGraph: a second instance with OPSGRAPH_DEBUG_SQL=1; PostGraphile: a second instance
   logging its queries; the floor: by construction), at several variable sets, and prints
   each operation's cost. A check that fails stops the run.
4. Measures each operation on each server in turn, for `--rounds` rounds: `--concurrency`
   clients sending requests back to back for `--seconds` (after `--warmup` unmeasured) on
   one server, then the next, and round again. It pools each server's rounds and prints
   requests/s, latency p50/p95/p99 and mean, CPU per request of the server's processes and
   of the PostgreSQL backends serving it, SQL statements per request, and the ratios to each
   comparator against the targets of issue #7 (the req/s ratio also round by round).

Operations: the ops board (100 jobs with manufacturer, order and lines → variant → product
→ family; admin); the 3PL's inventory board (100 levels, most on hand first, with center and
variant → product → family; admin); one order with everything (lines, jobs, their lines and notes; a
different order each request; admin); a manufacturer's dashboard (stats and urgent jobs;
each client a different manufacturer); a job transition (NEW ⇄ ACCEPTED, each client its
own jobs; admin). The floor serves the two boards; PostGraphile the three reads (its
default mutations are disabled and it has no dashboard aggregates).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # type: ignore[import-untyped]  # noqa: E402
import httpx  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402

from auth.permissions import Role  # noqa: E402
from auth.tokens import issue  # noqa: E402
from bench import dataset  # noqa: E402
from bench.measure import cpu_seconds, percentile, tree_cpu_seconds  # noqa: E402
from resolvers.ids import decode_id, encode_id  # noqa: E402
from settings import AuthSettings, FilesSettings, Settings  # noqa: E402
from tests.support.live import free_port, process_environment  # noqa: E402
from tests.support.private_redis import PrivateRedis, running_private_redis  # noqa: E402

POSTGRAPHILE_DIR = ROOT / "bench" / "postgraphile"
OPSGRAPH, FLOOR, POSTGRAPHILE = "opsgraph", "floor", "postgraphile"
# Local only, nothing written to disk.

# -- the operations ------------------------------------------------------------------------------

OPS_BOARD = """query OpsBoard {
  manufacturingJobs(first: 100) { edges { node {
    id jobNumber status dueDate quantity
    manufacturer { id name }
    order { id reference status total { amount currency } }
    items {
      quantity size technique
      variant { id sku price { amount currency }
        product { id name family { id code name } } }
    }
  } } }
}"""
# The same rows in PostGraphile's default naming; its `id` is the column (a UUID).
PG_OPS_BOARD = """query OpsBoard {
  allManufacturingJobs(first: 100, orderBy: [DUE_DATE_ASC, JOB_NUMBER_ASC, ID_ASC]) { edges { node {
    id jobNumber status dueDate quantity
    manufacturerByManufacturerId { id name }
    orderByOrderId { id reference status total currency }
    manufacturingJobItemsByJobIdList {
      quantity
      orderItemByOrderItemId { size technique
        variantByVariantId { id sku price
          productByProductId { id name productFamilyByProductFamilyId { id code name } } } }
    }
  } } }
}"""
# The 3PL's inventory board: 100 levels, most on hand first, each with its center and
# variant → product → family (issue 26).
INVENTORY_BOARD = """query InventoryBoard {
  inventoryLevels(first: 100, orderBy: [{field: ON_HAND, direction: DESC}]) { edges { node {
    id onHand reserved incoming available binLocation reorderPoint
    costPerUnit { amount currency }
    center { id code name }
    variant { id sku product { id name family { id code name } } }
  } } }
}"""
PG_INVENTORY_BOARD = """query InventoryBoard {
  allInventoryLevels(first: 100, orderBy: [ON_HAND_DESC, ID_DESC]) { edges { node {
    id onHand reserved incoming binLocation reorderPoint costPerUnit
    fulfillmentCenterByFulfillmentCenterId { id code name }
    variantByVariantId { id sku
      productByProductId { id name productFamilyByProductFamilyId { id code name } } }
  } } }
}"""
ORDER = """query OrderWithEverything($id: ID!) {
  order(id: $id) {
    id reference status priority total { amount currency } createdAt
    customer { id name email }
    lineItems { id position quantity size technique unitPrice { amount currency }
      variant { id sku title product { id name family { id code name } } } }
    jobs { id jobNumber status dueDate quantity
      manufacturer { id name country }
      items { quantity size }
      jobNotes { id content authorRole createdAt } }
    events { status orderStatus message occurredAt }
  }
}"""
PG_ORDER = """query OrderWithEverything($id: UUID!) {
  orderById(id: $id) {
    id reference status priority total currency createdAt
    customerByCustomerId { id name email }
    orderItemsByOrderIdList(orderBy: POSITION_ASC) {
      id position quantity size technique unitPrice
      variantByVariantId { id sku title
        productByProductId { id name productFamilyByProductFamilyId { id code name } } } }
    manufacturingJobsByOrderIdList(orderBy: JOB_NUMBER_ASC) { id jobNumber status dueDate quantity
      manufacturerByManufacturerId { id name country }
      manufacturingJobItemsByJobIdList { quantity orderItemByOrderItemId { size } }
      jobNotesByJobIdList(orderBy: [CREATED_AT_ASC, ID_ASC]) { id content authorRole createdAt } }
    fulfillmentEventsByOrderIdList { status orderStatus message occurredAt }
  }
}"""
DASHBOARD = """query ManufacturerDashboard {
  dashboard {
    today
    stats { activeJobs dueThisWeek overdueCount jobsByStatus { status count } }
    urgentJobs(limit: 5) { id jobNumber status dueDate daysUntilDue }
  }
}"""
TRANSITION = """mutation Transition($input: TransitionJobInput!) {
  transitionJob(input: $input) { job { id status version } errors { code message } }
}"""

Headers = dict[str, str]
# What one request sends: headers and the JSON body. (client number, request number) -> it.
Request = tuple[Headers, bytes]
RequestMaker = Callable[[int, int], Request]


def _body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return json.dumps({"query": query, "variables": variables or {}}).encode()


def _no_errors(body: bytes) -> bool:
    """A query answer without errors (a substring test: parsing every answer would load
    the client, which shares the machine with the servers)."""
    return b'"errors"' not in body


def _mutation_applied(body: bytes) -> bool:
    answer = json.loads(body)
    payload = (answer.get("data") or {}).get("transitionJob") or {}
    return not answer.get("errors") and payload.get("errors") == []


@dataclass(frozen=True)
class Fixtures:
    """IDs the operations pick from, read from the dataset."""

    orders: list[uuid.UUID]
    manufacturers: list[uuid.UUID]
    new_jobs: list[uuid.UUID]

    @classmethod
    async def read(cls, url: str, seed: int) -> Fixtures:
        conn = await asyncpg.connect(dataset.asyncpg_dsn(url))
        try:
            orders = [r["id"] for r in await conn.fetch("SELECT id FROM orders ORDER BY id")]
            makers = await conn.fetch("SELECT id FROM manufacturers ORDER BY name")
            jobs = await conn.fetch(
                "SELECT id FROM manufacturing_jobs WHERE status = 'NEW' AND NOT on_hold"
                " ORDER BY job_number"
            )
        finally:
            await conn.close()
        # The same orders in the same (seeded) order for every server.
        random.Random(seed).shuffle(orders)
        return cls(orders, [r["id"] for r in makers], [r["id"] for r in jobs])


@dataclass
class Operation:
    """One benchmarked operation: how each server is asked for it."""

    name: str
    makers: dict[str, RequestMaker]
    succeeded: Callable[[bytes], bool] = _no_errors


def operations(fixtures: Fixtures, auth: AuthSettings, concurrency: int) -> list[Operation]:
    admin = {"authorization": "Bearer " + issue(auth, role=Role.ADMIN, subject="bench-admin")}
    json_headers = {"content-type": "application/json"}
    admin_json = admin | json_headers

    def constant(headers: Headers, body: bytes) -> RequestMaker:
        return lambda client, number: (headers, body)

    def order(client: int, number: int) -> Request:
        pk = fixtures.orders[(number * concurrency + client) % len(fixtures.orders)]
        return admin_json, _body(ORDER, {"id": encode_id("Order", pk)})

    def pg_order(client: int, number: int) -> Request:
        pk = fixtures.orders[(number * concurrency + client) % len(fixtures.orders)]
        return json_headers, _body(PG_ORDER, {"id": str(pk)})

    dashboard_headers = [
        json_headers
        | {
            "authorization": "Bearer "
            + issue(auth, role=Role.MANUFACTURER, subject=f"maker-{pk}", manufacturer_id=pk)
        }
        for pk in fixtures.manufacturers
    ]
    dashboard_body = _body(DASHBOARD)

    def dashboard(client: int, number: int) -> Request:
        return dashboard_headers[(client + number) % len(dashboard_headers)], dashboard_body

    return [
        Operation(
            "ops-board",
            {
                OPSGRAPH: constant(admin_json, _body(OPS_BOARD)),
                FLOOR: constant(json_headers, _body(OPS_BOARD)),
                POSTGRAPHILE: constant(json_headers, _body(PG_OPS_BOARD)),
            },
        ),
        Operation(
            "inventory-board",
            {
                OPSGRAPH: constant(admin_json, _body(INVENTORY_BOARD)),
                FLOOR: constant(json_headers, _body(INVENTORY_BOARD)),
                POSTGRAPHILE: constant(json_headers, _body(PG_INVENTORY_BOARD)),
            },
        ),
        Operation("order", {OPSGRAPH: order, POSTGRAPHILE: pg_order}),
        Operation("dashboard", {OPSGRAPH: dashboard}),
        Operation(
            "transition",
            {OPSGRAPH: Transitions(fixtures.new_jobs, admin_json, concurrency).request},
            _mutation_applied,
        ),
    ]


class Transitions:
    """Job moves NEW → ACCEPTED → NEW ... Each client owns its own jobs (no two clients race
    for one) and cycles through them, so every move is allowed whatever the run length."""

    def __init__(self, jobs: Sequence[uuid.UUID], headers: Headers, concurrency: int) -> None:
        if len(jobs) < concurrency:
            raise SystemExit(f"the transition needs {concurrency} NEW jobs, found {len(jobs)}")
        self.headers = headers
        self.owned = [list(jobs[client::concurrency]) for client in range(concurrency)]
        self.accepted: set[uuid.UUID] = set()
        self.completion = (datetime.now(UTC).date() + timedelta(days=14)).isoformat()

    def request(self, client: int, number: int) -> Request:
        jobs = self.owned[client]
        pk = jobs[number % len(jobs)]
        move: dict[str, Any] = {"id": encode_id("ManufacturingJob", pk)}
        if pk in self.accepted:
            self.accepted.discard(pk)
            move["status"] = "NEW"
        else:
            self.accepted.add(pk)
            move |= {"status": "ACCEPTED", "estimatedCompletionDate": self.completion}
        return self.headers, _body(TRANSITION, {"input": move})


# -- the servers -------------------------------------------------------------------------------


class Service:
    """A server in its own process, on a free local port, logging to a file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{name}.log"
        command = [part.replace("{port}", str(self.port)) for part in command]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def ready(self, probe: Callable[[httpx.AsyncClient], Any], within: float = 90) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=5) as http:
            async with asyncio.timeout(within):
                while True:
                    if self.process.poll() is not None:
                        raise SystemExit(f"{self.name} exited at start-up; see {self.log_path}")
                    with contextlib.suppress(httpx.TransportError):
                        if (await probe(http)).status_code == 200:
                            return
                    await asyncio.sleep(0.2)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _uvicorn(factory: str, workers: int = 1) -> list[str]:
    return [
        *(sys.executable, "-m", "uvicorn", factory, "--factory"),
        *("--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning", "--no-access-log"),
        *(("--workers", str(workers)) if workers > 1 else ()),
    ]


def _readyz(http: httpx.AsyncClient) -> Any:
    return http.get("/readyz")


def _graphql_typename(http: httpx.AsyncClient) -> Any:
    return http.post("/graphql", json={"query": "{ __typename }"})


def bench_settings(url: str, redis_url: str | None) -> Settings:
    """The app's database, Redis and fresh secrets (the bench signs its tokens with them)."""
    return Settings(
        database_url=dataset.sqlalchemy_url(url),
        redis_url=redis_url,
        auth=AuthSettings(jwt_secret=secrets.token_urlsafe(48)),
        encryption_keys=(Fernet.generate_key().decode(),),
        # Production refuses to start without a key for signing download links.
        files=FilesSettings(signing_key=secrets.token_urlsafe(48)),
    )


def opsgraph_environment(settings: Settings, log_dir: Path) -> dict[str, str]:
    return process_environment(settings, log_dir) | {
        "OPSGRAPH_ENV": "production",
        # The bench measures serving, not refusing: limits far above what it sends.
        "OPSGRAPH_RATE_LIMIT_PER_MINUTE": str(10**12),
        "OPSGRAPH_MAX_QUERY_COST": str(10**6),
    }


def ensure_postgraphile() -> Path:
    """PostGraphile's CLI, installed from the committed lock file on first use."""
    binary = POSTGRAPHILE_DIR / "node_modules" / ".bin" / "postgraphile"
    installed = POSTGRAPHILE_DIR / "node_modules" / ".package-lock.json"
    lock = POSTGRAPHILE_DIR / "package-lock.json"
    current = installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime
    if not (binary.exists() and current):
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("PostGraphile needs node and npm (or pass --no-postgraphile)")
        print("installing PostGraphile (npm ci in bench/postgraphile) ...")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=POSTGRAPHILE_DIR,
            check=True,
        )
    return binary


def postgraphile_command(binary: Path, url: str, workers: int = 1) -> list[str]:
    return [
        str(binary),
        *("--connection", dataset.asyncpg_dsn(url), "--schema", "public"),
        *("--host", "127.0.0.1", "--port", "{port}"),
        *("--disable-default-mutations", "--simple-collections", "both"),
        *("--disable-query-log", "--disable-graphiql"),
        *(("--cluster-workers", str(workers)) if workers > 1 else ()),
    ]


@dataclass
class Servers:
    """The servers measured (by target name) and the instances that only count SQL."""

    measured: dict[str, Service] = field(default_factory=dict)
    counting: dict[str, Service] = field(default_factory=dict)

    def all(self) -> Iterator[Service]:
        yield from self.measured.values()
        yield from self.counting.values()


def private_redis() -> contextlib.AbstractAsyncContextManager[PrivateRedis]:
    """A throwaway redis-server: the rate limiter's budgets and pub/sub, nobody else's."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise SystemExit("redis-server is not on PATH: pass --redis-url")
    return running_private_redis(executable)


@contextlib.asynccontextmanager
async def servers(
    args: argparse.Namespace, settings: Settings, log_dir: Path
) -> AsyncIterator[Servers]:
    running = Servers()
    app_env = opsgraph_environment(settings, log_dir)
    floor_env = os.environ | {"DATABASE_URL": dataset.asyncpg_dsn(args.database_url)}
    node_env = os.environ | {"NODE_ENV": "production"}
    try:
        # Measured servers run `--workers` processes each; the counting ones only count SQL.
        workers = args.workers
        running.measured[OPSGRAPH] = Service(
            OPSGRAPH, _uvicorn("app:create_app", workers), app_env, log_dir
        )
        running.counting[OPSGRAPH] = Service(
            "opsgraph-debug-sql",
            _uvicorn("app:create_app"),
            app_env | {"OPSGRAPH_DEBUG_SQL": "1"},
            log_dir,
        )
        running.measured[FLOOR] = Service(
            FLOOR, _uvicorn("bench.floor:create_app", workers), floor_env, log_dir
        )
        probes: dict[str, Callable[[httpx.AsyncClient], Any]] = {}
        if not args.no_postgraphile:
            binary = ensure_postgraphile()
            command = postgraphile_command(binary, args.database_url, workers)
            running.measured[POSTGRAPHILE] = Service(POSTGRAPHILE, command, node_env, log_dir)
            running.counting[POSTGRAPHILE] = Service(
                "postgraphile-query-log",
                postgraphile_command(binary, args.database_url),
                node_env | {"DEBUG": "postgraphile:postgres"},
                log_dir,
            )
            probes = {POSTGRAPHILE: _graphql_typename, "postgraphile-query-log": _graphql_typename}
        await asyncio.gather(
            *(service.ready(probes.get(service.name, _readyz)) for service in running.all())
        )
        yield running
    finally:
        for service in running.all():
            service.stop()


def stop_counting(running: Servers) -> None:
    """The counting instances are only for the checks: stopped before anything is timed."""
    for service in running.counting.values():
        service.stop()


# -- checks: same answers, SQL statements per request ------------------------------------------


class CheckFailed(SystemExit):
    pass


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two JSON values first differ, as a path, or None when they are equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: present in only one"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items against {len(b)}"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} against {b!r}"


def _uuid_of(global_id: str) -> str:
    return str(decode_id(global_id)[1])


def opsgraph_board_rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The ops board as comparable rows: one per job, lines as a sorted tuple."""
    rows = []
    for edge in data["manufacturingJobs"]["edges"]:
        job = edge["node"]
        lines = sorted(
            (item["quantity"], item["size"], item["variant"]["sku"]) for item in job["items"]
        )
        maker = job["manufacturer"]
        rows.append(
            (
                _uuid_of(job["id"]),
                job["jobNumber"],
                job["status"],
                job["dueDate"],
                job["quantity"],
                maker and maker["name"],
                job["order"]["reference"],
                job["order"]["total"]["amount"],
                tuple(lines),
            )
        )
    return rows


def postgraphile_board_rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for edge in data["allManufacturingJobs"]["edges"]:
        job = edge["node"]
        lines = sorted(
            (
                item["quantity"],
                item["orderItemByOrderItemId"]["size"],
                item["orderItemByOrderItemId"]["variantByVariantId"]["sku"],
            )
            for item in job["manufacturingJobItemsByJobIdList"]
        )
        maker = job["manufacturerByManufacturerId"]
        rows.append(
            (
                job["id"],
                job["jobNumber"],
                job["status"],
                job["dueDate"],
                job["quantity"],
                maker and maker["name"],
                job["orderByOrderId"]["reference"],
                job["orderByOrderId"]["total"],
                tuple(lines),
            )
        )
    return rows


def opsgraph_order_rows(data: dict[str, Any]) -> tuple[Any, ...]:
    order = data["order"]
    lines = order["lineItems"]
    return (
        _uuid_of(order["id"]),
        order["reference"],
        [(line["position"], line["quantity"], line["variant"]["sku"]) for line in lines],
        [
            (job["jobNumber"], len(job["items"]), [note["content"] for note in job["jobNotes"]])
            for job in order["jobs"]
        ],
    )


def opsgraph_inventory_rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            _uuid_of(level["id"]),
            level["onHand"],
            level["reserved"],
            level["binLocation"],
            level["center"]["code"],
            level["variant"]["sku"],
            level["variant"]["product"]["family"]["code"],
        )
        for level in (e["node"] for e in data["inventoryLevels"]["edges"])
    ]


def postgraphile_inventory_rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            level["id"],
            level["onHand"],
            level["reserved"],
            level["binLocation"],
            level["fulfillmentCenterByFulfillmentCenterId"]["code"],
            level["variantByVariantId"]["sku"],
            level["variantByVariantId"]["productByProductId"]["productFamilyByProductFamilyId"][
                "code"
            ],
        )
        for level in (e["node"] for e in data["allInventoryLevels"]["edges"])
    ]


def postgraphile_order_rows(data: dict[str, Any]) -> tuple[Any, ...]:
    order = data["orderById"]
    return (
        order["id"],
        order["reference"],
        [
            (line["position"], line["quantity"], line["variantByVariantId"]["sku"])
            for line in order["orderItemsByOrderIdList"]
        ],
        [
            (
                job["jobNumber"],
                len(job["manufacturingJobItemsByJobIdList"]),
                [note["content"] for note in job["jobNotesByJobIdList"]],
            )
            for job in order["manufacturingJobsByOrderIdList"]
        ],
    )


async def _post(url: str, request: Request) -> httpx.Response:
    headers, body = request
    async with httpx.AsyncClient(timeout=60) as http:
        return await http.post(url + "/graphql", headers=headers, content=body)


async def _answer(url: str, request: Request) -> dict[str, Any]:
    response = await _post(url, request)
    answer: dict[str, Any] = response.json()
    if response.status_code != 200 or answer.get("errors") or answer.get("data") is None:
        raise CheckFailed(f"{url} answered {response.status_code}: {response.text[:500]}")
    return answer


@dataclass
class CheckReport:
    """Per operation and target: SQL statements per request (every sample), and the cost."""

    statements: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    costs: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _postgraphile_statements(log: str) -> int:
    return sum(1 for line in log.splitlines() if " postgraphile:postgres " in line)


async def check(
    running: Servers, ops: Sequence[Operation], samples: int, concurrency: int
) -> CheckReport:
    report = CheckReport()
    counting = running.counting[OPSGRAPH]
    board = next((op for op in ops if op.name == "ops-board"), None)
    if board is not None:
        app_board = await _answer(counting.url, board.makers[OPSGRAPH](0, 0))
        floor_response = await _post(running.measured[FLOOR].url, board.makers[FLOOR](0, 0))
        difference = first_difference(app_board["data"], floor_response.json()["data"])
        if difference:
            raise CheckFailed(f"the floor's ops board differs from OpsGraph's at {difference}")
        jobs = len(app_board["data"]["manufacturingJobs"]["edges"])
        lines = sum(
            len(e["node"]["items"]) for e in app_board["data"]["manufacturingJobs"]["edges"]
        )
        report.notes.append(
            f"ops board: OpsGraph and the floor answer the same data ({jobs} jobs, {lines} lines, "
            f"{len(floor_response.content):,} bytes from the floor)"
        )
        report.statements[board.name, FLOOR] = [int(floor_response.headers["x-sql-statements"])]
    inventory = next((op for op in ops if op.name == "inventory-board"), None)
    if inventory is not None:
        app_levels = await _answer(counting.url, inventory.makers[OPSGRAPH](0, 0))
        floor_levels = await _post(running.measured[FLOOR].url, inventory.makers[FLOOR](0, 0))
        difference = first_difference(app_levels["data"], floor_levels.json()["data"])
        if difference:
            raise CheckFailed(
                f"the floor's inventory board differs from OpsGraph's at {difference}"
            )
        levels = len(app_levels["data"]["inventoryLevels"]["edges"])
        report.notes.append(
            f"inventory board: OpsGraph and the floor answer the same data ({levels} levels, "
            f"{len(floor_levels.content):,} bytes from the floor)"
        )
        report.statements[inventory.name, FLOOR] = [int(floor_levels.headers["x-sql-statements"])]

    for op in ops:
        counts = report.statements.setdefault((op.name, OPSGRAPH), [])
        for number in range(samples):
            answer = await _answer(counting.url, op.makers[OPSGRAPH](number % concurrency, number))
            if not op.succeeded(json.dumps(answer).encode()):
                raise CheckFailed(f"{op.name} on OpsGraph: {json.dumps(answer)[:500]}")
            counts.append(answer["extensions"]["debug"]["sqlStatements"])
            report.costs[op.name] = answer["extensions"]["cost"]["requested"]

    if POSTGRAPHILE in running.measured:
        await _check_postgraphile(running, ops, samples, concurrency, report)
    return report


async def _check_postgraphile(
    running: Servers,
    ops: Sequence[Operation],
    samples: int,
    concurrency: int,
    report: CheckReport,
) -> None:
    logged = running.counting[POSTGRAPHILE]
    app = running.counting[OPSGRAPH]
    convert = {
        "ops-board": (opsgraph_board_rows, postgraphile_board_rows),
        "order": (opsgraph_order_rows, postgraphile_order_rows),
        "inventory-board": (opsgraph_inventory_rows, postgraphile_inventory_rows),
    }
    for op in ops:
        if POSTGRAPHILE not in op.makers:
            continue
        ours, theirs = convert[op.name]
        counts = report.statements.setdefault((op.name, POSTGRAPHILE), [])
        for number in range(samples):
            before = _postgraphile_statements(logged.log())
            answer = await _answer(
                logged.url, op.makers[POSTGRAPHILE](number % concurrency, number)
            )
            await asyncio.sleep(0.2)  # the log line is written after the answer
            counts.append(_postgraphile_statements(logged.log()) - before)
            expected = await _answer(app.url, op.makers[OPSGRAPH](number % concurrency, number))
            if ours(expected["data"]) != theirs(answer["data"]):
                raise CheckFailed(
                    f"{op.name}: PostGraphile's rows differ from OpsGraph's (request {number})"
                )
        report.notes.append(f"{op.name}: PostGraphile answers the same rows as OpsGraph")


# -- load ----------------------------------------------------------------------------------------


@dataclass
class DatabaseUsage:
    seconds: float = 0.0
    # Backends that connected during the window: a pool that opens connections under load.
    connected: int = 0


class DatabaseCpu:
    """CPU time of the PostgreSQL backends serving the bench database (same machine), over a
    window. Sampled every 0.2 s: a backend that connects during the window counts from zero,
    one that exits loses only what it used after its last sample (so this is a lower bound
    for a server whose pool opens and closes connections)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def _sample(self) -> dict[int, float]:
        rows = await self.conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        seen = {}
        for row in rows:
            with contextlib.suppress(OSError):
                seen[row["pid"]] = cpu_seconds(row["pid"])
        return seen

    @contextlib.asynccontextmanager
    async def window(self) -> AsyncIterator[DatabaseUsage]:
        baseline = await self._sample()
        latest = dict(baseline)
        done = asyncio.Event()

        async def poll() -> None:
            while not done.is_set():
                latest.update(await self._sample())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(done.wait(), 0.2)

        task = asyncio.create_task(poll())
        usage = DatabaseUsage()
        try:
            yield usage
        finally:
            done.set()
            await task
            latest.update(await self._sample())
            usage.seconds = sum(cpu - baseline.get(pid, 0.0) for pid, cpu in latest.items())
            usage.connected = len(set(latest) - set(baseline))


@dataclass
class Measurement:
    operation: str
    target: str
    seconds: float
    latencies: list[float]
    failures: int
    server_cpu: float
    database: DatabaseUsage
    client_cpu: float

    @classmethod
    def pooled(cls, rounds: Sequence[Measurement]) -> Measurement:
        """One target's rounds as one measurement: their requests over their time."""
        first = rounds[0]
        return cls(
            first.operation,
            first.target,
            seconds=sum(m.seconds for m in rounds),
            latencies=[latency for m in rounds for latency in m.latencies],
            failures=sum(m.failures for m in rounds),
            server_cpu=sum(m.server_cpu for m in rounds),
            database=DatabaseUsage(
                sum(m.database.seconds for m in rounds), sum(m.database.connected for m in rounds)
            ),
            client_cpu=sum(m.client_cpu for m in rounds),
        )

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        return percentile(sorted(self.latencies), share)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.latencies) if self.latencies else 0.0

    def cpu_per_request(self, seconds: float) -> float:
        return seconds / self.requests if self.requests else 0.0


async def drive(
    url: str,
    make: RequestMaker,
    succeeded: Callable[[bytes], bool],
    concurrency: int,
    seconds: float,
    latencies: list[float] | None,
) -> int:
    """`concurrency` clients sending back to back until `seconds` pass; failures."""
    failures = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    deadline = time.perf_counter() + seconds
    # Each client keeps counting where it is, across warm-up and measurement alike.
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:

        async def client(number: int) -> None:
            nonlocal failures
            sent = 0
            while time.perf_counter() < deadline:
                headers, body = make(number, sent)
                sent += 1
                started = time.perf_counter()
                response = await http.post("/graphql", headers=headers, content=body)
                elapsed = time.perf_counter() - started
                if response.status_code != 200 or not succeeded(response.content):
                    failures += 1
                elif latencies is not None:
                    latencies.append(elapsed)

        await asyncio.gather(*(client(n) for n in range(concurrency)))
    return failures


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(
    op: Operation,
    target: str,
    service: Service,
    database: DatabaseCpu,
    args: argparse.Namespace,
) -> Measurement:
    make = op.makers[target]
    # Warm-up clients continue their request numbering in the measured phase.
    offset = 1_000_000

    def measured(client: int, number: int) -> Request:
        return make(client, number + offset)

    if args.warmup > 0:
        await drive(service.url, make, op.succeeded, args.concurrency, args.warmup, None)
    latencies: list[float] = []
    cpu = tree_cpu_seconds(service.process.pid)
    own = _own_cpu()
    async with database.window() as usage:
        started = time.perf_counter()
        failures = await drive(
            service.url, measured, op.succeeded, args.concurrency, args.seconds, latencies
        )
        elapsed = time.perf_counter() - started
    return Measurement(
        op.name,
        target,
        elapsed,
        latencies,
        failures,
        server_cpu=tree_cpu_seconds(service.process.pid) - cpu,
        database=usage,
        client_cpu=_own_cpu() - own,
    )


# -- report --------------------------------------------------------------------------------------


def _statements(counts: Sequence[int] | None) -> str:
    if not counts:
        return "-"
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}-{high}"


def print_checks(report: CheckReport) -> None:
    for note in report.notes:
        print(f"check: {note}")
    for name, cost in report.costs.items():
        print(f"OpsGraph cost of {name}: {cost}")
    for (name, target), counts in report.statements.items():
        print(f"SQL statements per request, {name} on {target}: {_statements(counts)} {counts}")


def print_operation(
    name: str,
    rounds: dict[str, list[Measurement]],
    report: CheckReport,
    args: argparse.Namespace,
) -> None:
    ms = 1000.0
    results = [Measurement.pooled(measured) for measured in rounds.values()]
    print(
        f"\n{name} ({args.size}, {args.concurrency} concurrent, "
        f"{args.rounds} rounds of {args.seconds:g} s each, taking turns, "
        f"{args.workers} process{'es' if args.workers > 1 else ''} per server)"
    )
    print(
        f"  {'target':13} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'mean ms':>8} {'srv CPU':>8} {'db CPU':>8} {'SQL/req':>8} {'failed':>6} {'new conns':>9}"
    )
    for m in results:
        print(
            f"  {m.target:13} {m.per_second:8.1f} {m.percentile(0.5) * ms:8.1f} "
            f"{m.percentile(0.95) * ms:8.1f} {m.percentile(0.99) * ms:8.1f} {m.mean * ms:8.1f} "
            f"{m.cpu_per_request(m.server_cpu) * ms:8.2f} "
            f"{m.cpu_per_request(m.database.seconds) * ms:8.2f} "
            f"{_statements(report.statements.get((name, m.target))):>8} {m.failures:6d} "
            f"{m.database.connected:9d}"
        )
    by_target = {m.target: m for m in results}
    ours = by_target.get(OPSGRAPH)
    if ours is None or not ours.requests:
        return
    floor, theirs = by_target.get(FLOOR), by_target.get(POSTGRAPHILE)
    if floor is not None and floor.requests:
        cpu_ratio = ours.cpu_per_request(ours.server_cpu) / floor.cpu_per_request(floor.server_cpu)
        print(
            f"  vs floor: mean time per request {ours.mean / floor.mean:.2f}x the floor's "
            f"(target <= 3x), req/s {ours.per_second / floor.per_second:.2f}, "
            f"server CPU per request {cpu_ratio:.2f}x"
        )
    if theirs is not None and theirs.requests:
        print(
            f"  vs PostGraphile: req/s ratio {ours.per_second / theirs.per_second:.2f} "
            f"(target >= 1.0), p99 {ours.percentile(0.99) / theirs.percentile(0.99):.2f}x "
            f"(target <= 2x), p50 {ours.percentile(0.5) / theirs.percentile(0.5):.2f}x"
        )
        each = [
            f"{o.per_second / t.per_second:.2f}"
            for o, t in zip(rounds[OPSGRAPH], rounds[POSTGRAPHILE], strict=True)
            if t.requests
        ]
        print(f"  req/s ratio to PostGraphile round by round: {', '.join(each)}")
    client_share = max(m.client_cpu / m.seconds for m in results)
    print(f"  load generator CPU: up to {client_share:.0%} of one core")


# -- main ----------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> None:
    spec = dataset.Spec(args.size, args.seed, args.today)
    await dataset.ensure(args.database_url, spec, reuse=args.reuse_dataset)
    fixtures = await Fixtures.read(args.database_url, args.seed)
    wanted = args.operations.split(",")
    log_dir = Path(tempfile.mkdtemp(prefix="opsgraph-bench-queries-"))
    print(f"logs: {log_dir}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    async with contextlib.AsyncExitStack() as stack:
        redis_url = args.redis_url or (await stack.enter_async_context(private_redis())).url
        settings = bench_settings(args.database_url, redis_url)
        ops = [
            op for op in operations(fixtures, settings.auth, args.concurrency) if op.name in wanted
        ]
        running = await stack.enter_async_context(servers(args, settings, log_dir))
        report = await check(running, ops, args.samples, args.concurrency)
        stop_counting(running)
        print_checks(report)
        if args.check_only:
            return
        monitor = await asyncpg.connect(dataset.asyncpg_dsn(args.database_url))
        stack.push_async_callback(monitor.close)
        for op in ops:
            targets = [target for target in op.makers if target in running.measured]
            # Targets take turns, round after round: a machine whose speed drifts during the
            # run (this one's cores are shared) weighs on each target alike.
            rounds: dict[str, list[Measurement]] = {target: [] for target in targets}
            for _ in range(args.rounds):
                for target in targets:
                    service = running.measured[target]
                    rounds[target].append(
                        await measure(op, target, service, DatabaseCpu(monitor), args)
                    )
            print_operation(op.name, rounds, report, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=tuple(dataset.SIZES), default="small")
    parser.add_argument("--seed", type=int, default=dataset.DEFAULT_SEED)
    parser.add_argument("--today", type=date.fromisoformat, default=datetime.now(UTC).date())
    parser.add_argument("--database-url", default=dataset.DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=None, help="default: a private redis-server")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured, per round")
    parser.add_argument("--rounds", type=int, default=3, help="turns each server takes")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured, before each")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=1, help="processes per measured server (default 1)"
    )
    parser.add_argument(
        "--operations", default="ops-board,inventory-board,order,dashboard,transition"
    )
    parser.add_argument("--samples", type=int, default=3, help="requests per check")
    parser.add_argument("--reuse-dataset", action="store_true")
    parser.add_argument("--no-postgraphile", action="store_true")
    parser.add_argument("--check-only", action="store_true", help="check and count SQL; no load")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
