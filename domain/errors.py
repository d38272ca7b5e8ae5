"""Business-rule failures, reported to clients as `UserError`s in mutation payloads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Why a mutation changed nothing (API.md "Mutations"). Described in the schema."""

    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    CONFLICT = "CONFLICT"
    CREDIT_LIMIT_EXCEEDED = "CREDIT_LIMIT_EXCEEDED"
    IMMUTABLE = "IMMUTABLE"
    NOT_DELETABLE = "NOT_DELETABLE"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    # Finance: amounts in different currencies were to be added (domain/finance.py).
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    # Finance: a refund (or a payment's void) would take more credit than is left.
    INSUFFICIENT_CREDIT = "INSUFFICIENT_CREDIT"
    # Uploaded files (domain/files.py).
    FILE_MISSING = "FILE_MISSING"
    FILE_EMPTY = "FILE_EMPTY"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    FILE_TYPE_NOT_ALLOWED = "FILE_TYPE_NOT_ALLOWED"
    FILE_TYPE_MISMATCH = "FILE_TYPE_MISMATCH"
    FILE_CORRUPT = "FILE_CORRUPT"
    FILE_IMAGE_TOO_LARGE = "FILE_IMAGE_TOO_LARGE"
    FILE_NAME_INVALID = "FILE_NAME_INVALID"
    # Checkout with Stripe (domain/checkout.py).
    PAYMENTS_NOT_CONFIGURED = "PAYMENTS_NOT_CONFIGURED"
    PAYMENT_PROVIDER_UNAVAILABLE = "PAYMENT_PROVIDER_UNAVAILABLE"
    PAYMENT_PROVIDER_REFUSED = "PAYMENT_PROVIDER_REFUSED"


@dataclass(frozen=True)
class Problem:
    code: ErrorCode
    message: str
    field: tuple[str, ...] | None = None


class UserErrors(Exception):
    """Raised inside a mutation to abort it: the transaction rolls back and the payload
    carries these problems. Raise it with every problem found, not only the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = tuple(problems)

    @classmethod
    def one(cls, code: ErrorCode, message: str, field: Sequence[str] | None = None) -> UserErrors:
        return cls([Problem(code, message, tuple(field) if field else None)])
