"""Vial labels and supplier prices rows of the permission matrix (issue 27 items 10 and 2):
printing labels is admin and ops (who manage procurement); a product's supplier prices are
for procurement viewers (superadmin, admin, ops, finance, readonly), their unit costs cost
data as every price list's."""

from __future__ import annotations

from typing import Any

from domain.procurement import LotStatus, PurchaseOrderStatus
from resolvers.ids import global_id_of
from tests.support import procurement_seeding as seed
from tests.support.permission_cases.catalog import PRODUCTS_Q
from tests.support.permission_matrix import Case, World, mutation_case

VIEW, MANAGE = "UAOFR", "UAO"


async def _print_input(world: World) -> dict[str, Any]:
    """An ACTIVE lot (released stock: the only kind labels are printed for)."""
    supplier = await seed.supplier(world.database)
    product = await seed.product(world.database)
    order = await seed.purchase_order(
        world.database, supplier.id, product.id, PurchaseOrderStatus.RECEIVED
    )
    lot = await seed.lot(world.database, order, LotStatus.ACTIVE)
    return {"lotIds": [global_id_of(lot)], "format": "STANDARD_VIAL"}


CASES: list[Case] = [
    Case("Product.supplierPrices", PRODUCTS_Q % "supplierPrices { supplierSku }", VIEW),
    mutation_case("printVialLabels", MANAGE, _print_input),
]
