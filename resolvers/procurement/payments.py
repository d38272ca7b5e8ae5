"""Purchase order payments (SPEC §1.6, §2.5): recorded once per idempotency key, fiat or
crypto with exact decimal strings, then confirmed or failed through PAYMENT_WORKFLOW; the PO's
payment status follows its confirmed payments (resolvers.procurement.rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import PurchaseOrder, PurchaseOrderPayment
from domain.bounds import AMOUNT, LARGE_AMOUNT
from domain.errors import ErrorCode, Problem, UserErrors
from domain.procurement import (
    CryptoNetwork,
    CryptoRateSource,
    PoPaymentMethod,
    PoPaymentStatus,
    PurchaseOrderStatus,
    decimal_string_problem,
)
from domain.validation import Checks, camel
from resolvers import writes
from resolvers.lookup import get_for_update
from resolvers.procurement.rules import require_reason
from resolvers.procurement.workflow import PAYMENT_WORKFLOW
from resolvers.transitions import TransitionContext, transition

P = PurchaseOrderStatus
# A payment is recorded against an order the supplier has (not a draft, not cancelled).
_PAYABLE = frozenset(P) - {P.DRAFT, P.CANCELLED}


@dataclass(frozen=True)
class CryptoDetails:
    currency: str
    amount: str
    rate_usd: str
    rate_source: CryptoRateSource
    network: CryptoNetwork
    rate_timestamp: datetime | None = None
    tx_hash: str | None = None
    from_address: str | None = None
    to_address: str | None = None
    confirmations: int | None = None
    fee: str | None = None
    fee_usd: Decimal | None = None


@dataclass(frozen=True)
class FiatDetails:
    reference: str | None = None
    bank: str | None = None


def _check(
    values: dict[str, Any], crypto: CryptoDetails | None, fiat: FiatDetails | None
) -> dict[str, Any]:
    """The payment's columns from the input, every problem reported at its path."""
    checks = Checks()
    key = values.get("idempotency_key")
    checks.text("idempotency_key", key, max_length=100, required=True)
    checks.money("amount_usd", values.get("amount_usd"), kind=LARGE_AMOUNT)
    checks.positive("amount_usd", values.get("amount_usd"))
    checks.text("notes", values.get("notes"), max_length=10_000, required=False)
    method = PoPaymentMethod(values["payment_method"])
    columns: dict[str, Any] = {}
    if method is PoPaymentMethod.CRYPTO:
        checks.require(crypto is not None, "crypto", "crypto details are required for CRYPTO")
        checks.require(fiat is None, "fiat", "fiat details are only for fiat methods")
        if crypto is not None:
            columns = _crypto_columns(checks, crypto)
    else:
        checks.require(crypto is None, "crypto", "crypto details are only for CRYPTO")
        if fiat is not None:
            checks.text("fiat.reference", fiat.reference, max_length=100, required=False)
            checks.text("fiat.bank", fiat.bank, max_length=200, required=False)
            columns = {"fiat_reference": fiat.reference, "fiat_bank": fiat.bank}
    if checks.problems:
        raise UserErrors([_nested(p) for p in checks.problems])
    return columns


def _nested(problem: Problem) -> Problem:
    """("input", "crypto.rate_usd") → ("input", "crypto", "rateUsd"): the path a client sees."""
    parts = [camel(part) for step in problem.field or () for part in step.split(".")]
    return Problem(problem.code, problem.message, tuple(parts))


def _crypto_columns(checks: Checks, crypto: CryptoDetails) -> dict[str, Any]:
    for name, value, positive in (
        ("amount", crypto.amount, True),
        ("rate_usd", crypto.rate_usd, True),
        ("fee", crypto.fee, False),
    ):
        if value is None:
            continue
        problem = decimal_string_problem(value, positive=positive)
        if problem:
            checks.fail(f"crypto.{name}", f"crypto.{camel(name)} {problem}")
    checks.text("crypto.currency", crypto.currency, max_length=10, required=True)
    for name, length in (("tx_hash", 128), ("from_address", 128), ("to_address", 128)):
        checks.text(f"crypto.{name}", getattr(crypto, name), max_length=length, required=False)
    if crypto.confirmations is not None and crypto.confirmations < 0:
        checks.fail("crypto.confirmations", "crypto.confirmations must not be negative")
    checks.money("crypto.fee_usd", crypto.fee_usd, kind=AMOUNT)
    return {
        "crypto_currency": crypto.currency.strip().upper(),
        "crypto_amount": crypto.amount,
        "crypto_rate_usd": crypto.rate_usd,
        "crypto_rate_source": crypto.rate_source,
        "crypto_rate_timestamp": crypto.rate_timestamp,
        "crypto_network": crypto.network,
        "crypto_tx_hash": crypto.tx_hash,
        "crypto_from_address": crypto.from_address,
        "crypto_to_address": crypto.to_address,
        "crypto_confirmations": crypto.confirmations,
        "crypto_fee": crypto.fee,
        "crypto_fee_usd": crypto.fee_usd,
    }


_COMPARED = ("amount_usd", "payment_method", "paid_at")


async def record_payment(
    session: AsyncSession,
    actor: Actor,
    purchase_order_global_id: str,
    values: dict[str, Any],
    crypto: CryptoDetails | None,
    fiat: FiatDetails | None,
) -> PurchaseOrderPayment:
    """A PENDING payment. Sent again with the same idempotency key, the same payment is the
    answer and nothing new is written; the same key with other figures is a CONFLICT."""
    columns = _check(values, crypto, fiat)
    # The PO row lock serialises recordings of one PO, so a retry racing its original finds it.
    order = await get_for_update(
        session, PurchaseOrder, purchase_order_global_id, "purchase_order_id"
    )
    key = values["idempotency_key"].strip()
    existing = (
        await session.scalars(
            select(PurchaseOrderPayment).where(
                PurchaseOrderPayment.purchase_order_id == order.id,
                PurchaseOrderPayment.idempotency_key == key,
            )
        )
    ).first()
    if existing is not None:
        wanted = {**{k: values.get(k) for k in _COMPARED}, **columns}
        differs = [k for k, v in wanted.items() if getattr(existing, k) != v]
        if differs:
            raise UserErrors.one(
                ErrorCode.CONFLICT,
                f"idempotencyKey {key!r} was used for a payment with other values "
                f"({', '.join(camel(k) for k in sorted(differs))})",
                ("input", "idempotencyKey"),
            )
        return existing
    status = P(order.status)
    if status not in _PAYABLE:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"A {status.value} purchase order takes no payments",
            ("input", "purchaseOrderId"),
        )
    payment = PurchaseOrderPayment(
        purchase_order_id=order.id,
        idempotency_key=key,
        amount_usd=values["amount_usd"],
        payment_method=values["payment_method"],
        paid_at=values["paid_at"],
        notes=values.get("notes"),
        status=PoPaymentStatus.PENDING,
        recorded_by=actor.id,
        **columns,
    )
    return await writes.create(session, actor, payment)


async def change_status(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    target: PoPaymentStatus,
    reason: str | None,
    expected_version: int | None,
) -> TransitionContext[PoPaymentStatus]:
    reason = reason.strip() if reason else None
    inputs: dict[str, Any] = {}
    if target is PoPaymentStatus.FAILED:
        inputs["failure_reason"] = require_reason(reason, "to fail a payment")
    return await transition(
        session,
        actor,
        PAYMENT_WORKFLOW,
        PurchaseOrderPayment,
        global_id,
        target,
        expected_version=expected_version,
        inputs=inputs,
        reason=reason,
    )
