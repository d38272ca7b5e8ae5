"""The Stripe calls checkout makes, through the real `stripe` library: create and expire a
Checkout Session, create a refund. `STRIPE_API_BASE` points the library elsewhere (the
tests' local fake). Nothing here touches the database, so no connection is held while
Stripe answers.

Failures come back as one of two exceptions: `ProviderUnavailable` (Stripe unreachable, rate
limited or failing: retryable, the order stays payable) and `ProviderRefused` (Stripe said
no to this request). The API key never reaches a message or a log line.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import stripe

from settings import PaymentsSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

TIMEOUT_SECONDS = 20


class ProviderError(Exception):
    """Stripe did not do what was asked; the message is safe to show."""


class ProviderUnavailable(ProviderError):
    pass


class ProviderRefused(ProviderError):
    pass


@dataclass(frozen=True)
class StripeSession:
    id: str
    url: str | None
    amount_total: int | None


@dataclass(frozen=True)
class StripeRefund:
    id: str
    status: str


class StripeGateway:
    def __init__(self, settings: PaymentsSettings) -> None:
        if settings.stripe_secret_key is None:
            raise ValueError("payments are not configured")
        self._key = settings.stripe_secret_key
        self._base = settings.stripe_api_base
        self._retries = settings.max_network_retries

    def _client(self, http: stripe.HTTPXClient) -> stripe.StripeClient:
        return stripe.StripeClient(
            self._key,
            base_addresses={"api": self._base} if self._base else None,
            max_network_retries=self._retries,
            http_client=http,
        )

    async def create_session(self, params: dict[str, Any], idempotency_key: str) -> StripeSession:
        async def call(client: stripe.StripeClient) -> StripeSession:
            created = await client.v1.checkout.sessions.create_async(
                params,  # type: ignore[arg-type]  # BR-47's shape, built in domain.checkout
                {"idempotency_key": idempotency_key},
            )
            return StripeSession(created.id, created.url, created.amount_total)

        return await self._call("create a checkout session", call)

    async def expire_session(self, session_id: str) -> None:
        async def call(client: stripe.StripeClient) -> None:
            await client.v1.checkout.sessions.expire_async(session_id)

        await self._call("expire a checkout session", call)

    async def refund(
        self, payment_intent: str, amount: int, idempotency_key: str, metadata: dict[str, str]
    ) -> StripeRefund:
        async def call(client: stripe.StripeClient) -> StripeRefund:
            refund = await client.v1.refunds.create_async(
                {"payment_intent": payment_intent, "amount": amount, "metadata": metadata},
                {"idempotency_key": idempotency_key},
            )
            return StripeRefund(refund.id, refund.status or "pending")

        return await self._call("refund a payment", call)

    async def _call(self, what: str, call: Callable[[stripe.StripeClient], Awaitable[T]]) -> T:
        http = stripe.HTTPXClient(timeout=TIMEOUT_SECONDS)
        try:
            return await call(self._client(http))
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            log.warning("Stripe unavailable trying to %s: %s", what, type(exc).__name__)
            raise ProviderUnavailable(f"Stripe could not be reached to {what}; try again") from exc
        except stripe.StripeError as exc:
            status = exc.http_status or 0
            log.warning("Stripe failed to %s: HTTP %s %s", what, status, type(exc).__name__)
            if status >= 500 or isinstance(exc, stripe.APIError):
                raise ProviderUnavailable(f"Stripe failed to {what}; try again") from exc
            detail = exc.user_message or "the request was refused"
            raise ProviderRefused(f"Stripe refused to {what}: {detail}") from exc
        finally:
            await http.close_async()  # type: ignore[no-untyped-call]
