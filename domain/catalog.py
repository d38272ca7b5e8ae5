"""Catalog rules that do not depend on storage."""

from __future__ import annotations

import re
from enum import StrEnum

from domain.permissions import ALL, OWN, STAFF_READ, Permission, Role, grants

# SPEC §1.1: family codes are upper-case identifiers.
FAMILY_CODE = re.compile(r"[A-Z][A-Z0-9_]*")
FAMILY_CODE_RULE = "^[A-Z][A-Z0-9_]*$"
# SPEC §1.1 Rec: product codes prefix lot numbers (BR-39), e.g. BPC157, TB500.
PRODUCT_CODE = re.compile(r"[A-Z0-9]{1,10}")
PRODUCT_CODE_RULE = "^[A-Z0-9]{1,10}$"
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
CURRENCY_CODE = re.compile(r"[A-Z]{3}")

# SPEC §8: countries we source from, each with its IANA timezone.
COUNTRY_TIMEZONES = {
    "PK": "Asia/Karachi",
    "BD": "Asia/Dhaka",
    "CN": "Asia/Shanghai",
    "TR": "Europe/Istanbul",
    "MX": "America/Mexico_City",
    "HN": "America/Tegucigalpa",
    "GT": "America/Guatemala",
    "US": "America/Los_Angeles",
}

MAX_BULK_ASSIGN = 500


# Who holds the catalog's permissions (SPEC §4 "Product families", "Catalog", "Manufacturer
# management"); superadmin and admin hold every permission. A manufacturer sees its own
# profile and its own terms, and updates its own capabilities.
GRANTS = grants(
    {
        Permission.VIEW_FAMILIES: STAFF_READ,
        Permission.EDIT_FAMILIES: {},
        Permission.ASSIGN_MANUFACTURERS: {Role.OPS: ALL},
        Permission.VIEW_PRODUCTS: STAFF_READ,
        Permission.EDIT_PRODUCTS: {Role.OPS: ALL},
        Permission.ASSIGN_TO_FAMILIES: {Role.OPS: ALL},
        Permission.VIEW_MANUFACTURERS: {
            Role.OPS: ALL,
            Role.FINANCE: ALL,
            Role.READONLY: ALL,
            Role.MANUFACTURER: OWN,
        },
        Permission.EDIT_MANUFACTURERS: {},
        Permission.UPDATE_CAPABILITIES: {Role.MANUFACTURER: OWN},
        Permission.VIEW_PAYMENT_TERMS: {
            Role.OPS: ALL,
            Role.FINANCE: ALL,
            Role.READONLY: ALL,
            Role.MANUFACTURER: OWN,
        },
    }
)


# -- a product's label data (seed 002 §10.1: CAS number, form, storage, GHS pictograms) ------

# CAS Registry Numbers: 2-7 digits, 2 digits, a check digit (CAS's own format rule).
CAS_NUMBER = re.compile(r"(\d{2,7})-(\d{2})-(\d)")
CAS_NUMBER_RULE = r"^\d{2,7}-\d{2}-\d$ with a valid check digit"
CAS_NUMBER_LENGTH = 12
STORAGE_CONDITIONS_LENGTH = 100


def cas_check_digit(digits: str) -> int:
    """CAS's check digit of the number's other digits: the last digit weighted 1, the one
    before it 2, and so on; the sum modulo 10."""
    return sum(weight * int(d) for weight, d in enumerate(reversed(digits), start=1)) % 10


def is_cas_number(value: str) -> bool:
    """The format and the check digit (58-08-2, caffeine, is one; 58-08-3 is not)."""
    match = CAS_NUMBER.fullmatch(value)
    if match is None:
        return False
    head, middle, check = match.groups()
    return cas_check_digit(head + middle) == int(check)


class ProductForm(StrEnum):
    """The physical form a product ships in (the label's "Form")."""

    LYOPHILIZED_POWDER = "LYOPHILIZED_POWDER"
    POWDER = "POWDER"
    LIQUID = "LIQUID"
    SOLUTION = "SOLUTION"
    TABLET = "TABLET"
    CAPSULE = "CAPSULE"


class GhsPictogram(StrEnum):
    """The nine GHS hazard pictograms (OSHA 29 CFR 1910.1200 Appendix C)."""

    GHS01 = "GHS01"  # exploding bomb: explosives
    GHS02 = "GHS02"  # flame: flammables
    GHS03 = "GHS03"  # flame over circle: oxidisers
    GHS04 = "GHS04"  # gas cylinder: gases under pressure
    GHS05 = "GHS05"  # corrosion
    GHS06 = "GHS06"  # skull and crossbones: acute toxicity
    GHS07 = "GHS07"  # exclamation mark: irritant, harmful
    GHS08 = "GHS08"  # health hazard: carcinogen, sensitiser
    GHS09 = "GHS09"  # environment

    @property
    def symbol(self) -> str:
        return _GHS_SYMBOLS[self]


_GHS_SYMBOLS = {
    GhsPictogram.GHS01: "Exploding bomb",
    GhsPictogram.GHS02: "Flame",
    GhsPictogram.GHS03: "Flame over circle",
    GhsPictogram.GHS04: "Gas cylinder",
    GhsPictogram.GHS05: "Corrosion",
    GhsPictogram.GHS06: "Skull and crossbones",
    GhsPictogram.GHS07: "Exclamation mark",
    GhsPictogram.GHS08: "Health hazard",
    GhsPictogram.GHS09: "Environment",
}
