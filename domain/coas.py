"""Certificates of analysis (SPEC §1.7 Coa, §2.7, BR-44, BR-45): their statuses, the fields
a verified COA never changes, where a COA's PDF is stored and how long it is kept."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum


class CoaStatus(StrEnum):
    """SPEC §2.7: draft → verified | rejected; verified → expired | superseded."""

    DRAFT = "draft"
    VERIFIED = "verified"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"
    REJECTED = "rejected"


# BR-44: what a verified COA never changes (file_url is the File the COA holds: its file
# and its key). A correction is a new revision.
PROTECTED_FIELDS: frozenset[str] = frozenset(
    {
        "file_id",
        "file_key",
        "purity_percentage",
        "analysis_date",
        "lab_name",
        "lab_reference",
        "purity_records",
    }
)

# What the storefront shows (SPEC §9.2): verified COAs of active lots only.
PUBLIC_STATUSES: frozenset[CoaStatus] = frozenset({CoaStatus.VERIFIED})

PURITY_MIN = Decimal("0")
PURITY_MAX = Decimal("100")

# BR-45: kept at least three years past the last distribution.
RETENTION_YEARS = 3

_KEY_LOT = re.compile(r"coa/(?P<lot>[^/]+)/")


def coa_key(lot_number: str, version: int) -> str:
    """BR-45: coa/{lot_number}/{lot_number}-coa-v{N}.pdf. A key is never written twice."""
    return f"coa/{lot_number}/{lot_number}-coa-v{version}.pdf"


def key_lot(file_key: str) -> str | None:
    """The lot number a COA's key was made under (its revisions stay beside it)."""
    found = _KEY_LOT.match(file_key)
    return found.group("lot") if found else None


def retention_until(last_distribution: date) -> date:
    """BR-45's floor: three years past the last distribution (29 February → 28th)."""
    try:
        return last_distribution.replace(year=last_distribution.year + RETENTION_YEARS)
    except ValueError:
        return last_distribution.replace(year=last_distribution.year + RETENTION_YEARS, day=28)


def last_distribution(today: date, expirations: list[date | None]) -> date:
    """The latest a COA's lots can still be distributed: none after its lot expires, so the
    latest expiration date; today when no lot has one (or all have passed)."""
    known = [d for d in expirations if d is not None]
    return max([today, *known])
