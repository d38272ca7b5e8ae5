"""Vial labels (seed 002 §10): what a label says (§10.1), the three label formats (§10.2)
and the layout maths the PDF is drawn with. Pure: no database, no PDF library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.procurement import LotStatus

POINTS_PER_INCH = 72

# §10.1 static texts: FDA 21 CFR 809.10 and the company block GHS and RUO ask for.
RESEARCH_USE_ONLY = "FOR RESEARCH USE ONLY"
COMPANY = "Research Relay · research-relay.com"

# Seed 002 §1: "Inventory Released → Vial Labels Printed → Ready for Sale": labels are for
# released stock, and SPEC §2.6 says only ACTIVE counts as available.
LABELLED_STATUSES: frozenset[LotStatus] = frozenset({LotStatus.ACTIVE})

# One print job: a sheet per label, so these bound the PDF (and the request's work).
MAX_LOTS = 50
MAX_COPIES = 100
MAX_PAGES = 500


class LabelFormat(StrEnum):
    """Seed 002 §10.2."""

    SMALL_VIAL = "small_vial"
    STANDARD_VIAL = "standard_vial"
    BOTTLE = "bottle"


@dataclass(frozen=True)
class FormatSpec:
    width_in: float
    height_in: float
    # "minimal info" on the small vial: name, catalog, lot and expiry only.
    full_info: bool
    # On 1" a linear barcode of ~30 characters needs bars finer than a 300 dpi printer's
    # dot; the small vial carries the same value as a Data Matrix (2D), the others Code 128.
    two_dimensional: bool

    @property
    def width(self) -> float:
        """In PDF points."""
        return self.width_in * POINTS_PER_INCH

    @property
    def height(self) -> float:
        return self.height_in * POINTS_PER_INCH


FORMATS: dict[LabelFormat, FormatSpec] = {
    LabelFormat.SMALL_VIAL: FormatSpec(1, 0.5, full_info=False, two_dimensional=True),
    LabelFormat.STANDARD_VIAL: FormatSpec(2, 1, full_info=True, two_dimensional=False),
    LabelFormat.BOTTLE: FormatSpec(3, 2, full_info=True, two_dimensional=False),
}


@dataclass(frozen=True)
class VialLabel:
    """§10.1's fields for one lot, as far as the records hold them."""

    product_name: str
    catalog_number: str  # variant.sku
    lot_number: str
    quantity: str  # variant.title, e.g. "5mg vial"
    expiration_date: date | None

    @property
    def barcode_value(self) -> str:
        """§10.1 "Generated from catalog # + lot #": both, joined by a character neither
        holds (SKUs and lot numbers are letters, digits and dashes)."""
        return barcode_value(self.catalog_number, self.lot_number)

    def lines(self, spec: FormatSpec) -> list[str]:
        """The text lines of the label in `spec`'s format, top down."""
        expiry = f"EXP {self.expiration_date.isoformat()}" if self.expiration_date else "EXP —"
        if not spec.full_info:
            return [self.product_name, f"LOT {self.lot_number}", expiry]
        return [
            self.product_name,
            f"{self.quantity}  ·  CAT {self.catalog_number}",
            f"LOT {self.lot_number}  ·  {expiry}",
            RESEARCH_USE_ONLY,
            COMPANY,
        ]


def barcode_value(catalog_number: str, lot_number: str) -> str:
    return f"{catalog_number}|{lot_number}"


def fitted_size(natural: float, available: float, largest: float) -> float:
    """The size (a font size, a bar's width) that makes something `natural` wide at size 1
    fit in `available`, never above `largest`."""
    if natural <= 0 or available <= 0:
        return 0.0
    return min(largest, available / natural)


def page_count(lots: int, copies: int) -> int:
    """One sheet per label: each lot `copies` times."""
    return lots * copies
