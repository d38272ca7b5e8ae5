"""Operations over one root field at a time, from hypothesis-graphql, made hostile.

Generating per root field (rather than from the whole root type) covers every field on every
run. Two passes over each generated document: ID values are mostly swapped for real IDs of the
type the argument names (`variantId` -> a Variant; `id` of `approveOrder` -> an Order), so
mutations get past "not found" into business logic; and each root argument is sent, at
random, as a variable rather than inline, since some values (lone surrogates) can only
arrive as JSON escapes in variables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import graphql
import hypothesis_graphql
from hypothesis import strategies as st
from hypothesis_graphql import Mode

from tests.support.fuzz.values import scalar_strategies

# Words in argument and field names that mean a node type other than themselves.
_TYPE_ALIASES = {
    "Family": "ProductFamily",
    "Families": "ProductFamily",
    "FamilyManufacturer": "ProductFamilyManufacturer",
    "Job": "ManufacturingJob",
    "Jobs": "ManufacturingJob",
    "Issue": "JobIssue",
    "Notifications": "Notification",
    "Item": "OrderItem",
}
_ID_NAME = re.compile(r"^(?P<prefix>[a-zA-Z]*?)(Id|Ids|id|ids)$")


@dataclass(frozen=True)
class Operation:
    root: str  # "Query" or "Mutation"
    field: str
    document: str
    variables: dict[str, Any]


def implied_type(name: str, node_types: Sequence[str]) -> str | None:
    """The node type a name speaks of: the longest type (or alias) it contains."""
    words = [*node_types, *_TYPE_ALIASES]
    found = [word for word in words if word.lower() in name.lower()]
    if not found:
        return None
    word = max(found, key=len)
    return _TYPE_ALIASES.get(word, word)


def operations(
    schema: graphql.GraphQLSchema,
    root: str,
    field: str,
    ids_by_type: Mapping[str, Sequence[str]],
    mode: Mode = Mode.POSITIVE,
) -> st.SearchStrategy[Operation]:
    """Operations that select `field` of the `root` type (Query or Mutation); with
    Mode.NEGATIVE, each breaks the schema once (a wrong type, a missing argument), inline."""
    all_ids = [gid for ids in ids_by_type.values() for gid in ids]
    generate = hypothesis_graphql.queries if root == "Query" else hypothesis_graphql.mutations
    documents: st.SearchStrategy[graphql.DocumentNode] = generate(
        schema,
        fields=[field],
        custom_scalars=scalar_strategies(all_ids),
        print_ast=lambda document: document,
        mode=mode,
    )
    root_type = schema.query_type if root == "Query" else schema.mutation_type
    assert root_type is not None

    @st.composite
    def build(draw: st.DrawFn) -> Operation:
        document = draw(documents)
        document = _with_typed_ids(document, field, ids_by_type, draw)
        variables: dict[str, Any] = {}
        if mode is Mode.POSITIVE:  # a broken argument may have no declared type to lift to
            document, variables = _lift_arguments(document, root_type, draw)
        return Operation(root, field, graphql.print_ast(document), variables)

    return build()


def _with_typed_ids(
    document: graphql.DocumentNode,
    field: str,
    ids_by_type: Mapping[str, Sequence[str]],
    draw: st.DrawFn,
) -> graphql.DocumentNode:
    node_types = list(ids_by_type)
    real = {gid for ids in ids_by_type.values() for gid in ids}

    def retyped(name: str, value: graphql.ValueNode) -> graphql.ValueNode | None:
        match = _ID_NAME.match(name)
        if match is None:
            return None
        wanted = implied_type(match["prefix"] or field, node_types)
        candidates = ids_by_type.get(wanted or "", ())
        if not candidates:
            return None

        def swap(node: graphql.ValueNode) -> graphql.ValueNode:
            real_id = isinstance(node, graphql.StringValueNode) and node.value in real
            # Mostly the right type, sometimes another: both must be answered well.
            if real_id and draw(st.integers(0, 3)) > 0:
                return graphql.StringValueNode(value=draw(st.sampled_from(candidates)))
            return node

        if isinstance(value, graphql.ListValueNode):
            return graphql.ListValueNode(values=tuple(swap(item) for item in value.values))
        return swap(value)

    class RetypeIds(graphql.Visitor):
        def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> Any:
            value = retyped(node.name.value, node.value)
            return None if value is None else graphql.ArgumentNode(name=node.name, value=value)

        def enter_object_field(self, node: graphql.ObjectFieldNode, *_: Any) -> Any:
            value = retyped(node.name.value, node.value)
            return None if value is None else graphql.ObjectFieldNode(name=node.name, value=value)

    result: graphql.DocumentNode = graphql.visit(document, RetypeIds())
    return result


def _lift_arguments(
    document: graphql.DocumentNode,
    root_type: graphql.GraphQLObjectType,
    draw: Callable[[st.SearchStrategy[Any]], Any],
) -> tuple[graphql.DocumentNode, dict[str, Any]]:
    """Move some root-field arguments into variables of the argument's declared type."""
    (operation,) = document.definitions
    assert isinstance(operation, graphql.OperationDefinitionNode)
    definitions: list[graphql.VariableDefinitionNode] = []
    variables: dict[str, Any] = {}
    selections = []
    for selection in operation.selection_set.selections:
        if not isinstance(selection, graphql.FieldNode) or not draw(st.booleans()):
            selections.append(selection)
            continue
        declared = root_type.fields[selection.name.value].args
        arguments = []
        for argument in selection.arguments or ():
            name = f"v{len(definitions)}"
            type_node = graphql.parse_type(str(declared[argument.name.value].type))
            definitions.append(
                graphql.VariableDefinitionNode(
                    variable=graphql.VariableNode(name=graphql.NameNode(value=name)),
                    type=type_node,
                    directives=(),
                )
            )
            variables[name] = graphql.value_from_ast_untyped(argument.value)
            arguments.append(
                graphql.ArgumentNode(
                    name=argument.name,
                    value=graphql.VariableNode(name=graphql.NameNode(value=name)),
                )
            )
        selections.append(
            graphql.FieldNode(
                alias=selection.alias,
                name=selection.name,
                arguments=tuple(arguments),
                directives=selection.directives,
                selection_set=selection.selection_set,
            )
        )
    lifted = graphql.OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=tuple(definitions),
        directives=operation.directives,
        selection_set=graphql.SelectionSetNode(selections=tuple(selections)),
    )
    return graphql.DocumentNode(definitions=(lifted,)), variables
