"""COAs' published tables: a COA goes to `coa:{id}`; a lot it covers (lot_coas) to the lot's
purchase order too, where the lot itself is published (db/publications/procurement.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.change_log import Related, publish
from db.models import Coa, Lot, LotCoa
from db.publications.procurement import purchase_order_channel


def coa_channel(coa_id: Any) -> str:
    return f"coa:{coa_id}"


def _coa(row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    yield coa_channel(row["id"])


def _link(row: Mapping[str, Any], _old: Mapping[str, Any], related: Related) -> Iterable[str]:
    yield coa_channel(row["coa_id"])
    lot = related.get(Lot, row["lot_id"])
    if lot is not None:
        yield purchase_order_channel(lot.purchase_order_id)


publish(Coa, _coa)
publish(LotCoa, _link)
