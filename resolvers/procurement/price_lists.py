"""Supplier price lists (SPEC §1.6): what a supplier charges for a product, from when until
when; `effective_price` is BR-43; BR-46 keeps a price list once a PO line used it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import Product, Supplier, SupplierPriceList
from domain.catalog import CURRENCY_CODE
from domain.validation import Checks, camel
from resolvers import writes
from resolvers.editing import Editable
from resolvers.lookup import count_references, get_for_update
from resolvers.procurement.rules import not_deletable
from resolvers.procurement.sources import effective_price_query


def _check_price_list(values: dict[str, Any], current: SupplierPriceList | None) -> None:
    if isinstance(values.get("currency"), str):
        values["currency"] = values["currency"].strip().upper()
    checks = Checks()
    if current is None:
        for field in ("supplier_id", "product_id", "unit_cost", "effective_date"):
            checks.require(values.get(field) is not None, field, f"{camel(field)} is required")
    checks.text("supplier_sku", values.get("supplier_sku"), max_length=100, required=False)
    checks.text("unit_quantity", values.get("unit_quantity"), max_length=32, required=False)
    checks.money("unit_cost", values.get("unit_cost"))
    checks.pattern("currency", values.get("currency"), CURRENCY_CODE, "an ISO 4217 code")
    checks.positive("minimum_order_quantity", values.get("minimum_order_quantity"))
    checks.not_null(
        values,
        ("unit_cost", "currency", "minimum_order_quantity", "effective_date", "is_active"),
    )
    effective = values.get("effective_date", current.effective_date if current else None)
    expires = values.get("expires_at", current.expires_at if current else None)
    if effective is not None and expires is not None and expires <= effective:
        checks.fail("expires_at", "expiresAt must be after effectiveDate")
    checks.raise_if_any()


PRICE_LISTS = Editable(
    SupplierPriceList,
    _check_price_list,
    references={"supplier_id": Supplier, "product_id": Product},
)
create_price_list = PRICE_LISTS.create


async def update_price_list(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    values: dict[str, Any],
    expected_version: int | None,
) -> SupplierPriceList:
    """Change a price list; reactivating it clears the mark a supplier's suspension left."""
    if values.get("is_active") is True:
        values["supplier_hold"] = None
    return await PRICE_LISTS.update(session, actor, global_id, values, expected_version)


async def delete_price_list(
    session: AsyncSession, actor: Actor, global_id: str
) -> SupplierPriceList:
    """BR-46: only a price list no PO line used (soft delete)."""
    price_list = await get_for_update(session, SupplierPriceList, global_id)
    if await count_references(session, price_list):
        raise not_deletable(
            "Price list", price_list.supplier_sku or str(price_list.id), "a PO line used it"
        )
    return await writes.soft_delete(session, actor, price_list)


async def effective_price(
    session: AsyncSession,
    supplier_id: uuid.UUID,
    product_id: uuid.UUID,
    at: datetime,
    currency: str | None = None,
) -> SupplierPriceList | None:
    """BR-43's price list (sources.effective_price_query) as an entity."""
    row = (
        await session.execute(effective_price_query(supplier_id, product_id, at, currency))
    ).first()
    return None if row is None else await session.get(SupplierPriceList, row.id)
