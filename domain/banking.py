"""Bank and tax details of a manufacturer: how they are normalised and what is accepted.

Messages name the field and the rule, never the value (it is a secret).
"""

from __future__ import annotations

import re
from typing import Any

from domain.validation import Checks, camel

# IBANs run to 34 characters; domestic account numbers are shorter.
ACCOUNT = re.compile(r"[A-Z0-9]{4,34}")
# ABA routing numbers (9 digits), sort codes, BSB, SWIFT/BIC (8 or 11) and the like.
ROUTING = re.compile(r"[A-Z0-9]{4,20}")
# EIN 12-3456789, NTN 1234567-8, VKN, VAT numbers: letters and digits, with separators inside.
TAX_ID = re.compile(r"[A-Z0-9][A-Z0-9./ -]{2,28}[A-Z0-9]")

_RULES = {
    "bank_account": (ACCOUNT, "4 to 34 letters or digits (spaces and hyphens are ignored)"),
    "bank_routing": (ROUTING, "4 to 20 letters or digits (spaces and hyphens are ignored)"),
    "tax_id": (TAX_ID, "4 to 30 letters, digits and the separators - . / or space"),
}
# Written as people group them ("DE89 3704 0044", "12-34-56"); stored without the grouping.
_UNGROUPED = ("bank_account", "bank_routing")


def normalise(values: dict[str, Any]) -> None:
    """Trim the bank and tax fields present in `values`; letters become upper case."""
    for field in (*_RULES, "bank_name"):
        value = values.get(field)
        if not isinstance(value, str):
            continue
        value = value.strip()
        if field == "bank_name":
            values[field] = value or None
            continue
        if field in _UNGROUPED:
            value = value.replace(" ", "").replace("-", "")
        values[field] = value.upper()


def check(checks: Checks, values: dict[str, Any]) -> None:
    """Validate normalised bank and tax fields (null clears them)."""
    checks.text("bank_name", values.get("bank_name"), max_length=200, required=False)
    for field, (pattern, rule) in _RULES.items():
        value = values.get(field)
        if value is not None and not pattern.fullmatch(value):
            checks.fail(field, f"{camel(field)} must be {rule}")
