"""Column types shared by the models."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from sqlalchemy import Enum as SAEnum
from sqlalchemy import Numeric

from domain.bounds import DecimalKind


def enum_column(enum: type[Enum], length: int = 32) -> SAEnum:
    """Store a Python enum by value as VARCHAR (portable; adding a value needs no DDL)."""
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def amount_column(kind: DecimalKind) -> Numeric[Decimal]:
    """NUMERIC(precision, scale) of the kind the validation layer checks inputs against, so
    a column and its inputs' bound cannot drift apart."""
    return Numeric(kind.precision, kind.scale)
