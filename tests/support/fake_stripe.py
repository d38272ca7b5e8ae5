"""The smallest stateful stand-in for the part of Stripe's API checkout calls, served on a
real local port so the real `stripe` library talks to it over HTTP (STRIPE_API_BASE).

No maintained fake serves Checkout Sessions (stripe-mock is stateless, localstripe and
stripe-stateful-mock have none), hence this one. It serves exactly:

- `POST /v1/checkout/sessions` — checks the request has the shape BR-47 prescribes and
  refuses it (400, as Stripe does) otherwise; honours `Idempotency-Key` like Stripe (the
  same key and parameters return the first session; other parameters are an error);
- `GET /v1/checkout/sessions/{id}`, `POST /v1/checkout/sessions/{id}/expire`;
- `POST /v1/refunds` — on a paid session's payment intent, at most what is left.

Tests drive the customer's side with `pay()` and read what was asked in `created`; `down`
makes every call answer 500 (Stripe failing).
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.live import free_port

API_KEY = "sk_test_opsgraph_fake"
_KEY_PART = re.compile(r"\[([^\]]*)\]")


def decode_form(body: bytes) -> dict[str, Any]:
    """Stripe's form encoding (`line_items[0][price_data][currency]=usd`) back into nested
    dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        head = key.split("[", 1)[0]
        parts = [head, *_KEY_PART.findall(key)]
        node: Any = root
        for part, following in itertools.pairwise(parts):
            default: Any = [] if following.isdigit() else {}
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append(None)
                if node[index] is None:
                    node[index] = default
                node = node[index]
            else:
                node = node.setdefault(part, default)
        last = parts[-1]
        if isinstance(node, list):
            index = int(last)
            while len(node) <= index:
                node.append(None)
            node[index] = value
        else:
            node[last] = value
    return root


def _error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status)


def br47_problems(params: dict[str, Any]) -> list[str]:
    """What differs from the session BR-47 prescribes."""
    problems = []
    if params.get("mode") != "payment":
        problems.append("mode must be payment")
    lines = params.get("line_items") or []
    if not lines:
        problems.append("line_items is required")
    for i, line in enumerate(lines):
        price = (line or {}).get("price_data") or {}
        product = price.get("product_data") or {}
        if price.get("currency") != "usd":
            problems.append(f"line {i}: currency must be usd")
        if not product.get("name") or " - " not in product["name"]:
            problems.append(f"line {i}: name must be '<garment title> - <size>'")
        images = product.get("images") or []
        if len(images) != 1 or not str(images[0]).startswith(("http://", "https://")):
            problems.append(f"line {i}: images must be [designUrl]")
        if not str(price.get("unit_amount", "")).isdigit() or int(price["unit_amount"]) <= 0:
            problems.append(f"line {i}: unit_amount must be a positive whole number of cents")
        if not str(line.get("quantity", "")).isdigit() or int(line["quantity"]) <= 0:
            problems.append(f"line {i}: quantity must be positive")
    metadata = params.get("metadata") or {}
    if not metadata.get("orderId") or not metadata.get("userId"):
        problems.append("metadata must carry orderId and userId")
    order = metadata.get("orderId", "")
    if not str(params.get("success_url", "")).endswith(f"/order-success?order={order}"):
        problems.append("success_url must be {origin}/order-success?order={orderId}")
    if not str(params.get("cancel_url", "")).endswith(f"/orders/{order}"):
        problems.append("cancel_url must be {origin}/orders/{orderId}")
    return problems


@dataclass
class FakeStripe:
    url: str = ""
    down: bool = False
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Every create call's decoded parameters and idempotency key, in order.
    created: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)
    requests: int = 0
    _idempotent: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._ids):06d}"

    # -- the customer's side ---------------------------------------------------------------

    def pay(self, session_id: str) -> dict[str, Any]:
        """The customer pays on the hosted page: the session completes, paid."""
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="paid", payment_intent=self._id("pi"))
        return dict(session)

    def event(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self._id("evt"),
            "object": "event",
            "type": kind,
            "api_version": "2025-01-01",
            "created": 1,
            "data": {"object": obj},
        }

    # -- the API ---------------------------------------------------------------------------

    def app(self) -> Starlette:
        async def guard(request: Request) -> JSONResponse | None:
            self.requests += 1
            if request.headers.get("authorization") != f"Bearer {API_KEY}":
                return _error(401, "Invalid API Key provided", "authentication_error")
            if self.down:
                return _error(500, "Stripe is having a bad day", "api_error")
            return None

        async def create_session(request: Request) -> JSONResponse:
            if (refused := await guard(request)) is not None:
                return refused
            params = decode_form(await request.body())
            key = request.headers.get("idempotency-key")
            self.created.append((params, key))
            if key is not None and key in self._idempotent:
                first_params, first = self._idempotent[key]
                if first_params != params:
                    return _error(
                        400,
                        "Keys for idempotent requests can only be used with the same parameters",
                        "idempotency_error",
                    )
                return JSONResponse(first)
            if problems := br47_problems(params):
                return _error(400, "; ".join(problems))
            session_id = self._id("cs")
            lines = params["line_items"]
            session = {
                "id": session_id,
                "object": "checkout.session",
                "mode": "payment",
                "status": "open",
                "payment_status": "unpaid",
                "url": f"{self.url}/pay/{session_id}",
                "currency": "usd",
                "amount_total": sum(
                    int(li["price_data"]["unit_amount"]) * int(li["quantity"]) for li in lines
                ),
                "metadata": params["metadata"],
                "payment_intent": None,
                "success_url": params["success_url"],
                "cancel_url": params["cancel_url"],
            }
            self.sessions[session_id] = session
            if key is not None:
                self._idempotent[key] = (params, dict(session))
            return JSONResponse(session)

        async def retrieve_session(request: Request) -> JSONResponse:
            if (refused := await guard(request)) is not None:
                return refused
            session = self.sessions.get(request.path_params["id"])
            if session is None:
                return _error(404, "No such checkout.session")
            return JSONResponse(session)

        async def expire_session(request: Request) -> JSONResponse:
            if (refused := await guard(request)) is not None:
                return refused
            session = self.sessions.get(request.path_params["id"])
            if session is None:
                return _error(404, "No such checkout.session")
            if session["status"] != "open":
                return _error(400, f"Only open sessions can be expired ({session['status']})")
            session["status"] = "expired"
            return JSONResponse(session)

        async def create_refund(request: Request) -> JSONResponse:
            if (refused := await guard(request)) is not None:
                return refused
            params = decode_form(await request.body())
            key = request.headers.get("idempotency-key")
            if key is not None and key in self._idempotent:
                return JSONResponse(self._idempotent[key][1])
            intent = params.get("payment_intent")
            paid = [s for s in self.sessions.values() if s["payment_intent"] == intent]
            if not paid:
                return _error(404, f"No such payment_intent: '{intent}'")
            already = sum(
                r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent
            )
            amount = int(params.get("amount") or paid[0]["amount_total"] - already)
            if amount <= 0 or already + amount > paid[0]["amount_total"]:
                return _error(400, "Refund amount is greater than the unrefunded amount")
            refund_id = self._id("re")
            refund: dict[str, Any] = {
                "id": refund_id,
                "object": "refund",
                "amount": amount,
                "currency": "usd",
                "payment_intent": intent,
                "status": "succeeded",
                "metadata": params.get("metadata") or {},
            }
            self.refunds[refund_id] = refund
            if key is not None:
                self._idempotent[key] = (params, refund)
            return JSONResponse(refund)

        return Starlette(
            routes=[
                Route("/v1/checkout/sessions", create_session, methods=["POST"]),
                Route("/v1/checkout/sessions/{id}", retrieve_session, methods=["GET"]),
                Route("/v1/checkout/sessions/{id}/expire", expire_session, methods=["POST"]),
                Route("/v1/refunds", create_refund, methods=["POST"]),
            ]
        )

    def charge_refunded(self, intent: str) -> dict[str, Any]:
        """The `charge.refunded` event object for a payment intent, as it stands now."""
        refunded = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent)
        paid = next(s for s in self.sessions.values() if s["payment_intent"] == intent)
        return {
            "id": self._id("ch"),
            "object": "charge",
            "payment_intent": intent,
            "amount": paid["amount_total"],
            "amount_refunded": refunded,
            "refunded": refunded >= paid["amount_total"],
        }


@asynccontextmanager
async def serve_fake_stripe() -> AsyncIterator[FakeStripe]:
    """The fake on a local port until the block ends."""
    fake = FakeStripe()
    port = free_port()
    fake.url = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(fake.app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield fake
    finally:
        server.should_exit = True
        await task
