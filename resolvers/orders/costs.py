"""What a variant may cost to make: read when an order's lines enter, to bound the jobs
approving it may create (domain/derived_bounds.py). The orders domain's own read of the
catalog's tables, so orders import no catalog module."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from decimal import Decimal

from sqlalchemy import func, join, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Product, ProductFamilyManufacturer, Variant
from db.models.catalog import product_family_id, with_category


async def highest_unit_costs(
    session: AsyncSession, variant_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Decimal]:
    """Per variant, the highest cost per unit among its family's assignments (the family
    routing reads: the product's, else its category's). Variants with none are left out."""
    if not variant_ids:
        return {}
    family_id = product_family_id()
    statement = (
        select(Variant.id, func.max(ProductFamilyManufacturer.cost_per_unit))
        .select_from(with_category(join(Variant, Product, Product.id == Variant.product_id)))
        .join(ProductFamilyManufacturer, ProductFamilyManufacturer.product_family_id == family_id)
        .where(Variant.id.in_(variant_ids), ProductFamilyManufacturer.cost_per_unit.is_not(None))
        .group_by(Variant.id)
    )
    rows = (await session.execute(statement)).all()
    return {pk: cost for pk, cost in rows if cost is not None}
