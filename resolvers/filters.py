"""How a list filter's fields become SQL conditions, for every domain's sources: a field left
out (None) or empty adds no condition, and the conditions all hold (AND)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_


def equal(*pairs: tuple[ColumnElement[Any], object]) -> list[ColumnElement[bool]]:
    """`column == value` for each (column, value) whose value is given."""
    return [column == value for column, value in pairs if value is not None]


def one_of(
    column: ColumnElement[Any], values: Iterable[object] | None
) -> list[ColumnElement[bool]]:
    """`column IN values`, unless no value is given."""
    wanted = list(values or ())
    return [column.in_(wanted)] if wanted else []


def containing(
    columns: Sequence[ColumnElement[str]], text: str | None
) -> list[ColumnElement[bool]]:
    """A search: any of `columns` contains `text`, ignoring case."""
    if not text:
        return []
    pattern = f"%{text.lower()}%"
    return [or_(*(func.lower(column).like(pattern) for column in columns))]
