"""Every value an entity is about to be written with, checked against its column's type:
VARCHAR(n) length, NUMERIC(p, s) precision and scale, INTEGER range. The shared write path
(resolvers/writes.py) runs it, so a field that no mutation checks answers a VALIDATION error
at its field instead of the database's refusal as INTERNAL_SERVER_ERROR.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from sqlalchemy import BigInteger, ColumnElement, Integer, Numeric, String
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.types import TypeEngine

from db.base import Base
from domain.bounds import INT32, DecimalKind
from domain.errors import ErrorCode, Problem
from domain.validation import camel


def column_problems(entity: Base, keys: Collection[str] | None = None) -> list[Problem]:
    """Problems of the entity's values (only `keys`, the attributes being written, if
    given), each at ("input", <the field's name>)."""
    problems = []
    for attribute in sa_inspect(type(entity)).column_attrs:
        if keys is not None and attribute.key not in keys:
            continue
        value = getattr(entity, attribute.key, None)
        problem = None if value is None else value_problem(attribute.columns[0].type, value)
        if problem:
            field = attribute.key.rstrip("_")  # metadata_ is the input's metadata
            problems.append(
                Problem(ErrorCode.VALIDATION, f"{camel(field)} {problem}", ("input", field))
            )
    return problems


def clipped(column: ColumnElement[str], value: str | None) -> str | None:
    """`value` cut to the length of its VARCHAR column: for what a client's request carries
    (a header) into a record it does not write, such as the audit row."""
    length = getattr(column.type, "length", None)
    return value[:length] if value is not None and length else value


def value_problem(column_type: TypeEngine[object], value: object) -> str | None:
    if isinstance(column_type, String) and isinstance(value, str):
        if column_type.length is not None and len(value) > column_type.length:
            return f"must be at most {column_type.length} characters"
    elif isinstance(column_type, Numeric) and isinstance(value, Decimal):
        if column_type.precision is not None and column_type.scale is not None:
            kind = DecimalKind(column_type.precision, column_type.scale)
            return kind.column_problem(value)
    elif (
        isinstance(column_type, Integer)
        and not isinstance(column_type, BigInteger)
        and isinstance(value, int)
    ):
        return INT32.problem(value)
    return None
