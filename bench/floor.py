"""The floor: the ops board's (and the inventory board's) JSON from raw asyncpg and orjson,
with nothing in between.

    DATABASE_URL=postgresql://... uv run python -m uvicorn bench.floor:create_app --factory

A minimal ASGI app (no framework, no GraphQL, no authentication, no rate limit) that answers
any POST with exactly what OpsGraph answers for `bench/queries.py`'s ops board: the first 100
jobs by due date (none last), job number and ID, each with its manufacturer, order and lines
(variant, product, family), as the same JSON: same keys and nesting, global IDs, ISO dates,
decimals as strings, enum names. It reads with two statements on one pooled connection (the
jobs page joined with manufacturer and order; the page's lines joined with their catalog
rows) and says so in `x-sql-statements`. It is what a hand-written endpoint costs: the lower
bound the GraphQL server is measured against.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import orjson

from domain.orders import OrderStatus, Technique
from resolvers.ids import encode_id

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

PAGE_SIZE = 100
STATEMENTS = 2

# Same order as the app's default (due date as ISO text, none last, then job number, then ID):
# for dates the ISO text and the date sort alike, and the due-date index can serve this.
JOBS_SQL = """
SELECT j.id, j.job_number, j.status, j.due_date, j.quantity,
       m.id AS manufacturer_id, m.name AS manufacturer_name,
       o.id AS order_id, o.reference, o.status AS order_status, o.total, o.currency
FROM manufacturing_jobs j
LEFT JOIN manufacturers m ON m.id = j.manufacturer_id
JOIN orders o ON o.id = j.order_id
ORDER BY j.due_date NULLS LAST, j.job_number, j.id
LIMIT $1
"""

# A product's family is its own, else its category's (as Product.family resolves it).
ITEMS_SQL = """
SELECT ji.job_id, ji.quantity, oi.size, oi.technique,
       v.id AS variant_id, v.sku, v.price,
       p.id AS product_id, p.name AS product_name,
       f.id AS family_id, f.code AS family_code, f.name AS family_name
FROM manufacturing_job_items ji
JOIN order_items oi ON oi.id = ji.order_item_id
JOIN variants v ON v.id = oi.variant_id
JOIN products p ON p.id = v.product_id
LEFT JOIN categories c ON c.id = p.product_category_id
LEFT JOIN product_families f ON f.id = coalesce(p.product_family_id, c.product_family_id)
WHERE ji.job_id = ANY($1::uuid[])
ORDER BY ji.job_id, oi.position, ji.id
"""


# The inventory board: 100 levels by on hand (most first), ties by ID (the app breaks ties in
# the last key's direction), each with its center and variant → product → family.
LEVELS_SQL = """
SELECT l.id, l.on_hand, l.reserved, l.incoming, l.bin_location, l.reorder_point,
       l.cost_per_unit,
       c.id AS center_id, c.code AS center_code, c.name AS center_name,
       v.id AS variant_id, v.sku,
       p.id AS product_id, p.name AS product_name,
       f.id AS family_id, f.code AS family_code, f.name AS family_name
FROM inventory_levels l
JOIN fulfillment_centers c ON c.id = l.fulfillment_center_id
JOIN variants v ON v.id = l.variant_id
JOIN products p ON p.id = v.product_id
LEFT JOIN categories cat ON cat.id = p.product_category_id
LEFT JOIN product_families f ON f.id = coalesce(p.product_family_id, cat.product_family_id)
ORDER BY l.on_hand DESC, l.id DESC
LIMIT $1
"""
INVENTORY_STATEMENTS = 1


def _money(amount: Decimal | None, currency: str = "USD") -> dict[str, str] | None:
    return None if amount is None else {"amount": str(amount), "currency": currency}


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _item(row: asyncpg.Record) -> dict[str, Any]:
    family = None
    if row["family_id"] is not None:
        family = {
            "id": encode_id("ProductFamily", row["family_id"]),
            "code": row["family_code"],
            "name": row["family_name"],
        }
    return {
        "quantity": row["quantity"],
        "size": row["size"],
        "technique": Technique(row["technique"]).name,
        "variant": {
            "id": encode_id("Variant", row["variant_id"]),
            "sku": row["sku"],
            "price": _money(row["price"]),
            "product": {
                "id": encode_id("Product", row["product_id"]),
                "name": row["product_name"],
                "family": family,
            },
        },
    }


def _job(row: asyncpg.Record, items: list[dict[str, Any]]) -> dict[str, Any]:
    manufacturer = None
    if row["manufacturer_id"] is not None:
        manufacturer = {
            "id": encode_id("Manufacturer", row["manufacturer_id"]),
            "name": row["manufacturer_name"],
        }
    return {
        "id": encode_id("ManufacturingJob", row["id"]),
        "jobNumber": row["job_number"],
        "status": row["status"],  # stored by name (JobStatus values are the names)
        "dueDate": _date(row["due_date"]),
        "quantity": row["quantity"],
        "manufacturer": manufacturer,
        "order": {
            "id": encode_id("Order", row["order_id"]),
            "reference": row["reference"],
            "status": OrderStatus(row["order_status"]).name,
            "total": _money(row["total"], row["currency"]),
        },
        "items": items,
    }


def _level(row: asyncpg.Record) -> dict[str, Any]:
    family = None
    if row["family_id"] is not None:
        family = {
            "id": encode_id("ProductFamily", row["family_id"]),
            "code": row["family_code"],
            "name": row["family_name"],
        }
    return {
        "id": encode_id("InventoryLevel", row["id"]),
        "onHand": row["on_hand"],
        "reserved": row["reserved"],
        "incoming": row["incoming"],
        "available": row["on_hand"] - row["reserved"],
        "binLocation": row["bin_location"],
        "reorderPoint": row["reorder_point"],
        "costPerUnit": _money(row["cost_per_unit"]),
        "center": {
            "id": encode_id("FulfillmentCenter", row["center_id"]),
            "code": row["center_code"],
            "name": row["center_name"],
        },
        "variant": {
            "id": encode_id("Variant", row["variant_id"]),
            "sku": row["sku"],
            "product": {
                "id": encode_id("Product", row["product_id"]),
                "name": row["product_name"],
                "family": family,
            },
        },
    }


async def inventory_board(pool: asyncpg.Pool) -> dict[str, Any]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(LEVELS_SQL, PAGE_SIZE)
    return {"data": {"inventoryLevels": {"edges": [{"node": _level(row)} for row in rows]}}}


async def ops_board(pool: asyncpg.Pool) -> dict[str, Any]:
    async with pool.acquire() as conn:
        jobs = await conn.fetch(JOBS_SQL, PAGE_SIZE)
        lines = await conn.fetch(ITEMS_SQL, [row["id"] for row in jobs])
    items: dict[Any, list[dict[str, Any]]] = {row["id"]: [] for row in jobs}
    for line in lines:
        items[line["job_id"]].append(_item(line))
    edges = [{"node": _job(row, items[row["id"]])} for row in jobs]
    return {"data": {"manufacturingJobs": {"edges": edges}}}


class Floor:
    """The ASGI app: the pool opens at startup and closes at shutdown (lifespan)."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.pool: asyncpg.Pool | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pool = await asyncpg.create_pool(self.dsn, min_size=4, max_size=20)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Read the request body: a POST naming the inventory board gets it, any other the
        # ops board.
        request = b""
        more = True
        while more:
            message = await receive()
            request += message.get("body", b"")
            more = message.get("more_body", False)
        if scope["method"] != "POST" or self.pool is None:
            ready = scope["path"] == "/readyz" and self.pool is not None
            await _respond(send, 200 if ready else 404, b"{}")
            return
        if b"InventoryBoard" in request:
            body = orjson.dumps(await inventory_board(self.pool))
            statements = INVENTORY_STATEMENTS
        else:
            body = orjson.dumps(await ops_board(self.pool))
            statements = STATEMENTS
        await _respond(send, 200, body, [(b"x-sql-statements", str(statements).encode())])


async def _respond(
    send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def create_app() -> Floor:
    """For `uvicorn bench.floor:create_app --factory`; the database from DATABASE_URL."""
    url = os.environ["DATABASE_URL"]
    return Floor(url.replace("postgresql+asyncpg://", "postgresql://", 1))
