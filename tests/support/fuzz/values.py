"""Hostile and ordinary values for every scalar of the schema, as GraphQL value nodes.

Each strategy mixes plain values (so operations reach business logic) with what a hostile
client sends: NUL bytes, lone surrogates, very long text, Decimals and dates at their limits,
ints at the edges of 32 bits, and IDs that are real, malformed or of the wrong type.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import graphql
from hypothesis import strategies as st
from hypothesis_graphql import nodes

# Characters no text column can store: NUL (PostgreSQL refuses it) and lone surrogates (no
# UTF-8 encoding; they reach the server as JSON `\ud800` escapes in variables).
HOSTILE_CHARACTERS = ("\x00", "\ud800", "\udfff", "\ud83d")
LONG_LENGTHS = (255, 256, 1_025, 10_000, 40_000)

_hostile_text = st.tuples(
    st.text(max_size=8), st.sampled_from(HOSTILE_CHARACTERS), st.text(max_size=8)
).map("".join)
_long_text = st.tuples(st.sampled_from(LONG_LENGTHS), st.sampled_from("xé\x00")).map(
    lambda length_and_char: length_and_char[1] * length_and_char[0]
)

TEXT: st.SearchStrategy[str] = st.one_of(
    st.text(max_size=24),
    st.sampled_from(["", " ", "WRESTLING", "BASICS_TOPS", "ORD-2026-001", "Hawk", "%", "_", "'"]),
    _hostile_text,
    _long_text,
)

DECIMAL_TEXT: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "sNaN",
            "-NaN",
            "Infinity",
            "-Infinity",
            "1E+999999999999",
            "1E-999999999999",
            "99999999999999999999999999999999.99",
            "-0.01",
            "0",
            "0.001",
            "1.123456789012345678901234567890",
            "1_000",
            "\uff11\uff12\uff13",  # full-width digits
            " 12 ",
            "1e2",
            "",
            "ten",
            "1\x00",
        ]
    ),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    st.decimals(min_value=Decimal(0), max_value=Decimal(10_000), places=2).map(str),
)

_OFFSETS = [UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=14)), None]
DATETIME_TEXT: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-14:00",
            "0001-01-01T00:00:00",
            "9999-12-31T23:59:59.999999+00:00",
            "2026-12-07T10:00:00Z",
            "2026-02-30T10:00:00",
            "not a date",
            "",
        ]
    ),
    st.datetimes(timezones=st.sampled_from(_OFFSETS)).map(datetime.isoformat),
)

DATE_TEXT: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-29", "2026-12-07", "12/07/2026", ""]),
    st.dates().map(lambda day: day.isoformat()),
)

INT_EDGES = (2**31 - 1, -(2**31), 0, -1, 1, 100, 10_000)
INTS: st.SearchStrategy[int] = st.one_of(
    st.sampled_from(INT_EDGES), st.integers(min_value=-(2**31), max_value=2**31 - 1)
)

# Not IDs of any row: malformed base64, a token with no type, text, an ID of a type that
# does not exist (`Nope`) and of a real type with an unknown key.
BOGUS_IDS = (
    "",
    "not-an-id",
    "Zm9vOmJhcg==",
    "====",
    "Tm9wZToxMjM",
    "UHJvZHVjdDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA",
    "1",
)


def to_node(value: Any) -> graphql.ValueNode:
    """A Python value as a GraphQL literal (JSON keys must be GraphQL names)."""
    if value is None:
        return graphql.NullValueNode()
    if isinstance(value, bool):
        return graphql.BooleanValueNode(value=value)
    if isinstance(value, int):
        return nodes.Int(value)
    if isinstance(value, float):
        return nodes.Float(value)
    if isinstance(value, str):
        return graphql.StringValueNode(value=value)
    if isinstance(value, Mapping):
        return graphql.ObjectValueNode(
            fields=tuple(
                graphql.ObjectFieldNode(name=graphql.NameNode(value=key), value=to_node(item))
                for key, item in value.items()
            )
        )
    if isinstance(value, Sequence):
        return graphql.ListValueNode(values=tuple(to_node(item) for item in value))
    raise TypeError(f"no literal for {type(value).__name__}")


_JSON_KEYS = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | INTS | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(_JSON_KEYS, children, max_size=4)
    ),
    max_leaves=12,
)


def scalar_strategies(ids: Sequence[str]) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """`custom_scalars` for hypothesis-graphql: every scalar of the schema, built-ins
    included. `ids` are global IDs of real rows; most ID values are drawn from them."""
    real_ids = st.sampled_from(list(ids)) if ids else st.nothing()
    id_values = st.one_of(real_ids, real_ids, real_ids, st.sampled_from(BOGUS_IDS), TEXT)
    return {
        "String": TEXT.map(nodes.String),
        "ID": id_values.map(nodes.String),
        "Int": INTS.map(nodes.Int),
        "Decimal": st.one_of(
            DECIMAL_TEXT.map(nodes.String),
            st.sampled_from(INT_EDGES).map(nodes.Int),
            st.sampled_from([1e308, -0.5, 0.1]).map(nodes.Float),
        ),
        "DateTime": DATETIME_TEXT.map(nodes.String),
        "Date": DATE_TEXT.map(nodes.String),
        "JSON": JSON_VALUES.map(to_node),
        # A file belongs in a multipart part; what a JSON request can put there instead.
        "Upload": st.one_of(TEXT.map(nodes.String), JSON_VALUES.map(to_node)),
    }
