"""Loads the demo data. Idempotent: rows are matched on their natural keys (family code,
manufacturer name, category name within its family, SKUs) and only missing ones are added."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import SYSTEM
from db import demo_data
from db.base import Entity
from db.engine import Database
from db.models import (
    Category,
    Manufacturer,
    Product,
    ProductFamily,
    ProductFamilyManufacturer,
    Variant,
)
from domain.catalog import COUNTRY_TIMEZONES
from resolvers import writes

E = TypeVar("E", bound=Entity)


class _Loader:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.created = 0

    async def ensure(self, model: type[E], match: dict[str, Any], values: dict[str, Any]) -> E:
        found = await self.session.scalar(select(model).filter_by(**match))
        if found is not None:
            return found
        self.created += 1
        return await writes.create(self.session, SYSTEM, model(**match, **values))


async def load_demo_data(database: Database, *, only_if_empty: bool = False) -> str:
    async with database.transaction() as session:
        if only_if_empty and await session.scalar(select(func.count()).select_from(ProductFamily)):
            return "demo data: database not empty, left as it is"
        loader = _Loader(session)
        manufacturers = {}
        for m in demo_data.MANUFACTURERS:
            manufacturers[m.name] = await loader.ensure(
                Manufacturer,
                {"name": m.name},
                {
                    "email": m.email,
                    "country": m.country,
                    "region": m.region,
                    "city": m.city,
                    "timezone": COUNTRY_TIMEZONES[m.country],
                    "capabilities": sorted(m.capabilities),
                    "certifications": sorted(m.certifications),
                    "payment_terms": m.payment_terms,
                    "avg_lead_time_days": m.avg_lead_time_days,
                    "max_concurrent_jobs": m.max_concurrent_jobs,
                    "onboarding_status": demo_data.ONBOARDING_STATUS,
                    # Encrypted by the column type with the configured keys.
                    **(dataclasses.asdict(m.bank) if m.bank else {}),
                },
            )
        for sort_order, f in enumerate(demo_data.FAMILIES, start=1):
            ranked = [manufacturers[name] for name in f.manufacturers]
            family = await loader.ensure(
                ProductFamily,
                {"code": f.code},
                {
                    "name": f.name,
                    "description": f"Sourced from {f.region}.",
                    "target_cost_min": f.cost_min,
                    "target_cost_max": f.cost_max,
                    "lead_time_days": f.lead_time_days,
                    "sort_order": sort_order,
                    "default_manufacturer_id": ranked[0].id,
                    "backup_manufacturer_id": ranked[1].id if len(ranked) > 1 else None,
                },
            )
            for priority, manufacturer in enumerate(ranked, start=1):
                await loader.ensure(
                    ProductFamilyManufacturer,
                    {"product_family_id": family.id, "manufacturer_id": manufacturer.id},
                    _assignment_terms(manufacturer, priority, f),
                )
            categories = {}
            for position, name in enumerate(f.categories):
                categories[name] = await loader.ensure(
                    Category,
                    {"product_family_id": family.id, "name": name},
                    {"sort_order": position},
                )
            for p in f.products:
                override = (
                    manufacturers[p.manufacturer_override] if p.manufacturer_override else None
                )
                product = await loader.ensure(
                    Product,
                    {"sku": p.code},
                    {
                        "name": p.name,
                        "code": p.code,
                        "product_category_id": categories[p.category].id,
                        "unit_cost": p.cost,
                        "manufacturer_override_id": override.id if override else None,
                    },
                )
                for colour in p.colours:
                    for size in p.sizes:
                        await loader.ensure(
                            Variant,
                            {"sku": f"{p.code}-{colour[:3].upper()}-{size}"},
                            {
                                "product_id": product.id,
                                "title": f"{p.name} - {size} / {colour}",
                                "size": size,
                                "colour": colour,
                                "price": p.price,
                            },
                        )
        return f"demo data: {loader.created} rows added"


def _assignment_terms(
    manufacturer: Manufacturer, priority: int, family: demo_data.DemoFamily
) -> dict[str, Any]:
    capabilities = set(manufacturer.capabilities)
    midpoint = ((family.cost_min + family.cost_max) / 2).quantize(Decimal("0.01"))
    return {
        "priority": priority,
        "can_sublimate": "sublimation" in capabilities,
        "can_embroider": "embroidery" in capabilities,
        "can_screen_print": "screen_print" in capabilities,
        "can_dtg": "dtg" in capabilities,
        "can_cut_sew": "cut_sew" in capabilities,
        "can_heat_transfer": "heat_transfer" in capabilities,
        "moq": 50 if priority == 1 else 100,
        "cost_per_unit": midpoint,
        "lead_time_days": family.lead_time_days,
        "payment_terms": manufacturer.payment_terms,
    }
