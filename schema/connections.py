"""Relay connections: one generic type and one resolver behind every list in the graph."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Hashable, Sequence
from enum import Enum
from functools import cache, lru_cache
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from sqlalchemy import ColumnElement, FromClause, Row
from strawberry.types import Info

from resolvers import pagination
from resolvers.columns import Columns
from resolvers.loaders import visible
from resolvers.pagination import Page, PageRequest, PaginationError, SortKey
from schema.context import request_context
from schema.errors import bad_user_input
from schema.execution.projection import connection_node_columns
from schema.node import build_nodes, visibility

NodeT = TypeVar("NodeT")


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("asc", description="Ascending: A→Z, 0→9, oldest first.")
    DESC = strawberry.enum_value("desc", description="Descending: Z→A, 9→0, newest first.")


@strawberry.type(description="Where a page sits in the whole list (Relay).")
class PageInfo:
    page: strawberry.Private[Page]

    @strawberry.field(description="More items follow this page.")
    def has_next_page(self) -> bool:
        return self.page.has_next_page

    @strawberry.field(description="Items precede this page.")
    def has_previous_page(self) -> bool:
        return self.page.has_previous_page

    @strawberry.field(description="Cursor of the first edge.")
    def start_cursor(self) -> str | None:
        return self.page.start_cursor()

    @strawberry.field(description="Cursor of the last edge.")
    def end_cursor(self) -> str | None:
        return self.page.end_cursor()


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[NodeT]):
    page: strawberry.Private[Page]
    row: strawberry.Private[Row[Any]]

    @strawberry.field(description="Pass as `after`/`before` to page from here.")
    def cursor(self) -> str:
        return self.page.cursor(self.row)

    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list (Relay connection).")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Pagination state.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items match the filter, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


@dataclasses.dataclass(frozen=True)
class Window:
    """The Relay window arguments as the client sent them."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


def freeze(value: Any) -> Hashable:
    """A hashable, value-equal form of a filter input, to share loaders between parents."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple((f.name, freeze(getattr(value, f.name))) for f in dataclasses.fields(value))
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, Enum):
        frozen: Hashable = value.value
        return frozen
    frozen = value
    return frozen


def sort_keys(order_by: Sequence[Any] | None, default: Sequence[SortKey]) -> list[SortKey]:
    """Turn `orderBy: [{field, direction}]` into sort keys; field enum values are columns."""
    if not order_by:
        return list(default)
    return [SortKey(item.field.value, item.direction == OrderDirection.DESC) for item in order_by]


def _connection(
    node_type: type[NodeT], page: Page, count: Callable[[], Awaitable[int]]
) -> Connection[NodeT]:
    edges = [
        Edge(page=page, row=row, node=node)
        for row, node in zip(page.rows, build_nodes(node_type, page.rows), strict=True)
    ]
    return Connection(edges=edges, page_info=PageInfo(page=page), count=count)


def _page_statement(
    source: FromClause,
    request: PageRequest,
    conditions: Sequence[ColumnElement[bool]],
    columns: Columns,
) -> Any:
    """The page statement of a top-level connection."""
    if conditions:
        return pagination.page_statement(source, request, [*conditions, *visible(source)], columns)
    return _unfiltered_page(source, request, columns)


@lru_cache(maxsize=512)  # bounded: page sizes, cursors and column sets come from clients
def _unfiltered_page(source: FromClause, request: PageRequest, columns: Columns) -> Any:
    """The statement of a page with no filter (a board, a list screen): the same object
    every time, which SQLAlchemy finds in its compiled cache without building and keying a
    new statement per request."""
    return pagination.page_statement(source, request, visible(source), columns)


def _count_statement(source: FromClause, conditions: Sequence[ColumnElement[bool]]) -> Any:
    """The totalCount statement of a top-level connection (cursors do not narrow it)."""
    if conditions:
        return pagination.count_statement(source, [*conditions, *visible(source)])
    return _unfiltered_count(source)


@cache
def _unfiltered_count(source: FromClause) -> Any:
    return pagination.count_statement(source, visible(source))


async def resolve_connection(
    info: Info[Any, Any],
    node_type: type[NodeT],
    source: FromClause,
    *,
    window: Window,
    order: Sequence[SortKey],
    conditions: Sequence[ColumnElement[bool]] = (),
    filter_key: Hashable = None,
    parent: tuple[str, uuid.UUID] | None = None,
) -> Connection[NodeT]:
    """Resolve a connection field. With `parent` (column, id) the page is one of many
    fetched together by a loader, so nesting under a list costs no extra statements."""
    ctx = request_context(info)
    # Rows the viewer may not see are never selected, so pages and totals agree.
    conditions = [*conditions, *visibility(info, node_type).conditions()]
    columns = connection_node_columns(info, node_type)
    try:
        request = PageRequest.build(
            first=window.first,
            after=window.after,
            last=window.last,
            before=window.before,
            order=order,
        )
        if parent is None:
            rows = await ctx.reader.fetch(_page_statement(source, request, conditions, columns))
            ctx.loaders.prime(source, rows, columns)
            page = pagination.to_page(rows, request)

            async def count() -> int:
                result = await ctx.reader.fetch(_count_statement(source, conditions))
                return int(result[0][0])

            return _connection(node_type, page, count)

        column, parent_id = parent
        pages = ctx.loaders.pages(source, column, request, conditions, filter_key, columns)
        page = await pages.load(parent_id)
        counter = ctx.loaders.counts(source, column, conditions, filter_key)

        async def count_child() -> int:
            return await counter.load(parent_id)

        return _connection(node_type, page, count_child)
    except PaginationError as exc:
        raise bad_user_input(str(exc)) from exc


# Window arguments, declared once for every connection field.
First = Annotated[
    int | None,
    strawberry.argument(description="Return the first n items (default 20, at most 100)."),
]
After = Annotated[str | None, strawberry.argument(description="Start after this cursor.")]
Last = Annotated[
    int | None, strawberry.argument(description="Return the last n items (at most 100).")
]
Before = Annotated[str | None, strawberry.argument(description="End before this cursor.")]
