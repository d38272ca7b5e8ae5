"""Catalog rules that do not depend on storage."""

from __future__ import annotations

import re

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
