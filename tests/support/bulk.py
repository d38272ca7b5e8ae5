"""Insert a catalog of a given size directly, for tests about scale."""

from __future__ import annotations

from decimal import Decimal

from db import models
from db.engine import Database

# Every relation of the catalog a level deeper than the last, over the lists build_catalog fills.
NESTED = """{
  productFamilies(first: 100) {
    totalCount
    edges { node {
      code
      defaultManufacturer { name }
      manufacturers { priority manufacturer { name } }
      categories { edges { node { name manufacturerOverride { name } } } }
      products(first: 100) { totalCount edges { node {
        name
        family { code }
        category { name }
        variants { sku resolvedManufacturer { source manufacturer { name } } }
        resolvedManufacturer { source manufacturer { name families { priority } } }
      } } }
    } }
  }
}"""


async def build_catalog(
    database: Database, families: int, products_per_family: int = 2, start: int = 0
) -> None:
    """Every family has the same shape, so only the size changes with `families`: its own
    default and second manufacturer (both assigned), a category (overriding on odd
    families), products (the first with its own override) and two variants each."""
    async with database.transaction() as session:
        for f in range(start, start + families):
            default, second, override = (
                models.Manufacturer(name=f"Maker {f}-{role}", capabilities=[], certifications=[])
                for role in ("default", "second", "override")
            )
            session.add_all([default, second, override])
            await session.flush()
            family = models.ProductFamily(
                code=f"BULK_{f}", name=f"Bulk {f}", default_manufacturer_id=default.id
            )
            session.add(family)
            await session.flush()
            session.add_all(
                models.ProductFamilyManufacturer(
                    product_family_id=family.id, manufacturer_id=maker.id, priority=k + 1
                )
                for k, maker in enumerate((default, second))
            )
            category = models.Category(
                name=f"Cat {f}",
                product_family_id=family.id,
                manufacturer_override_id=second.id if f % 2 else None,
            )
            session.add(category)
            await session.flush()
            for p in range(products_per_family):
                product = models.Product(
                    name=f"P {f}-{p}",
                    sku=f"P-{f}-{p}",
                    product_category_id=category.id,
                    manufacturer_override_id=override.id if p == 0 else None,
                    unit_cost=Decimal("5.00"),
                )
                session.add(product)
                await session.flush()
                session.add_all(
                    models.Variant(
                        product_id=product.id, sku=f"V-{f}-{p}-{v}", title=f"V {v}", size=s
                    )
                    for v, s in enumerate(("M", "L"))
                )
