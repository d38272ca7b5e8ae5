"""How the errors of an operation are logged and shown: a client's mistake is not our fault.

An error is our fault when it carries an exception that is not a GraphQLError: a resolver,
the database or an extension failed in a way nobody meant to show. It is logged at ERROR
with its traceback under the request id, and the client gets INTERNAL_SERVER_ERROR with
that id (no SQL, no traces). Every other error was caused by the request (a document that
does not parse or validate, BAD_USER_INPUT, FORBIDDEN, UNAUTHENTICATED, QUERY_TOO_COMPLEX,
RATE_LIMITED, NOT_FOUND, ...): one INFO line without traceback, and the client sees it as is.

`report` is called once for every list of errors strawberry produces (OpsGraphSchema.
process_errors), before any extension sees the result; faults raised before execution (in
an extension, while preparing the operation) reach no other hook.
"""

from __future__ import annotations

import logging
import re

from graphql import GraphQLError

log = logging.getLogger("opsgraph.errors")

# Client errors named in one INFO line per operation, at most this many.
_NAMED = 5


def is_fault(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def report(errors: list[GraphQLError], request_id: str | None) -> None:
    """Log `errors` by the policy above and mask the faults among them, in place: strawberry
    hands this hook the list the client will get."""
    client = [error for error in errors if not is_fault(error)]
    if client:
        log.info(
            "client error in request %s: %s",
            request_id,
            "; ".join(_describe(error) for error in client[:_NAMED])
            + (f"; and {len(client) - _NAMED} more" if len(client) > _NAMED else ""),
        )
    for index, error in enumerate(errors):
        if is_fault(error):
            errors[index] = _masked(error, request_id)


def _masked(error: GraphQLError, request_id: str | None) -> GraphQLError:
    original = error.original_error
    assert original is not None
    log.error(
        "unexpected error in request %s at %s",
        request_id,
        error.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    return GraphQLError(
        "Internal server error",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )


def _describe(error: GraphQLError) -> str:
    code = (error.extensions or {}).get("code", "GRAPHQL")
    where = f" at {'.'.join(map(str, error.path))}" if error.path else ""
    return f"{code}{where}: {without_values(error.message)[:200]}"


# graphql-core quotes the offending input at the end of a coercion error ("Int cannot
# represent non-integer value: '…'", "Expected value of type 'Int!', found …"): it may be a
# bank account or a tax ID sent in the wrong field, so the log gets the message without it.
_QUOTED_INPUT = re.compile(r"(value:|found|value) ('|\"|\{|\[|-?\d).*$", re.DOTALL)


def without_values(message: str) -> str:
    return _QUOTED_INPUT.sub(r"\1 (value not logged)", message)
