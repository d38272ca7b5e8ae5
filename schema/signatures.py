"""Resolvers built from a declaration (a list, a lookup, a node mutation) get their GraphQL
arguments from the signature strawberry reads; this writes that signature once for all."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from strawberry.types import Info

# The default of an argument the client must pass (`input: X!`); optional ones default to
# None, which the schema shows as `= null`.
REQUIRED: Any = inspect.Parameter.empty


def declare(
    resolve: Callable[..., Any],
    arguments: Sequence[tuple[str, Any]],
    returns: Any,
    default: Any = None,
) -> None:
    """Give `resolve(self, info, **arguments)` these (name, annotation) arguments, in schema
    order, all with `default`, and the return type `returns`."""
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        inspect.Parameter("self", positional),
        inspect.Parameter("info", positional, annotation=Info),
    ]
    for name, annotation in arguments:
        parameters.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
            )
        )
    resolve.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    resolve.__annotations__ = {"info": Info, **dict(arguments), "return": returns}
