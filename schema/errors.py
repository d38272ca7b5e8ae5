"""`UserError` and `ErrorCode`: how every mutation reports a business-rule failure."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from graphql import GraphQLError, Node

from domain.errors import ErrorCode, Problem
from domain.validation import camel
from schema.enums import graphql_enum

graphql_enum(
    ErrorCode,
    "Why a mutation changed nothing. A payload with errors has changed nothing at all.",
    {
        ErrorCode.VALIDATION: "An input value is malformed or breaks a rule; `field` names it.",
        ErrorCode.NOT_FOUND: "A referenced ID or code does not exist (or is not visible to you).",
        ErrorCode.INVALID_TRANSITION: "The state machine does not allow this status change now.",
        ErrorCode.CONFLICT: "A duplicate (e.g. a code already in use) or a stale "
        "`expectedVersion`: reload and retry.",
        ErrorCode.CREDIT_LIMIT_EXCEEDED: "The manufacturer's credit limit would be exceeded.",
        ErrorCode.IMMUTABLE: "The record can no longer be changed (e.g. a verified COA).",
        ErrorCode.NOT_DELETABLE: "The record is still referenced; deactivate it instead.",
        ErrorCode.INSUFFICIENT_STOCK: "Not enough available stock for the requested quantity.",
        ErrorCode.CURRENCY_MISMATCH: "Amounts in different currencies: never added together.",
        ErrorCode.INSUFFICIENT_CREDIT: "The manufacturer's credit balance does not cover it "
        "(a refund larger than the credit, or a payment's void its refunds would overdraw).",
        ErrorCode.FILE_MISSING: "No file was uploaded for this input (send it as a part of a "
        "multipart request).",
        ErrorCode.FILE_EMPTY: "The uploaded file is empty.",
        ErrorCode.FILE_TOO_LARGE: "The uploaded file is larger than its purpose allows.",
        ErrorCode.FILE_TYPE_NOT_ALLOWED: "The file's content is of a type its purpose does not "
        "accept (the type is read from the bytes, not the name).",
        ErrorCode.FILE_TYPE_MISMATCH: "The file name's extension does not match its content.",
        ErrorCode.FILE_CORRUPT: "The file does not decode (a truncated image, a PDF that does "
        "not parse).",
        ErrorCode.FILE_IMAGE_TOO_LARGE: "The image has more pixels than allowed (a "
        "decompression bomb, or simply too big).",
        ErrorCode.FILE_NAME_INVALID: "The file name is empty, too long, or holds a path "
        "separator or a control character.",
        ErrorCode.PAYMENTS_NOT_CONFIGURED: "Payments are not set up on this server "
        "(STRIPE_SECRET_KEY is unset); nothing was created.",
        ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE: "Stripe could not be reached or failed; the "
        "order stays a payable draft. Retryable: try again later (resumeCheckout).",
        ErrorCode.PAYMENT_PROVIDER_REFUSED: "Stripe refused the request (e.g. a refund larger "
        "than what is left); not retryable as it is.",
    },
)


@strawberry.type(description="A business-rule failure reported by a mutation.")
class UserError:
    code: ErrorCode = strawberry.field(description="Machine-readable reason.")
    field: list[str] | None = strawberry.field(
        description='Path to the input field at fault, e.g. ["input", "code"]; '
        "null when the error concerns the whole input."
    )
    message: str = strawberry.field(description="Human-readable explanation.")

    @classmethod
    def from_problems(cls, problems: Sequence[Problem]) -> list[UserError]:
        return [
            cls(
                code=p.code,
                field=[camel(part) for part in p.field] if p.field else None,
                message=p.message,
            )
            for p in problems
        ]


BAD_USER_INPUT = "BAD_USER_INPUT"


def bad_user_input(message: str, nodes: Node | Sequence[Node] | None = None) -> GraphQLError:
    """A top-level error for malformed arguments of a query (API.md: BAD_USER_INPUT), at the
    document's `nodes` when there are any to point at."""
    return GraphQLError(message, nodes=nodes, extensions={"code": BAD_USER_INPUT})
