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
COMPANY_NAME = "Research Relay"
COMPANY_CONTACT = "research-relay.com"
COMPANY = f"{COMPANY_NAME} · {COMPANY_CONTACT}"

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
    # A Code 128 of catalog # and lot # (~30 characters) needs ~360 modules: on the vials'
    # 1" and 2" its bars are finer than a 300 dpi printer draws (it does not scan), so the
    # vials carry the value as a QR code (2D) and the bottle as Code 128. (reportlab's Data
    # Matrix is one fixed size and pads some lengths wrongly.)
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
    LabelFormat.STANDARD_VIAL: FormatSpec(2, 1, full_info=True, two_dimensional=True),
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
        """The text lines of the label in `spec`'s format, top down: short ones, so the
        font stays as large as the label allows."""
        expiry = f"EXP {self.expiration_date.isoformat()}" if self.expiration_date else "EXP —"
        if not spec.full_info:
            return [self.product_name, f"LOT {self.lot_number}", expiry]
        return [
            self.product_name,
            self.quantity,
            f"CAT {self.catalog_number}",
            f"LOT {self.lot_number}",
            expiry,
            RESEARCH_USE_ONLY,
            COMPANY_NAME,
            COMPANY_CONTACT,
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
