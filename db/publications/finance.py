"""Finance's published tables: invoices, payments and credit refunds go to `finance` (every
change, for finance's boards) and `manufacturer:{id}:finance` (one manufacturer's, for its
portal)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.change_log import Related, publish
from db.models import CreditRefund, Invoice, Payment

ALL_FINANCE = "finance"


def manufacturer_finance_channel(manufacturer_id: Any) -> str:
    return f"manufacturer:{manufacturer_id}:finance"


def _channels(row: Mapping[str, Any], _old: Mapping[str, Any], _related: Related) -> Iterable[str]:
    yield ALL_FINANCE
    yield manufacturer_finance_channel(row["manufacturer_id"])


publish(Invoice, _channels)
publish(Payment, _channels)
publish(CreditRefund, _channels)
