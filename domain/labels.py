"""Vial labels (seed 002 §10): what a label says (§10.1), the three label formats (§10.2)
and the layout maths the PDF is drawn with. Pure: no database, no PDF library."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.catalog import GhsPictogram, ProductForm
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
    # "full GHS" (§10.2): only the bottle draws the product's hazard pictograms.
    pictograms: bool = False

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
    LabelFormat.BOTTLE: FormatSpec(3, 2, full_info=True, two_dimensional=False, pictograms=True),
}


@dataclass(frozen=True)
class VialLabel:
    """§10.1's fields for one lot, as far as the records hold them."""

    product_name: str
    catalog_number: str  # variant.sku
    lot_number: str
    quantity: str  # variant.title, e.g. "5mg vial"
    expiration_date: date | None
    # From the product's label data (catalog) and the lot's verified COA; None when unknown.
    cas_number: str | None = None
    form: ProductForm | None = None
    purity: Decimal | None = None  # percent
    storage: str | None = None
    ghs_pictograms: tuple[GhsPictogram, ...] = ()

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
            # What the records do not hold is left off rather than printed blank.
            *([f"CAS {self.cas_number}"] if self.cas_number else []),
            *([f"PURITY {percent(self.purity)}"] if self.purity is not None else []),
            *([form_text(self.form)] if self.form else []),
            *([f"STORE {self.storage}"] if self.storage else []),
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


def percent(value: Decimal) -> str:
    """99.120 -> "99.12%", 100.000 -> "100%": as the lab gave it, without padding zeros."""
    return f"{value.normalize():f}%"


def form_text(form: ProductForm) -> str:
    """LYOPHILIZED_POWDER -> "Lyophilized powder"."""
    return form.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class VerifiedPurity:
    """One verified COA's purity, with what orders it among a lot's COAs."""

    purity: Decimal
    analysis_date: date | None
    created_at: datetime


def label_purity(coas: Iterable[VerifiedPurity]) -> Decimal | None:
    """The purity a label prints: the newest analysis among the lot's verified COAs that
    state one (a COA without an analysis date counts as older than any dated one; equal
    dates, the later upload); None when there is none."""
    newest = max(
        coas,
        key=lambda c: (c.analysis_date is not None, c.analysis_date or date.min, c.created_at),
        default=None,
    )
    return None if newest is None else newest.purity


def pictogram_grid(count: int, width: float, height: float) -> tuple[int, float]:
    """(columns, side) of the largest equal squares that hold `count` pictograms in a
    width x height box, filled row by row; (0, 0.0) for none."""
    if count <= 0 or width <= 0 or height <= 0:
        return 0, 0.0
    best = (1, 0.0)
    for columns in range(1, count + 1):
        side = min(width / columns, height / math.ceil(count / columns))
        if side > best[1]:
            best = (columns, side)
    return best
