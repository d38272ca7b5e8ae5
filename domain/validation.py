"""Collects input problems so a mutation reports all of them at once."""

from __future__ import annotations

import re
import zoneinfo
from decimal import Decimal
from typing import Any

from domain.bounds import AMOUNT, DecimalKind, IntRange
from domain.errors import ErrorCode, Problem, UserErrors

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)


def camel(name: str) -> str:
    """The GraphQL spelling of a Python field name (lead_time_days -> leadTimeDays)."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


class Checks:
    """`checks.require(cond, field, message)` for each rule, then `checks.raise_if_any()`."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, field: str, message: str, code: ErrorCode = ErrorCode.VALIDATION) -> None:
        self.problems.append(Problem(code, message, ("input", field)))

    def require(self, condition: bool, field: str, message: str) -> None:
        if not condition:
            self.fail(field, message)

    def text(self, field: str, value: str | None, *, max_length: int, required: bool) -> None:
        if value is None:
            self.require(not required, field, f"{camel(field)} is required")
            return
        if required and not value.strip():
            self.fail(field, f"{camel(field)} must not be blank")
        elif len(value) > max_length:
            self.fail(field, f"{camel(field)} must be at most {max_length} characters")

    def required_text(
        self, values: dict[str, Any], field: str, *, max_length: int, creating: bool
    ) -> None:
        """A text an entity must have: required when creating it; on an update, when given,
        not blank."""
        if creating or field in values:
            self.text(field, values.get(field), max_length=max_length, required=True)

    def pattern(self, field: str, value: str | None, regex: re.Pattern[str], rule: str) -> None:
        if value is not None and not regex.fullmatch(value):
            self.fail(field, f"{camel(field)} must match {rule}")

    def positive(self, field: str, value: int | Decimal | None) -> None:
        if value is not None and value <= 0:
            self.fail(field, f"{camel(field)} must be greater than zero")

    def money(self, field: str, value: Decimal | None, *, kind: DecimalKind = AMOUNT) -> None:
        """Fits its column's kind (domain/bounds.py): finite, non-negative, its scale and
        precision."""
        problem = None if value is None else kind.problem(value)
        if problem:
            self.fail(field, f"{camel(field)} {problem}")

    def within(self, field: str, value: int | None, bounds: IntRange) -> None:
        problem = None if value is None else bounds.problem(value)
        if problem:
            self.fail(field, f"{camel(field)} {problem}")

    def email(self, field: str, value: str | None) -> None:
        if value is not None and not _EMAIL.fullmatch(value):
            self.fail(field, f"{camel(field)} must be an email address")

    def url(self, field: str, value: str | None) -> None:
        if value is not None and not _URL.fullmatch(value):
            self.fail(field, f"{camel(field)} must be an http(s) URL")

    def not_null(self, values: dict[str, object], fields: tuple[str, ...]) -> None:
        """Fields that may be omitted from an update but never set to null."""
        for field in fields:
            if field in values and values[field] is None:
                self.fail(field, f"{camel(field)} cannot be null")

    def timezone(self, field: str, value: str | None) -> None:
        if value is None:
            return
        try:
            zoneinfo.ZoneInfo(value)
        # The key is read as a path under TZPATH: a directory ("America") or a name too long
        # for a file raises OSError, and is no zone all the same.
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            self.fail(field, f"{camel(field)} must be an IANA name such as Asia/Karachi")

    def raise_if_any(self) -> None:
        if self.problems:
            raise UserErrors(self.problems)
