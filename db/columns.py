"""Column types shared by the models."""

from __future__ import annotations

from enum import Enum

from sqlalchemy import Enum as SAEnum


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
