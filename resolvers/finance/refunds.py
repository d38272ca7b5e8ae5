"""Credit refunds (issue 28 item 3, BR-29 "overpayment becomes a credit ... or a refund"):
finance pays back part or all of the credit a manufacturer holds.

A refund locks the manufacturer's account first, like every ledger write
(resolvers/finance/ledger.py), so refunds racing each other or an approval that spends the
credit see each other's result: together they never take more than the credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from auth.permissions import Permission
from db.models import CreditRefund
from domain.bounds import LARGE_AMOUNT
from domain.clock import today
from domain.errors import ErrorCode, UserErrors
from domain.finance import CreditRefundStatus
from domain.notifications import NotificationType
from domain.validation import Checks
from resolvers import writes
from resolvers.finance import ledger
from resolvers.finance.rules import MAX_TEXT, Voidable, locked_manufacturer, void_money_record
from resolvers.finance.workflow import REFUND_WORKFLOW
from resolvers.ids import decode_input_id
from resolvers.notify import notify_manufacturer


@dataclass(frozen=True)
class RefundInput:
    manufacturer_id: str
    amount: Decimal
    reason: str
    reference: str
    idempotency_key: str
    refund_date: date | None = None
    currency: str | None = None


def _check(value: RefundInput) -> None:
    checks = Checks()
    checks.money("amount", value.amount, kind=LARGE_AMOUNT)
    if not checks.problems:  # one problem per field: a negative amount is not also "zero"
        checks.positive("amount", value.amount)
    checks.text("reason", value.reason, max_length=MAX_TEXT, required=True)
    checks.text("reference", value.reference, max_length=100, required=True)
    checks.text("idempotency_key", value.idempotency_key, max_length=100, required=True)
    checks.raise_if_any()


async def _repeated(session: AsyncSession, value: RefundInput) -> CreditRefund | None:
    """The refund made with this key before, if its figures are these (CONFLICT if not:
    one key names one refund)."""
    first = (
        await session.scalars(
            select(CreditRefund).where(CreditRefund.idempotency_key == value.idempotency_key)
        )
    ).first()
    if first is None:
        return None
    pk = decode_input_id(value.manufacturer_id, "Manufacturer", "manufacturerId")
    same = (
        first.manufacturer_id == pk
        and first.amount == value.amount
        and value.currency in (None, first.currency)
        and value.refund_date in (None, first.refund_date)
    )
    if not same:
        raise UserErrors.one(
            ErrorCode.CONFLICT,
            "This idempotency key was used for another refund (other figures)",
            ("input", "idempotencyKey"),
        )
    return first


async def refund_credit(session: AsyncSession, actor: Actor, value: RefundInput) -> CreditRefund:
    """Pay back `amount` of the manufacturer's credit: positive, in its currency, at most
    the credit it holds (INSUFFICIENT_CREDIT). Repeating the key with the same figures
    answers with the first refund and records nothing."""
    _check(value)
    if (first := await _repeated(session, value)) is not None:
        return first
    manufacturer = await locked_manufacturer(
        session, actor, value.manufacturer_id, Permission.RECORD_PAYMENTS
    )
    # Under the lock: a concurrent request with the same key has committed by now.
    if (first := await _repeated(session, value)) is not None:
        return first
    currency = value.currency or manufacturer.currency
    ledger.check_currency(manufacturer, currency, ("input", "currency"))
    credit = await ledger.credit_left(session, manufacturer.id)
    if value.amount > credit:
        raise UserErrors.one(
            ErrorCode.INSUFFICIENT_CREDIT,
            f"{manufacturer.name} holds {credit} {currency} of credit, less than {value.amount}",
            ("input", "amount"),
        )
    refund = await writes.create(
        session,
        actor,
        CreditRefund(
            manufacturer_id=manufacturer.id,
            refund_date=value.refund_date or today(),
            amount=value.amount,
            currency=currency,
            reason=value.reason,
            reference=value.reference,
            idempotency_key=value.idempotency_key,
            status=CreditRefundStatus.RECORDED,
            created_by=actor.id,
        ),
    )
    await ledger.recalculate(session, actor, manufacturer)
    notify_manufacturer(
        session,
        manufacturer.id,
        NotificationType.PAYMENT_RECEIVED,
        f"Credit refund of {refund.amount} {refund.currency} sent",
        f"We refunded {refund.amount} {refund.currency} of your credit on "
        f"{refund.refund_date.isoformat()} (reference {refund.reference}): {refund.reason}",
    )
    return refund


async def void_refund(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    void_reason: str,
    expected_version: int | None = None,
) -> CreditRefund:
    """Void a refund with a reason (the money came back): its amount is credit again."""
    return await void_money_record(
        session,
        actor,
        Voidable(CreditRefund, REFUND_WORKFLOW, CreditRefundStatus.VOIDED),
        global_id,
        void_reason,
        expected_version,
    )
