"""Signing webhook payloads as Stripe does: `Stripe-Signature: t=<unix time>,v1=<hex
HMAC-SHA256 of "<t>.<payload>" under the endpoint secret>` (Stripe's "verify signatures
manually"), so the app's verification with the real library is what is tested."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

WEBHOOK_SECRET = "whsec_opsgraph_test_secret_0123456789"


def signature(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    timestamp = int(time.time()) if at is None else at
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signed_request(event: dict[str, Any], **options: Any) -> tuple[bytes, dict[str, str]]:
    """The body and headers Stripe would send for `event`."""
    body = json.dumps(event).encode()
    return body, {
        "Stripe-Signature": signature(body, **options),
        "Content-Type": "application/json",
    }
