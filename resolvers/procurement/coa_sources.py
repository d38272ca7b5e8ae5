"""What COA reads come from: the COAs, their lots through lot_coas (both ways), their files
(read with the COA's rule, resolvers.files.held_files) and the storefront's walk of SPEC
§9.1: a product's variants → their ACTIVE lots → those lots' VERIFIED COAs, each once."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import FromClause, Select, Table, exists, select

from db.models import Coa, Lot, LotCoa, Variant
from domain.coas import PUBLIC_STATUSES
from domain.procurement import LotStatus
from resolvers.files import FILES, held_files

COAS: Table = Coa.__table__  # type: ignore[assignment]
LOT_COAS: Table = LotCoa.__table__  # type: ignore[assignment]
_LOTS: Table = Lot.__table__  # type: ignore[assignment]
_VARIANTS: Table = Variant.__table__  # type: ignore[assignment]

# A lot's COAs: each COA row with the lot it covers (`lot_id`), for Lot.coas.
COAS_OF_LOTS: FromClause = (
    select(COAS, LOT_COAS.c.lot_id)
    .select_from(COAS.join(LOT_COAS, LOT_COAS.c.coa_id == COAS.c.id))
    .subquery("coas_of_lots")
)
# A COA's lots: each lot row with the COA covering it (`coa_id`), for Coa.lots.
LOTS_OF_COAS: FromClause = (
    select(_LOTS, LOT_COAS.c.coa_id)
    .select_from(_LOTS.join(LOT_COAS, LOT_COAS.c.lot_id == _LOTS.c.id))
    .subquery("lots_of_coas")
)
# A COA's PDF, read with the COA's rule (procurement viewers; anyone once public).
COA_FILES: FromClause = held_files("Coa", FILES.join(COAS, COAS.c.file_id == FILES.c.id))

_PUBLIC = [s.value for s in PUBLIC_STATUSES]


def _active_lots_of(product_id: uuid.UUID) -> Any:
    """The product's variants' active lots (SPEC §9.1: only active counts as available)."""
    return (
        select(_LOTS.c.id)
        .join(_VARIANTS, _VARIANTS.c.id == _LOTS.c.variant_id)
        .where(_VARIANTS.c.product_id == product_id, _LOTS.c.status == LotStatus.ACTIVE.value)
    )


def storefront_coas(product_id: uuid.UUID) -> Select[Any]:
    """The product's verified COAs of active lots, each once (a COA covering three of its
    lots is listed once), newest analysis first."""
    covers = exists().where(
        LOT_COAS.c.coa_id == COAS.c.id, LOT_COAS.c.lot_id.in_(_active_lots_of(product_id))
    )
    return (
        select(COAS)
        .where(COAS.c.status.in_(_PUBLIC), covers)
        .order_by(COAS.c.analysis_date.desc().nulls_last(), COAS.c.created_at.desc(), COAS.c.id)
    )


def storefront_lots(product_id: uuid.UUID, coa_ids: list[uuid.UUID]) -> Select[Any]:
    """The active lots of the product those COAs cover (§9.2 `lots`), one statement."""
    return (
        select(LOT_COAS.c.coa_id, _LOTS.c.lot_number, _LOTS.c.status, _LOTS.c.expiration_date)
        .join(_LOTS, _LOTS.c.id == LOT_COAS.c.lot_id)
        .where(
            LOT_COAS.c.coa_id.in_(coa_ids),
            LOT_COAS.c.lot_id.in_(_active_lots_of(product_id)),
        )
        .order_by(LOT_COAS.c.coa_id, _LOTS.c.lot_number)
    )


def covers_lot(lot_id: uuid.UUID) -> Any:
    """The COA covers this lot (the `coas(filter: {lotId})` condition)."""
    return exists().where(LOT_COAS.c.coa_id == COAS.c.id, LOT_COAS.c.lot_id == lot_id)
