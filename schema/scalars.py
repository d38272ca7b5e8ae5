"""The Decimal and DateTime scalars, strict where strawberry's are lenient: they refuse what
domain/bounds.py refuses, as BAD_USER_INPUT, before any resolver runs."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from typing import Any

from strawberry.types.scalar import ScalarDefinition, scalar

from domain.bounds import MAX_DECIMAL_DIGITS, parse_decimal, to_utc
from schema.errors import bad_user_input


def _shown(value: Any) -> str:
    """The refused value as the message quotes it: short, whatever the client sent."""
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _refusing(type_name: str, parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse_value(value: Any) -> Any:
        try:
            return parse(value)
        except (ValueError, TypeError, OverflowError) as error:
            # graphql-core wraps it in its "Variable '$x' has invalid value" error;
            # schema/input_checks.py lifts the code onto that.
            raise bad_user_input(f"{type_name} cannot represent {_shown(value)}: {error}") from None

    return parse_value


def _decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError('give a Decimal as a string such as "12.50"')
    return parse_decimal(str(value))


def _datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise TypeError("give a DateTime as an ISO 8601 string")
    return to_utc(dt.datetime.fromisoformat(value))


DecimalScalar: ScalarDefinition = scalar(
    name="Decimal",
    description=(
        "A fixed-point number as a string of ASCII digits with an optional minus and fraction, "
        f'e.g. "12.50" (no exponent, NaN or Infinity; at most {MAX_DECIMAL_DIGITS} digits).'
    ),
    serialize=str,
    parse_value=_refusing("Decimal", _decimal),
)

DateTimeScalar: ScalarDefinition = scalar(
    name="DateTime",
    description=(
        "A date with time, ISO 8601. Answers are UTC; an input without an offset is taken "
        "as UTC, and one whose instant falls outside the years 1-9999 in UTC is refused."
    ),
    serialize=dt.datetime.isoformat,
    parse_value=_refusing("DateTime", _datetime),
)

SCALAR_OVERRIDES: dict[object, Any] = {
    decimal.Decimal: DecimalScalar,
    dt.datetime: DateTimeScalar,
}
