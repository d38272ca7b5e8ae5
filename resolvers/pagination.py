"""Keyset pagination for Relay connections, written once for every list in the graph.

A page is fetched with `ORDER BY <sort keys>, id` and a cursor that holds the sort values of
its row, so pages stay stable while rows are inserted. Nested connections (a family's
products) fetch every parent's page in one statement with `row_number() OVER (PARTITION BY
parent)`, which keeps the number of statements independent of the number of parents.

A nullable sort column sorts its nulls after every value (PostgreSQL's default, made explicit
so SQLite agrees): last ascending, first descending. Cursors may then hold a null.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    FromClause,
    Integer,
    Numeric,
    Row,
    Uuid,
    and_,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.sql.elements import UnaryExpression

from resolvers.columns import Columns, projected, values_of
from resolvers.opaque import from_token, to_token

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PaginationError(ValueError):
    """Bad pagination arguments; reported as BAD_USER_INPUT."""


@dataclass(frozen=True)
class SortKey:
    column: str
    descending: bool = False

    def flipped(self) -> SortKey:
        return SortKey(self.column, not self.descending)


@dataclass(frozen=True)
class PageRequest:
    """Validated window arguments plus the full ordering (always ending with `id`)."""

    limit: int
    forward: bool
    after: str | None
    before: str | None
    order: tuple[SortKey, ...]

    @classmethod
    def build(
        cls,
        *,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
        order: Sequence[SortKey],
    ) -> PageRequest:
        if first is not None and last is not None:
            raise PaginationError("Pass either `first` or `last`, not both")
        size = first if first is not None else last
        if size is None:
            size = DEFAULT_PAGE_SIZE
        if size < 0:
            raise PaginationError("`first` and `last` must not be negative")
        if size > MAX_PAGE_SIZE:
            raise PaginationError(
                f"`first` and `last` may be at most {MAX_PAGE_SIZE}; asked for {size}"
            )
        keys = tuple(k for k in order if k.column != "id")
        tiebreak = SortKey("id", keys[-1].descending if keys else False)
        return cls(
            limit=size,
            forward=last is None,
            after=after,
            before=before,
            order=(*keys, tiebreak),
        )


@dataclass(frozen=True)
class Page:
    """One page of rows in `order`. Cursors are encoded when asked for: most queries
    select none, and a board's hundred cost ~5% of its time."""

    rows: Sequence[Row[Any]]
    order: Sequence[SortKey]
    has_next_page: bool
    has_previous_page: bool

    def cursor(self, row: Row[Any]) -> str:
        return encode_cursor(row, self.order)

    def start_cursor(self) -> str | None:
        return self.cursor(self.rows[0]) if self.rows else None

    def end_cursor(self) -> str | None:
        return self.cursor(self.rows[-1]) if self.rows else None


EMPTY_PAGE = Page(rows=(), order=(), has_next_page=False, has_previous_page=False)


# -- cursors ---------------------------------------------------------------------------------


def _order_signature(order: Sequence[SortKey]) -> str:
    return ",".join(f"{k.column}:{'d' if k.descending else 'a'}" for k in order)


def _encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal | date):  # datetime is a date too
        return str(value)
    return value


def encode_cursor(row: Row[Any], order: Sequence[SortKey]) -> str:
    mapping = row._mapping
    payload = {"o": _order_signature(order), "v": [_encode_value(mapping[k.column]) for k in order]}
    return to_token(json.dumps(payload, separators=(",", ":")))


def _coerce(table: FromClause, column: str, value: Any) -> Any:
    if value is None:
        if table.c[column].nullable:
            return None
        raise PaginationError("Invalid cursor")
    col_type = table.c[column].type
    if isinstance(col_type, Uuid):
        return uuid.UUID(str(value))
    if isinstance(col_type, DateTime):
        return datetime.fromisoformat(str(value))
    if isinstance(col_type, Date):
        return date.fromisoformat(str(value))
    if isinstance(col_type, Numeric) and not isinstance(col_type, Integer):
        return Decimal(str(value))
    if isinstance(col_type, Integer | Boolean) and not isinstance(value, int):
        raise PaginationError("Invalid cursor")
    return value


def decode_cursor(cursor: str, table: FromClause, order: Sequence[SortKey]) -> list[Any]:
    try:
        payload = json.loads(from_token(cursor))
        values = payload["v"]
        signature = payload["o"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PaginationError("Invalid cursor") from exc
    if signature != _order_signature(order) or len(values) != len(order):
        raise PaginationError("The cursor belongs to a different ordering; start again")
    try:
        return [_coerce(table, k.column, v) for k, v in zip(order, values, strict=True)]
    except (ValueError, TypeError) as exc:
        raise PaginationError("Invalid cursor") from exc


# -- SQL -------------------------------------------------------------------------------------


def _beyond(
    table: FromClause, order: Sequence[SortKey], values: Sequence[Any]
) -> ColumnElement[bool]:
    """Rows strictly after `values` in `order`: (a > x) OR (a = x AND b > y) OR ..."""
    alternatives = []
    for i, key in enumerate(order):
        equal_prefix = [
            _equal(table.c[k.column], v) for k, v in zip(order[:i], values[:i], strict=True)
        ]
        alternatives.append(and_(*equal_prefix, _after(table.c[key.column], key, values[i])))
    return or_(*alternatives)


def _equal(column: ColumnElement[Any], value: Any) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _after(column: ColumnElement[Any], key: SortKey, value: Any) -> ColumnElement[bool]:
    """`column` strictly after `value` in the key's direction, nulls sorting after every
    value (so nothing comes after a null ascending, and every value does descending)."""
    if key.descending:
        return column.is_not(None) if value is None else column < value
    if value is None:
        return false()
    later = column > value
    return or_(later, column.is_(None)) if column.nullable else later


def _order_by(table: FromClause, order: Sequence[SortKey]) -> list[UnaryExpression[Any]]:
    ordering = []
    for key in order:
        column = table.c[key.column]
        if key.descending:
            ordering.append(column.desc().nulls_first() if column.nullable else column.desc())
        else:
            ordering.append(column.asc().nulls_last() if column.nullable else column.asc())
    return ordering


def _window_conditions(table: FromClause, request: PageRequest) -> list[ColumnElement[bool]]:
    conditions = []
    if request.after is not None:
        values = decode_cursor(request.after, table, request.order)
        conditions.append(_beyond(table, request.order, values))
    if request.before is not None:
        values = decode_cursor(request.before, table, request.order)
        flipped = [k.flipped() for k in request.order]
        conditions.append(_beyond(table, flipped, values))
    return conditions


def _scan_order(request: PageRequest) -> list[SortKey]:
    return list(request.order) if request.forward else [k.flipped() for k in request.order]


def to_page(rows: Sequence[Row[Any]], request: PageRequest) -> Page:
    has_more = len(rows) > request.limit
    rows = list(rows[: request.limit])
    if not request.forward:
        rows.reverse()
    if request.forward:
        return Page(rows, request.order, has_more, request.after is not None)
    return Page(rows, request.order, request.before is not None, has_more)


def page_statement(
    table: FromClause,
    request: PageRequest,
    conditions: Sequence[ColumnElement[bool]],
    columns: Columns = None,
) -> Any:
    return (
        projected(table, columns, "id", *(key.column for key in request.order))
        .where(*conditions, *_window_conditions(table, request))
        .order_by(*_order_by(table, _scan_order(request)))
        .limit(request.limit + 1)
    )


def partitioned_page_statement(
    table: FromClause,
    request: PageRequest,
    conditions: Sequence[ColumnElement[bool]],
    parent_column: str,
    of_parents: ColumnElement[bool],
    columns: Columns = None,
) -> Any:
    """Each parent's page, parents chosen by `of_parents` (a condition on `parent_column`)."""
    parent = table.c[parent_column]
    position = (
        func.row_number()
        .over(partition_by=parent, order_by=_order_by(table, _scan_order(request)))
        .label("_position")
    )
    ranked = (
        projected(table, columns, "id", parent_column, *(key.column for key in request.order))
        .add_columns(position)
        .where(of_parents, *conditions, *_window_conditions(table, request))
        .subquery()
    )
    return (
        select(ranked)
        .where(ranked.c._position <= request.limit + 1)
        .order_by(ranked.c[parent_column], ranked.c._position)
    )


def pages_by_parent(
    rows: Sequence[Row[Any]], request: PageRequest, parent_column: str
) -> Mapping[Hashable, Page]:
    grouped: dict[Hashable, list[Row[Any]]] = {}
    for parent, row in zip(values_of(rows, parent_column), rows, strict=True):
        grouped.setdefault(parent, []).append(row)
    return {parent: to_page(group, request) for parent, group in grouped.items()}


def count_statement(table: FromClause, conditions: Sequence[ColumnElement[bool]]) -> Any:
    return select(func.count()).select_from(table).where(*conditions)


def partitioned_count_statement(
    table: FromClause,
    conditions: Sequence[ColumnElement[bool]],
    parent_column: str,
    of_parents: ColumnElement[bool],
) -> Any:
    parent = table.c[parent_column]
    return select(parent, func.count().label("n")).where(of_parents, *conditions).group_by(parent)
