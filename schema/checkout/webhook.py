"""`POST /webhooks/stripe`: Stripe's events, a plain HTTP route (API.md "Transport").

- The signature (`Stripe-Signature`: HMAC-SHA256 over "timestamp.payload" with the
  endpoint's secret) is verified by the `stripe` library within its tolerance; a forged,
  stale or unsigned request is 400 and nothing is read further.
- The event is applied in one transaction (resolvers/checkout/webhook.py); 200 is sent only
  after it committed. A database that is unreachable or busy answers 503, anything else
  unexpected 500: Stripe retries both, and the event id makes a retry safe.
- Nothing from the payload or the secret is logged; bodies over 512 KB are refused (413).
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import stripe
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from auth.actor import SYSTEM, new_request_id
from db.engine import Database
from resolvers.checkout.webhook import receive
from settings import Settings

log = logging.getLogger(__name__)

PATH = "/webhooks/stripe"
MAX_BODY = 512 * 1024


def _answer(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status
    )


def stripe_webhook_routes(settings: Settings, database: Database) -> list[Route]:
    payments = settings.payments

    async def webhook(request: Request) -> JSONResponse:
        secret = payments.stripe_webhook_secret
        if secret is None:
            return _answer(503, "PAYMENTS_NOT_CONFIGURED", "Stripe webhooks are not configured")
        declared = request.headers.get("content-length") or "0"
        if not declared.isdigit() or int(declared) > MAX_BODY:
            return _answer(413, "BAD_REQUEST", "The event is too large")
        payload = await request.body()
        if len(payload) > MAX_BODY:
            return _answer(413, "BAD_REQUEST", "The event is too large")
        signature = request.headers.get("stripe-signature")
        if not signature:
            return _answer(400, "BAD_SIGNATURE", "Missing Stripe-Signature")
        try:
            stripe.WebhookSignature.verify_header(
                payload.decode("utf-8"), signature, secret, payments.webhook_tolerance_seconds
            )
            event = json.loads(payload)
        except (stripe.SignatureVerificationError, UnicodeDecodeError):
            log.warning("Stripe webhook refused: bad or stale signature")
            return _answer(400, "BAD_SIGNATURE", "The signature does not verify")
        except ValueError:
            return _answer(400, "BAD_REQUEST", "The event is not JSON")
        if not (
            isinstance(event, dict)
            and isinstance(event.get("id"), str)
            and isinstance(event.get("type"), str)
            and isinstance(event.get("data", {}), dict)
            and isinstance(event.get("data", {}).get("object", {}), dict)
        ):
            return _answer(400, "BAD_REQUEST", "The event has no id or type")
        actor = replace(
            SYSTEM,
            request_id=new_request_id(),
            ip=request.client.host if request.client else None,
        )
        try:
            async with database.transaction() as session:
                outcome = await receive(session, actor, event)
        except (OperationalError, DBAPIError, TimeoutError, ConnectionError):
            log.warning(
                "Stripe event %s not applied: database unavailable (request %s)",
                event["id"],
                actor.request_id,
                exc_info=True,
            )
            return _answer(503, "UNAVAILABLE", "Try again later")
        except Exception:
            log.exception("Stripe event %s failed (request %s)", event["id"], actor.request_id)
            return _answer(500, "INTERNAL_SERVER_ERROR", "The event could not be applied")
        log.info("Stripe event %s %s: %s", event["id"], event["type"], outcome.name)
        return JSONResponse({"received": True, "outcome": outcome.name})

    return [Route(PATH, webhook, methods=["POST"])]
