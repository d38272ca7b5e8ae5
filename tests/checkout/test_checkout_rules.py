"""Checkout's arithmetic and settings: cents at the Stripe boundary (property tests), and
what start-up requires."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.checkout import CheckoutLine, amount_due, from_cents, session_params, to_cents
from settings import Settings, SettingsError

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
any_places = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999.99"), places=4)
lines = st.lists(
    st.tuples(prices, st.integers(min_value=1, max_value=10_000)), min_size=1, max_size=12
)


@given(any_places)
def test_cents_round_half_up(amount: Decimal) -> None:
    cents = to_cents(amount)
    assert abs(Decimal(cents) - amount * 100) <= Decimal("0.5")
    if (amount * 100) % 1 == Decimal("0.5"):
        assert cents == int(amount * 100 + Decimal("0.5"))
    assert cents == int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(prices)
def test_cents_and_back_is_the_same_money(amount: Decimal) -> None:
    assert from_cents(to_cents(amount)) == amount


@given(lines)
def test_what_stripe_charges_is_the_order_total_to_the_cent(run: list[tuple[Decimal, int]]) -> None:
    """The webhook compares the session's amount with the order's total: for prices in whole
    cents they agree, so a genuine payment is never held."""
    checkout = [CheckoutLine("Tee", f"S{i}", price, qty) for i, (price, qty) in enumerate(run)]
    total = sum((price * qty for price, qty in run), Decimal("0.00"))
    assert from_cents(amount_due(checkout)) == total


def test_the_session_names_each_size_and_carries_the_order() -> None:
    order_id = uuid.uuid4()
    params = session_params(
        order_id=order_id,
        user_id="u1",
        origin="https://shop.example",
        image_url="https://cdn.example/d.png",
        lines=[CheckoutLine("Tee", "XL", Decimal("10.005"), 2)],
    )
    (line,) = params["line_items"]
    assert line["price_data"]["product_data"]["name"] == "Tee - XL"
    assert line["price_data"]["unit_amount"] == 1001  # half-up
    assert params["metadata"] == {"orderId": str(order_id), "userId": "u1"}


def test_production_with_a_stripe_key_needs_the_webhook_secret() -> None:
    env = {
        "OPSGRAPH_ENV": "production",
        "OPSGRAPH_JWT_SECRET": "j" * 40,
        "OPSGRAPH_ENCRYPTION_KEYS": "KwU6NR6aSpYxpnUy7bSQAdDNU2cho_eg-K2fNdMlJj0=",
        "OPSGRAPH_FILES_SIGNING_KEY": "f" * 40,
        "STRIPE_SECRET_KEY": "sk_test_x",
    }
    with pytest.raises(SettingsError, match="STRIPE_WEBHOOK_SECRET"):
        Settings.from_env(env)
    payments = Settings.from_env({**env, "STRIPE_WEBHOOK_SECRET": "whsec_x"}).payments
    assert payments.configured
    assert "sk_test_x" not in repr(payments) and "whsec_x" not in repr(payments)
    # No key at all: the app starts and checkout answers PAYMENTS_NOT_CONFIGURED.
    without = {k: v for k, v in env.items() if k != "STRIPE_SECRET_KEY"}
    assert not Settings.from_env(without).payments.configured


def test_bad_origin_or_api_base_stop_start_up(tmp_path: Path) -> None:
    dev = {"OPSGRAPH_DEV_SECRETS_FILE": str(tmp_path / "secrets.json")}
    with pytest.raises(SettingsError, match="OPSGRAPH_PUBLIC_ORIGIN"):
        Settings.from_env({**dev, "OPSGRAPH_PUBLIC_ORIGIN": "shop.example"})
    with pytest.raises(SettingsError, match="STRIPE_API_BASE"):
        Settings.from_env({**dev, "STRIPE_API_BASE": "localhost:12111"})
