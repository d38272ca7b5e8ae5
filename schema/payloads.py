"""What every mutation payload shares: the `errors` list it ends with."""

from __future__ import annotations

from typing import Any

import strawberry

NOTHING_CHANGED = "Why nothing changed; empty on success."


def user_errors(description: str = NOTHING_CHANGED) -> Any:
    """The payload's `errors: [UserError!]!` field. Declare it last in the class: the field
    order is the schema's, and clients read `errors` after what the mutation returned."""
    return strawberry.field(description=description)
