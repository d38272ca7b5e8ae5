"""Lists of objects completed a level at a time instead of a field at a time.

graphql-core resolves each field of each object on its own. The ops board's 100 jobs, with
their lines, variants, products and families, make ~4,000 resolver calls. Each call gets its
own resolve info, path and awaitable checks, and each relation gets its own coroutine.

This executor takes over where graphql-core completes a list of objects. It runs each
selected field once per *level*, over every object in the list:

- attributes are read in a loop;
- resolvers that read only `self` are called in a loop;
- declared relations (`schema.execution.relations`) make one `load` call, and hand the level below
  their rows rather than nodes (`schema.execution.levels`);
- nested objects and lists are completed the same way, a level at a time.

It builds the response dicts itself.

Other fields are executed by graphql-core, one object at a time: fields with arguments, fields
with extensions (permissions), and resolvers that take `info`. So the response is the same as
without this executor. A relation whose batch load raises (a viewer refused a whole type) is
also re-run one object at a time, so that each path carries its own error, as graphql-core
reports it.

Null propagation follows the spec: an error in a non-null position nulls the nearest nullable
ancestor, and the error is recorded there once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLError,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLString,
    get_named_type,
    is_leaf_type,
    located_error,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.language import FieldNode
from graphql.pyutils import Path, Undefined, is_iterable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from observability import tracing
from resolvers.columns import Columns
from resolvers.gather import gather_or_cancel
from schema.execution.levels import Level, ObjectLevel, level_of
from schema.execution.projection import columns_read
from schema.execution.resolution import STRAWBERRY_FIELD, TYPENAME, Kind, Resolution, resolution_of


class Failed:
    """A position that is null but must not be. Its error travels up to the nearest nullable
    ancestor, which becomes null and records it."""

    __slots__ = ("error",)

    def __init__(self, error: GraphQLError) -> None:
        self.error = error


@dataclass(frozen=True)
class Site:
    """One field of the query, where its values are completed: for error messages and
    locations, and for the resolve info of relations."""

    parent_type: GraphQLObjectType
    response_name: str
    field_details: FieldDetailsList
    field_def: GraphQLField
    nodes: list[FieldNode]

    @property
    def label(self) -> str:
        return f"{self.parent_type.name}.{self.field_details[0].node.name.value}"


@dataclass(frozen=True)
class FieldPlan:
    site: Site
    resolution: Resolution
    leaf: bool  # a scalar or enum (or a list of them): nothing below it to load


@dataclass(frozen=True)
class ObjectPlan:
    """The fields selected on one object type at one place in the query."""

    keys: tuple[str, ...]
    fields: tuple[FieldPlan, ...]


class FieldPaths:
    """The paths of one field over a level of objects, built only where one is needed (an
    error, a relation's resolve info, a field graphql-core executes): most values are
    leaves or objects that never need theirs, and building a path for each of a board's
    ~1,500 objects was ~4% of its CPU."""

    __slots__ = ("_key", "_parents", "_typename")

    def __init__(self, parents: Paths, key: str, typename: str) -> None:
        self._parents = parents
        self._key = key
        self._typename = typename

    def __getitem__(self, index: int) -> Path:
        return Path(self._parents[index], self._key, self._typename)


class SomePaths:
    """The paths at some positions of a level (the objects that are not null)."""

    __slots__ = ("_indexes", "_paths")

    def __init__(self, paths: Paths, indexes: Sequence[int]) -> None:
        self._paths = paths
        self._indexes = indexes

    def __getitem__(self, index: int) -> Path:
        return self._paths[self._indexes[index]]


class ItemPaths:
    """The paths of the items of a level of lists, completed as one batch: item `index`
    is at position `index - start` of the list that starts there."""

    __slots__ = ("_lists", "_paths", "_starts")

    def __init__(self, paths: Paths, starts: list[int], lists: list[int]) -> None:
        self._paths = paths
        self._starts = starts  # where each non-empty list's items start, ascending
        self._lists = lists  # the position of that list in the level

    def __getitem__(self, index: int) -> Path:
        which = bisect_right(self._starts, index) - 1
        owner = self._paths[self._lists[which]]
        return Path(owner, index - self._starts[which], None)


Paths = Sequence[Path] | FieldPaths | SomePaths | ItemPaths


_SLOW = object()  # a leaf value quick_leaves leaves to the type's coercer


@cache
def quick_leaves(type_: Any) -> Callable[[list[Any]], list[Any]] | None:
    """For a leaf type whose common values complete without a call (str for String and ID,
    bool for Boolean, a 32-bit int for Int, the members of a strawberry enum), a function
    completing a batch of values in one comprehension: None stays None, anything else
    comes back as _SLOW."""
    quick: Callable[[list[Any]], list[Any]] | None = None
    members = getattr(type_, "wrapped_cls", None)
    exact = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}.get(type_)
    if members is not None:
        # By identity: members are singletons that live as long as their class, and
        # Enum.__hash__ is a Python call.
        by_id = {id(member): name for member, name in _enum_names(type_, members).items()}
        by_id[id(None)] = None

        def by_name(values: list[Any]) -> list[Any]:
            return [by_id.get(id(v), _SLOW) for v in values]

        quick = by_name
    elif exact is not None:
        python_type = exact

        def as_is(values: list[Any]) -> list[Any]:
            return [v if type(v) is python_type or v is None else _SLOW for v in values]

        quick = as_is
    elif type_ is GraphQLInt:
        # Ints within GraphQL's 32 bits (quantities, counts); bools and the rest are
        # checked, or refused, by GraphQLInt itself.
        def as_int(values: list[Any]) -> list[Any]:
            low, high = GRAPHQL_MIN_INT, GRAPHQL_MAX_INT
            return [
                v if v is None or (type(v) is int and low <= v <= high) else _SLOW for v in values
            ]

        quick = as_int
    return quick


def _enum_names(type_: Any, members: Any) -> dict[Any, Any]:
    """What the enum's coercer answers for each member (members it refuses are left out)."""
    names = {}
    for member in members:
        try:
            names[member] = type_.coerce_output_value(member)
        except Exception:
            continue
    return names


class BatchedLists(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, completing lists of objects a level at a time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made here, like graphql-core's own subfield memo, so that a subscription's
        # per-event executors (shallow copies of this one) share one set of plans.
        self._batched_plans: dict[Any, tuple[FieldDetailsList, ObjectPlan | None]] = {}

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        item_type = return_type.of_type
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if (
            isinstance(object_type, GraphQLObjectType)
            and isinstance(result, list | tuple)
            and position_context is None
            and self.error_propagation
            and not _has_middleware(self)
            and self._object_plan(object_type, field_details_list) is not None
        ):
            site = Site(
                info.parent_type,
                path.key if isinstance(path.key, str) else info.field_name,
                field_details_list,
                info.parent_type.fields[info.field_name],
                list(info.field_nodes),
            )
            return self._complete_whole_list(return_type, site, path, result)
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    async def _complete_whole_list(
        self, return_type: GraphQLList[Any], site: Site, path: Path, items: Sequence[Any]
    ) -> Any:
        (completed,) = await self._complete_nullable(return_type, site, [items], [path])
        if isinstance(completed, Failed):
            raise completed.error  # graphql-core nulls the list field or propagates further
        return completed

    # -- plans -------------------------------------------------------------------------

    def _object_plan(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> ObjectPlan | None:
        """What to run for each selected field, or None where this executor does not apply
        (deferred fragments). Memoised like graphql-core's collect_subfields."""
        plans = self._batched_plans
        key = (object_type, id(field_details_list))
        cached = plans.get(key)
        if cached is not None:
            plan: ObjectPlan | None = cached[1]
            return plan
        grouped, defer_usages, _forbidden = self.collect_subfields(object_type, field_details_list)
        plan = None
        if not defer_usages:
            fields = []
            for response_name, details in grouped.items():
                field_def = self.schema.get_field(object_type, details[0].node.name.value)
                assert field_def is not None  # the document was validated
                site = Site(
                    object_type, response_name, details, field_def, [d.node for d in details]
                )
                if details[0].node.name.value == "__typename":
                    resolution = TYPENAME
                else:
                    resolution = resolution_of(field_def)
                leaf = is_leaf_type(get_named_type(field_def.type))
                fields.append(FieldPlan(site, resolution, leaf))
            plan = ObjectPlan(tuple(grouped), tuple(fields))
        plans[key] = (field_details_list, plan)
        return plan

    def _below(self, field: FieldPlan, node_type: type[Any]) -> tuple[bool, Columns]:
        """Whether this executor completes the objects under `field` a level at a time (so
        they may be rows: `schema.execution.levels`), and the columns of `node_type` they read."""
        object_type = get_named_type(field.site.field_def.type)
        if not isinstance(object_type, GraphQLObjectType):
            return False, None
        plan = self._object_plan(object_type, field.site.field_details)
        if plan is None:
            return False, None
        return True, columns_read(
            node_type,
            [f.site.field_def for f in plan.fields if f.resolution.kind is not Kind.TYPENAME],
        )

    # -- completing a batch of values of one type --------------------------------------

    async def _complete(
        self, type_: GraphQLOutputType, site: Site, values: list[Any], paths: Paths
    ) -> list[Any]:
        """Complete `values` (one per position) as `type_`. A position that must not be null
        but is comes back as Failed."""
        if isinstance(type_, GraphQLNonNull):
            completed = await self._complete_nullable(type_.of_type, site, values, paths)
            for index, value in enumerate(completed):
                if value is None:
                    message = f"Cannot return null for non-nullable field {site.label}."
                    completed[index] = self._failed(TypeError(message), site, paths[index])
            return completed
        completed = await self._complete_nullable(type_, site, values, paths)
        for index, value in enumerate(completed):
            if type(value) is Failed:
                self.collected_errors.add(value.error, paths[index])
                completed[index] = None
        return completed

    async def _complete_nullable(
        self, type_: GraphQLOutputType, site: Site, values: list[Any], paths: Paths
    ) -> list[Any]:
        if is_leaf_type(type_):
            return self._complete_leaves(type_, site, values, paths)
        if isinstance(type_, GraphQLList):
            return await self._complete_lists(type_, site, values, paths)
        if isinstance(type_, GraphQLObjectType) and self._object_plan(type_, site.field_details):
            return await self._complete_objects(type_, site, values, paths)
        return await self._complete_each(type_, site, values, paths)

    def _complete_leaves(
        self, type_: Any, site: Site, values: list[Any], paths: Paths
    ) -> list[Any]:
        quick = quick_leaves(type_)
        if quick is None:
            return self._coerce_leaves(type_, site, values, paths, range(len(values)))
        # Most leaves serialise as themselves (a str for a String) or by a lookup (an enum
        # member): one comprehension does those, and only the rest take the full path.
        completed = quick(values)
        others = [index for index, value in enumerate(completed) if value is _SLOW]
        if others:
            slow = self._coerce_leaves(type_, site, [values[i] for i in others], paths, others)
            for index, value in zip(others, slow, strict=True):
                completed[index] = value
        return completed

    def _coerce_leaves(
        self,
        type_: Any,
        site: Site,
        values: list[Any],
        paths: Paths,
        positions: Sequence[int],
    ) -> list[Any]:
        """Each value through the type's coercer; `positions` are their indexes in `paths`."""
        coerce = type_.coerce_output_value
        completed: list[Any] = []
        append = completed.append
        for index, value in zip(positions, values, strict=True):
            if value is None:
                append(None)
                continue
            try:
                if isinstance(value, Exception):
                    raise value
                coerced = coerce(value)
                if coerced is None or coerced is Undefined:
                    message = (
                        f"Expected `{type_}.coerce_output_value({value!r})` to return "
                        "non-nullable value."
                    )
                    raise TypeError(message)
            except Exception as error:
                append(self._failed(error, site, paths[index]))
                continue
            append(coerced)
        return completed

    async def _complete_lists(
        self, type_: GraphQLList[Any], site: Site, values: list[Any], paths: Paths
    ) -> list[Any]:
        """All items of all the lists completed as one batch, then cut back into lists."""
        items: list[Any] = []
        starts: list[int] = []
        lists: list[int] = []
        spans: list[Any] = []
        for index, value in enumerate(values):
            if value is None or isinstance(value, Exception):
                spans.append(value)
                continue
            if not isinstance(value, list | tuple):
                if not is_iterable(value):
                    message = f"Expected Iterable, but did not find one for field '{site.label}'."
                    spans.append(GraphQLError(message))
                    continue
                value = list(value)
            start = len(items)
            if value:
                starts.append(start)
                lists.append(index)
                items.extend(value)
            spans.append((start, len(items)))
        item_paths = ItemPaths(paths, starts, lists)
        done = await self._complete(type_.of_type, site, items, item_paths)
        completed: list[Any] = []
        for index, span in enumerate(spans):
            if span is None:
                completed.append(None)
            elif isinstance(span, Exception):
                completed.append(self._failed(span, site, paths[index]))
            else:
                chunk = done[span[0] : span[1]]
                failure = next((item for item in chunk if type(item) is Failed), None)
                completed.append(chunk if failure is None else failure)
        return completed

    async def _complete_objects(
        self, type_: GraphQLObjectType, site: Site, values: list[Any], paths: Paths
    ) -> list[Any]:
        completed: list[Any] = [None] * len(values)
        present: list[int] = []
        for index, value in enumerate(values):
            if isinstance(value, Exception):
                completed[index] = self._failed(value, site, paths[index])
            elif value is not None:
                present.append(index)
        if present:
            every = len(present) == len(values)
            objects = await self._execute_objects(
                type_,
                site.field_details,
                values if every else [values[index] for index in present],
                paths if every else SomePaths(paths, present),
            )
            for index, result in zip(present, objects, strict=True):
                completed[index] = result
        return completed

    async def _complete_each(
        self, type_: GraphQLOutputType, site: Site, values: list[Any], paths: Paths
    ) -> list[Any]:
        """Interfaces and unions: graphql-core completes each value."""

        def complete(index: int, path: Path) -> Any:
            info = self.build_resolve_info(site.field_def, site.nodes, site.parent_type, path)
            return self.complete_value(type_, site.field_details, info, path, values[index], None)

        present = [index for index, value in enumerate(values) if value is not None]
        return await self._each(site, len(values), present, [paths[i] for i in present], complete)

    async def _each(
        self,
        site: Site,
        size: int,
        indexes: list[int],
        paths: Sequence[Path],
        run: Callable[[int, Path], Any],
    ) -> list[Any]:
        """`run(index, path)` for each of `indexes` (graphql-core, one object at a time),
        awaited together: each result, or Failed where it raised. Other positions are None."""
        completed: list[Any] = [None] * size
        pending: list[Awaitable[None]] = []
        for index, path in zip(indexes, paths, strict=True):
            try:
                result = run(index, path)
            except Exception as error:  # a non-null field's error, already located
                completed[index] = self._failed(error, site, path)
                continue
            if self.is_awaitable(result):
                pending.append(self._settle(result, completed, index, site, path))
            else:
                completed[index] = result
        await _gather(pending)
        return completed

    async def _settle(
        self, awaitable: Any, into: list[Any], index: int, site: Site, path: Path
    ) -> None:
        try:
            into[index] = await awaitable
        except Exception as error:
            into[index] = self._failed(error, site, path)

    def _failed(self, error: Exception, site: Site, path: Path) -> Failed:
        return Failed(located_error(error, site.nodes, path.as_list()))

    # -- one level of objects ----------------------------------------------------------

    async def _execute_objects(
        self,
        object_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        sources: list[Any],
        paths: Paths,
    ) -> list[Any]:
        """Each object's response dict (keys in selection order), or Failed; with tracing
        on, in a span per level (observability/tracing.py)."""
        if not tracing.enabled():
            return await self._complete_level(object_type, field_details_list, sources, paths)
        attributes = {"graphql.type": object_type.name, "opsgraph.objects": len(sources)}
        with tracing.child_span(f"level {object_type.name}", attributes):
            return await self._complete_level(object_type, field_details_list, sources, paths)

    async def _complete_level(
        self,
        object_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        sources: list[Any],
        paths: Paths,
    ) -> list[Any]:
        plan = self._object_plan(object_type, field_details_list)
        assert plan is not None
        failed: list[Failed | None] = [None] * len(sources)
        origin = _origin(object_type)
        level = level_of(origin, sources)
        is_type_of = object_type.is_type_of
        if is_type_of is not None and isinstance(level, ObjectLevel):
            for index, source in enumerate(sources):
                if type(source) is origin:
                    continue  # what is_type_of would answer, without the call
                if not is_type_of(source, None):  # type: ignore[arg-type]
                    message = f"Expected value of type '{object_type.name}' but got: {source!r}."
                    failed[index] = Failed(
                        GraphQLError(message, [d.node for d in field_details_list])
                    )
        blank = dict.fromkeys(plan.keys)  # copying a dict is faster than building one
        results = [blank.copy() for _ in sources]
        concurrent: list[Awaitable[None]] = []
        for field in plan.fields:
            kind = field.resolution.kind
            if kind is Kind.TYPENAME:
                for result in results:
                    result[field.site.response_name] = object_type.name
                continue
            run = self._run_field(object_type, field, level, paths, results, failed)
            if field.leaf and kind is not Kind.PER_OBJECT:
                await run  # completes without waiting for anything
            else:
                concurrent.append(run)  # so the loads of every field dispatch in one batch
        await _gather(concurrent)
        return [
            result if failure is None else failure
            for result, failure in zip(results, failed, strict=True)
        ]

    async def _run_field(
        self,
        object_type: GraphQLObjectType,
        field: FieldPlan,
        level: Level,
        paths: Paths,
        results: list[dict[str, Any]],
        failed: list[Failed | None],
    ) -> None:
        site, resolution = field.site, field.resolution
        field_paths = FieldPaths(paths, site.response_name, object_type.name)
        values: list[Any] | None = None
        if resolution.kind is Kind.ATTRIBUTE:
            values = level.values(resolution.attribute)
        elif resolution.kind is Kind.METHOD:
            assert resolution.method is not None
            values = level.call(resolution.method)
        elif resolution.kind is Kind.RELATION:
            relation = resolution.relation
            assert relation is not None
            raw_info = self.build_resolve_info(
                site.field_def, site.nodes, object_type, field_paths[0]
            )
            info: Info[Any, Any] = Info(_raw_info=raw_info, _field=resolution.strawberry_field)
            rows, columns = self._below(field, relation.node_type)
            try:
                keys = level.values(relation.parent_key)
                values = await relation.load(info, keys, columns, rows=rows)
            except Exception:
                values = None  # refused as a whole: each object reports its own error
        if values is None:
            completed = await self._execute_each(object_type, site, level.objects(), field_paths)
        else:
            completed = await self._complete(site.field_def.type, site, values, field_paths)
        name = site.response_name
        for index, value in enumerate(completed):
            if type(value) is Failed:
                if failed[index] is None:
                    failed[index] = value
            else:
                results[index][name] = value

    async def _execute_each(
        self,
        object_type: GraphQLObjectType,
        site: Site,
        sources: Sequence[Any],
        field_paths: FieldPaths,
    ) -> list[Any]:
        """graphql-core executes the field on each object (arguments, permissions, info)."""

        def execute(index: int, path: Path) -> Any:
            return self.execute_field(object_type, sources[index], site.field_details, path, None)

        every = list(range(len(sources)))
        return await self._each(site, len(sources), every, [field_paths[i] for i in every], execute)


def _origin(object_type: GraphQLObjectType) -> type[Any] | None:
    definition = (object_type.extensions or {}).get(STRAWBERRY_FIELD)
    origin: type[Any] | None = getattr(definition, "origin", None)
    return origin


def _has_middleware(executor: Any) -> bool:
    """Strawberry always passes a manager; it holds the extensions that wrap resolvers."""
    manager = executor.middleware_manager
    return manager is not None and bool(manager.middlewares)


async def _gather(awaitables: list[Awaitable[None]]) -> None:
    if len(awaitables) == 1:
        await awaitables[0]
    elif awaitables:
        await gather_or_cancel(awaitables)
