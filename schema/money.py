"""The `Money` type: an amount with its currency, never a float."""

from __future__ import annotations

from decimal import Decimal

import strawberry

DEFAULT_CURRENCY = "USD"


@strawberry.type(description="An amount of money. `amount` is a decimal string, never a float.")
class Money:
    amount: Decimal = strawberry.field(description='The amount, e.g. "12.50".')
    currency: str = strawberry.field(description='ISO 4217 currency code, e.g. "USD".')


def money(amount: Decimal | None, currency: str = DEFAULT_CURRENCY) -> Money | None:
    return None if amount is None else Money(amount=amount, currency=currency)
