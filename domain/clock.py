"""Instants are UTC (API.md "Scalars")."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    """Today's date in UTC: due dates and urgency (BR-6, BR-9) are calendar dates."""
    return datetime.now(UTC).date()


def as_utc(moment: datetime) -> datetime:
    """An aware UTC instant. Naive ones are UTC already: SQLite returns them, and a client
    may send a DateTime without an offset."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
