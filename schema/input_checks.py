"""The one place every input passes: before validation, every string of the request's
variables (JSON values and keys included) and of the document's string literals is checked
against domain/bounds.py, whatever field or scalar it is meant for, so no field can forget.

Also lifts BAD_USER_INPUT from a scalar's refusal (schema/scalars.py) onto the error
graphql-core wraps it in ("Variable '$x' has invalid value ..."), which has no code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, visit
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from domain.bounds import text_problem, value_problems
from schema.errors import bad_user_input


class InputChecks(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not context.pre_execution_errors:
            refused = list(_refused_variables(context.variables))
            document = context.graphql_document
            if document is not None and _may_hold_bad_literals(context.query):
                refused += _refused_literals(document)
            if refused:
                # Counts as validation done: strawberry answers these and runs nothing.
                context.pre_execution_errors = refused
        yield
        lift_input_codes(context.pre_execution_errors)

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        lift_input_codes(getattr(result, "errors", None))


def lift_input_codes(errors: list[GraphQLError] | None) -> None:
    """An error wrapping a coded refusal of ours takes its code (in place: strawberry holds
    the same list as the result's)."""
    for index, error in enumerate(errors or ()):
        original = error.original_error
        code = (
            (original.extensions or {}).get("code") if isinstance(original, GraphQLError) else None
        )
        if code is not None and not (error.extensions or {}).get("code"):
            errors[index] = GraphQLError(  # type: ignore[index]
                error.message,
                nodes=error.nodes,
                path=error.path,
                original_error=original,
                extensions={**(error.extensions or {}), "code": code},
            )


def _refused_variables(variables: dict[str, Any] | None) -> Iterator[GraphQLError]:
    for name, value in (variables or {}).items():
        for where, problem in value_problems(value, (name,)):
            shown = where if len(where) <= 120 else where[:117] + "..."  # deep inputs
            yield bad_user_input(f"Variable ${shown} {problem}")


def _may_hold_bad_literals(query: str | None) -> bool:
    """A literal can only spell NUL or a surrogate with a \\u escape (the lexer refuses them
    raw), so most documents need no walk."""
    return query is None or "\\u" in query


def _refused_literals(document: DocumentNode) -> list[GraphQLError]:
    refused: list[GraphQLError] = []

    class Literals(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
            problem = text_problem(node.value)
            if problem:
                refused.append(bad_user_input(f"A string literal {problem}", node))

    visit(document, Literals())
    return refused
