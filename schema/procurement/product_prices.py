"""Product.supplierPrices (issue 27 item 2): what each supplier charges for a product now.
Product is the catalog's type and the catalog does not know procurement, so the field joins
it as an Extension (schema.domain) declared in procurement's graph."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from resolvers.pagination import SortKey
from resolvers.procurement.sources import ACTIVE_PRICE_LISTS, in_effect_now
from schema.context import request_context
from schema.node import build_nodes
from schema.permissions import requires
from schema.procurement.types import SupplierPriceList

# The latest to take effect first (BR-43's choice when several are in effect).
_NEWEST_FIRST = (SortKey("effective_date", descending=True), SortKey("created_at", descending=True))


@strawberry.type(description="Product fields added by procurement (schema.domain.Extension).")
class ProductProcurementFields:
    pk: strawberry.Private[uuid.UUID]

    @strawberry.field(
        description="Its price lists in effect now (BR-43: active, effective, not expired), "
        "one or more per supplier, the latest to take effect first; unit costs are cost "
        "data. Null (FORBIDDEN) for viewers who may not see procurement. A page of products "
        "reads them in one statement.",
        extensions=requires(Permission.VIEW_PROCUREMENT),
    )
    async def supplier_prices(self, info: Info[Any, Any]) -> list[SupplierPriceList] | None:
        loader = request_context(info).loaders.children(
            ACTIVE_PRICE_LISTS, "product_id", _NEWEST_FIRST
        )
        now = datetime.now(UTC)
        rows = [row for row in await loader.load(self.pk) if in_effect_now(row, now)]
        return build_nodes(SupplierPriceList, rows)
