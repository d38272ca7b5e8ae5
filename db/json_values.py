"""Column values as JSON can hold them: what audit snapshots and the change log store."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def json_safe(value: Any) -> Any:
    """Enums by value, UUIDs and decimals as strings, instants and dates in ISO 8601."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value
