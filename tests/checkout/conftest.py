"""Checkout tests run the app against the local fake Stripe (tests/support/fake_stripe.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from settings import Settings
from tests.support.checkout_world import Shop, open_shop, payments_settings
from tests.support.fake_stripe import FakeStripe, serve_fake_stripe
from tests.support.graphql import GraphQLClient


@pytest.fixture
async def fake_stripe() -> AsyncIterator[FakeStripe]:
    async with serve_fake_stripe() as fake:
        yield fake


@pytest.fixture
def checkout_settings(settings: Settings, fake_stripe: FakeStripe) -> Settings:
    return payments_settings(settings, fake_stripe)


@pytest.fixture
async def shop(checkout_settings: Settings, fake_stripe: FakeStripe) -> AsyncIterator[Shop]:
    async with GraphQLClient.for_settings(checkout_settings) as admin:
        yield await open_shop(admin, fake_stripe)
