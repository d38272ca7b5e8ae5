"""Properties of the input bounds (domain/bounds.py, domain/derived_bounds.py), checked
against independent arithmetic: what is accepted fits its column, and nothing that fits is
refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from graphql import GraphQLError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.bounds import (
    AMOUNT,
    INT32,
    LARGE_AMOUNT,
    QUANTITY,
    DecimalKind,
    parse_decimal,
    text_problem,
    to_utc,
    value_problems,
)
from domain.derived_bounds import LineFigures, derived_problems
from schema.scalars import DecimalScalar

PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)


@given(st.text())
@example("NaN")
@example("sNaN")
@example("Infinity")
@example("1E+999999999999")
@example("1_000")
@example("\uff11\uff12")
@example(" 1")
@example("1" * 29)
def test_a_decimal_is_a_plain_numeral_of_at_most_28_digits(text):
    try:
        value = parse_decimal(text)
    except ValueError:
        assert not PLAIN.fullmatch(text) or sum(c.isdigit() for c in text) > 28
    else:
        assert PLAIN.fullmatch(text) and sum(c.isdigit() for c in text) <= 28
        assert value.is_finite() and value == Decimal(text)


@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=2).filter(lambda d: abs(d) < 10**20)
)
def test_every_plain_numeral_round_trips(value):
    assert parse_decimal(format(value, "f")) == value


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none()))
def test_the_decimal_scalar_answers_a_decimal_or_bad_user_input(raw):
    parse = DecimalScalar.parse_value
    assert parse is not None
    try:
        value = parse(raw)
    except GraphQLError as error:
        assert error.extensions == {"code": "BAD_USER_INPUT"}
    else:
        assert isinstance(value, Decimal) and value.is_finite()
        assert not isinstance(raw, bool | float)


@given(st.text())
@example("a\x00b")
@example("a\ud800b")
def test_text_is_refused_exactly_when_it_cannot_be_stored(text):
    try:
        text.encode("utf-8")
        storable = "\x00" not in text
    except UnicodeEncodeError:
        storable = False
    assert (text_problem(text) is None) == storable


def _fits(value: Decimal, kind: DecimalKind) -> bool:
    """NUMERIC(p, s) by integer arithmetic on cents: no rounding, at most p - s digits
    before the point, and not below the kind's minimum."""
    scaled = value.scaleb(kind.scale)
    return (
        scaled == scaled.to_integral_value()
        and abs(int(scaled)) < 10**kind.precision
        and value >= kind.minimum
    )


@pytest.mark.parametrize("kind", [AMOUNT, LARGE_AMOUNT], ids=["10,2", "12,2"])
@given(value=st.decimals(allow_nan=False, allow_infinity=False))
def test_a_kind_accepts_exactly_what_its_column_holds(kind, value):
    assert (kind.problem(value) is None) == _fits(value, kind)


cents = st.integers(min_value=0, max_value=int(AMOUNT.maximum * 100)).map(
    lambda c: Decimal(c).scaleb(-2)
)
lines = st.lists(
    st.builds(
        LineFigures,
        quantity=st.integers(min_value=QUANTITY.minimum, max_value=QUANTITY.maximum),
        unit_price=cents,
        highest_unit_cost=st.none() | cents,
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=300)
@given(lines)
def test_derived_amounts_are_refused_exactly_when_one_would_overflow(order):
    as_cents = [(line.quantity, int(line.unit_price * 100)) for line in order]
    line_totals_fit = all(q * p <= int(LARGE_AMOUNT.maximum * 100) for q, p in as_cents)
    order_total_fits = sum(q * p for q, p in as_cents) <= int(LARGE_AMOUNT.maximum * 100)
    job_quantity_fits = sum(line.quantity for line in order) <= INT32.maximum
    worst_job = sum(
        line.quantity * int(line.highest_unit_cost * 100)
        for line in order
        if line.highest_unit_cost is not None
    )
    job_cost_fits = worst_job <= int(AMOUNT.maximum * 100)
    refused = bool(derived_problems(order))
    if not line_totals_fit:
        assert refused
    else:
        assert refused == (not (order_total_fits and job_quantity_fits and job_cost_fits))


@given(st.integers(min_value=-(10**7), max_value=10**7))
def test_a_quantity_out_of_range_is_refused_at_its_line(quantity):
    problems = derived_problems([LineFigures(quantity, Decimal("0.01"))])
    in_range = QUANTITY.minimum <= quantity <= QUANTITY.maximum
    assert [(p.line, p.field) for p in problems] == ([] if in_range else [(0, "quantity")])


offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(timezones=offsets))
@example(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))))
@example(datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-14))))
def test_a_datetime_becomes_the_same_instant_in_utc_or_is_refused(moment):
    try:
        expected = (moment.replace(tzinfo=None) - moment.utcoffset()).replace(tzinfo=UTC)
    except OverflowError:  # the instant falls before year 1 or after 9999 in UTC
        with pytest.raises(ValueError):
            to_utc(moment)
    else:
        converted = to_utc(moment)
        assert converted == expected and converted.tzinfo is UTC


def test_a_deeply_nested_input_is_walked_without_recursion():
    deep: list[object] = []
    bottom = deep
    for _ in range(100_000):
        bottom.append([])
        bottom = bottom[0]  # type: ignore[assignment]
    bottom.append("a\x00")
    ((where, problem),) = value_problems(deep, ("v",))
    assert where == "v" + ".0" * 100_001 and "NUL" in problem
