"""Input bounds, declared once per kind of value and used by the scalars (schema/scalars.py),
the request's text check (schema/input_checks.py), the column types (db/columns.py) and the
validation layer (domain/validation.py).

A value that breaks its kind's bound is a client's mistake: it is refused where it enters
(BAD_USER_INPUT or a VALIDATION error at its field), never by the database or by arithmetic
later on (API.md "Errors that are not user errors").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

# -- text --------------------------------------------------------------------------------------

# PostgreSQL text and jsonb cannot hold NUL, and UTF-8 cannot encode a lone surrogate (asyncpg
# and aiosqlite both fail on it), so no string input may carry either.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "must not contain a NUL character (U+0000)"
    return "must not contain a lone surrogate (U+D800-U+DFFF)"


# A place in a nested input: its label and its parent's place (shared, so walking a deep
# input costs linear time; the dotted path is spelled only for a problem).
_Place = tuple[str, "_Place | None"]


def _spelled(place: _Place | None) -> str:
    labels = []
    while place is not None:
        label, place = place
        labels.append(label)
    return ".".join(reversed(labels))


def value_problems(value: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """(where, why) for each string of a JSON-like input (keys included) that cannot be
    stored, and each number that is not finite (JSON text may spell NaN and Infinity;
    neither PostgreSQL's jsonb nor its numeric columns hold them). Iterative and linear: a
    deeply nested input must not exhaust the stack or the CPU."""
    root: _Place | None = None
    for label in path:
        root = (label, root)
    pending: list[tuple[object, _Place | None]] = [(value, root)]
    while pending:
        item, place = pending.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                yield _spelled(place), problem
        elif isinstance(item, float):
            if not math.isfinite(item):
                yield _spelled(place), "must be a finite number"
        elif isinstance(item, Mapping):
            for key, child in item.items():
                key_text = str(key)
                problem = text_problem(key_text)
                if problem:
                    # Named by its escaped spelling: the answer must not carry it either.
                    key_text = key_text.encode("unicode_escape", "backslashreplace").decode()
                    yield _spelled((key_text, place)), f"a key {problem}"
                pending.append((child, (key_text, place)))
        elif isinstance(item, list | tuple):
            pending.extend((child, (str(i), place)) for i, child in enumerate(item))


# -- decimals ----------------------------------------------------------------------------------

# A Decimal input is a plain numeral: ASCII digits, an optional minus and fraction. No
# exponent, NaN, Infinity, underscores, other scripts' digits or surrounding spaces.
DECIMAL_NUMERAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# Digits any Decimal input may carry: arithmetic on it stays exact in the default context.
MAX_DECIMAL_DIGITS = 28


def parse_decimal(text: str) -> Decimal:
    """A Decimal from a plain numeral of at most MAX_DECIMAL_DIGITS digits; ValueError else."""
    if not DECIMAL_NUMERAL.fullmatch(text):
        raise ValueError('a Decimal is a plain decimal numeral such as "12.50"')
    if sum(c.isdigit() for c in text) > MAX_DECIMAL_DIGITS:
        raise ValueError(f"a Decimal has at most {MAX_DECIMAL_DIGITS} digits")
    return Decimal(text)


@dataclass(frozen=True)
class DecimalKind:
    """NUMERIC(precision, scale): the amounts a column of this kind holds."""

    precision: int
    scale: int
    minimum: Decimal = Decimal(0)

    @property
    def maximum(self) -> Decimal:
        return Decimal(10) ** (self.precision - self.scale) - Decimal(1).scaleb(-self.scale)

    def problem(self, value: Decimal) -> str | None:
        """Why `value` is not an amount of this kind, or None."""
        if value.is_finite() and value < self.minimum:
            return f"must be at least {self.minimum}" if self.minimum else "must not be negative"
        return self.column_problem(value)

    def column_problem(self, value: Decimal) -> str | None:
        """Why NUMERIC(precision, scale) cannot hold `value`, or None."""
        if not value.is_finite():
            return "must be a finite amount"
        scaled = value.scaleb(self.scale)  # exact: moves the point, rounds nothing
        if scaled != scaled.to_integral_value():
            return f"must have at most {self.scale} decimal places"
        if abs(value) > self.maximum:
            return f"must be at most {self.maximum}"
        return None


# Up to 99,999,999.99: unit costs, a family's target costs, a job's quoted and actual cost.
AMOUNT = DecimalKind(10, 2)
# Up to 9,999,999,999.99: credit limit and balance, prices, order lines and order totals.
LARGE_AMOUNT = DecimalKind(12, 2)
# A percentage with cents, up to 999.99 (an early-payment discount, BR-27).
PERCENT = DecimalKind(5, 2)


# -- integers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntRange:
    minimum: int
    maximum: int

    def problem(self, value: int) -> str | None:
        if value < self.minimum:
            return f"must be at least {self.minimum}"
        if value > self.maximum:
            return f"must be at most {self.maximum}"
        return None


# An INTEGER column (and GraphQL's Int).
INT32 = IntRange(-(2**31), 2**31 - 1)
# Units on one order line. Small enough that every amount derived from it (line total,
# order total, a job's quantity and quoted cost) is checked at entry, never left to overflow.
QUANTITY = IntRange(1, 1_000_000)
# Days from today to a job's due date: a date beyond year 9999 cannot be computed.
LEAD_TIME_DAYS = IntRange(1, 3650)
# Payables terms in days (grace, early-payment window): none to a year.
TERMS_DAYS = IntRange(0, 365)


# -- datetimes ---------------------------------------------------------------------------------


def to_utc(moment: datetime) -> datetime:
    """The same instant in UTC (a naive moment is taken as UTC); ValueError when it falls
    outside the years 1-9999 (0001-01-01T00:00:00+14:00 is in year 0)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("the instant falls outside the years 1-9999 in UTC") from None
