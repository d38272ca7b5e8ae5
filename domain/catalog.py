"""Catalog rules that do not depend on storage."""

from __future__ import annotations

import re

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
