"""The invoice and payment workflows: SPEC §2.12 (with §9 #10's Rec), a payment's void
(BR-30) and a credit refund's void (issue 28 item 3), as data."""

from __future__ import annotations

from auth.permissions import Permission
from db.models import CreditRefund, Invoice
from domain.errors import ErrorCode, UserErrors
from domain.finance import CreditRefundStatus, InvoiceStatus, PaymentStatus
from domain.notifications import NotificationType
from domain.workflow import Move, StateMachine
from resolvers.finance import ledger
from resolvers.notify import notify_admins, notify_manufacturer
from resolvers.owners import MANUFACTURER_RECORD
from resolvers.transitions import TransitionContext

DRAFT, SUBMITTED, APPROVED, PARTIAL, PAID, DISPUTED = (
    InvoiceStatus.DRAFT,
    InvoiceStatus.SUBMITTED,
    InvoiceStatus.APPROVED,
    InvoiceStatus.PARTIALLY_PAID,
    InvoiceStatus.PAID,
    InvoiceStatus.DISPUTED,
)
EDIT, APPROVE, PAY = (
    Permission.EDIT_INVOICES,
    Permission.APPROVE_INVOICES,
    Permission.RECORD_PAYMENTS,
)


async def tell_admins_submitted(ctx: TransitionContext[InvoiceStatus]) -> None:
    invoice: Invoice = ctx.entity
    notify_admins(
        ctx.session,
        NotificationType.INVOICE_SUBMITTED,
        f"Invoice {invoice.invoice_number} submitted",
        f"Invoice {invoice.invoice_number} ({invoice.total_amount} {invoice.currency}, due "
        f"{invoice.due_date.isoformat()}) waits for approval.",
    )


async def enter_payables(ctx: TransitionContext[InvoiceStatus]) -> None:
    """Approved: it is owed now. Credit the manufacturer holds pays it first (BR-29), then
    balance and standing are recalculated (BR-28)."""
    invoice: Invoice = ctx.entity
    invoice.approved_by = ctx.actor.id
    manufacturer = await ledger.lock_account(ctx.session, invoice.manufacturer_id)
    await ledger.apply_credit(ctx.session, ctx.actor, ctx.machine, manufacturer)
    await ledger.recalculate(ctx.session, ctx.actor, manufacturer)


async def dispute(ctx: TransitionContext[InvoiceStatus]) -> None:
    """Disputed: the manufacturer hears why; out of the payment queue and the balance."""
    invoice: Invoice = ctx.entity
    notify_manufacturer(
        ctx.session,
        invoice.manufacturer_id,
        NotificationType.INVOICE_DISPUTED,
        f"Invoice {invoice.invoice_number} disputed",
        f"Invoice {invoice.invoice_number} is disputed: {invoice.dispute_reason}",
    )
    manufacturer = await ledger.lock_account(ctx.session, invoice.manufacturer_id)
    await ledger.recalculate(ctx.session, ctx.actor, manufacturer)


INVOICE_WORKFLOW = StateMachine(
    entity="Invoice",
    statuses=InvoiceStatus,
    initial=DRAFT,
    read=Permission.VIEW_INVOICES,
    owner=MANUFACTURER_RECORD,
    moves=(
        Move(
            DRAFT,
            SUBMITTED,
            EDIT,
            "Submit the invoice for approval.",
            stamps=("submitted_at",),
            effects=(tell_admins_submitted,),
        ),
        Move(
            SUBMITTED,
            APPROVED,
            APPROVE,
            "Approve: it enters payables (credit pays it first).",
            stamps=("approved_at",),
            effects=(enter_payables,),
        ),
        Move(
            SUBMITTED,
            DISPUTED,
            APPROVE,
            "Dispute with a reason; the manufacturer is told.",
            requires=("dispute_reason",),
            writes=("dispute_reason",),
            stamps=("disputed_at",),
            effects=(dispute,),
        ),
        Move(
            APPROVED,
            DISPUTED,
            APPROVE,
            "Dispute an approved, unpaid invoice: it leaves the payment queue.",
            requires=("dispute_reason",),
            writes=("dispute_reason",),
            stamps=("disputed_at",),
            effects=(dispute,),
        ),
        Move(DISPUTED, SUBMITTED, APPROVE, "Dispute resolved: back to approval."),
        Move(
            DISPUTED,
            APPROVED,
            APPROVE,
            "Dispute resolved: approved.",
            stamps=("approved_at",),
            effects=(enter_payables,),
        ),
        # Made by payments and voids only (recordPayment, voidPayment; BR-29, BR-30).
        Move(APPROVED, PARTIAL, PAY, "Partly paid.", stamps=("partially_paid_at",)),
        Move(APPROVED, PAID, PAY, "Paid in full.", stamps=("paid_at",)),
        Move(PARTIAL, PAID, PAY, "Paid in full.", stamps=("paid_at",)),
        Move(PAID, PARTIAL, PAY, "A payment was voided: partly paid again."),
        Move(PAID, APPROVED, PAY, "A payment was voided: unpaid again."),
        Move(PARTIAL, APPROVED, PAY, "A payment was voided: unpaid again."),
    ),
)


async def reverse_allocations(ctx: TransitionContext[PaymentStatus]) -> None:
    """BR-30: reverse the allocations, revert the invoices (credit held from other payments
    pays them again), recalculate balance and standing, tell the admins."""
    payment = ctx.entity
    manufacturer = await ledger.lock_account(ctx.session, payment.manufacturer_id)
    await ledger.reverse(ctx.session, ctx.actor, INVOICE_WORKFLOW, payment)
    await ledger.apply_credit(ctx.session, ctx.actor, INVOICE_WORKFLOW, manufacturer)
    if (left := await ledger.credit_left(ctx.session, manufacturer.id)) < 0:
        # Its credit was refunded: the refund must be voided first, or the ledger would
        # show a refund of money the manufacturer never had.
        raise UserErrors.one(
            ErrorCode.INSUFFICIENT_CREDIT,
            f"Refunds took {-left} {payment.currency} more than the credit left without this "
            "payment: void those credit refunds first",
            ("input", "id"),
        )
    await ledger.recalculate(ctx.session, ctx.actor, manufacturer)
    notify_admins(
        ctx.session,
        NotificationType.PAYMENT_VOIDED,
        f"Payment to {manufacturer.name} voided",
        f"A payment of {payment.amount} {payment.currency} to {manufacturer.name} dated "
        f"{payment.payment_date.isoformat()} was voided: {payment.void_reason}",
    )


PAYMENT_WORKFLOW = StateMachine(
    entity="Payment",
    statuses=PaymentStatus,
    initial=PaymentStatus.RECORDED,
    read=Permission.VIEW_PAYMENTS,
    owner=MANUFACTURER_RECORD,
    moves=(
        Move(
            PaymentStatus.RECORDED,
            PaymentStatus.VOIDED,
            PAY,
            "Void with a reason: its allocations are reversed (BR-30).",
            requires=("void_reason",),
            writes=("void_reason",),
            stamps=("voided_at",),
            effects=(reverse_allocations,),
        ),
    ),
)


async def restore_credit(ctx: TransitionContext[CreditRefundStatus]) -> None:
    """A voided refund gives its amount back to the credit; balance and credit are
    recalculated and the manufacturer hears of it."""
    refund: CreditRefund = ctx.entity
    manufacturer = await ledger.lock_account(ctx.session, refund.manufacturer_id)
    await ledger.recalculate(ctx.session, ctx.actor, manufacturer)
    notify_manufacturer(
        ctx.session,
        refund.manufacturer_id,
        NotificationType.PAYMENT_RECEIVED,
        f"Credit refund of {refund.amount} {refund.currency} voided",
        f"The credit refund of {refund.amount} {refund.currency} dated "
        f"{refund.refund_date.isoformat()} (reference {refund.reference}) was voided: "
        f"{refund.void_reason}. The amount is your credit again.",
    )


REFUND_WORKFLOW = StateMachine(
    entity="CreditRefund",
    statuses=CreditRefundStatus,
    initial=CreditRefundStatus.RECORDED,
    read=Permission.VIEW_PAYMENTS,
    owner=MANUFACTURER_RECORD,
    moves=(
        Move(
            CreditRefundStatus.RECORDED,
            CreditRefundStatus.VOIDED,
            PAY,
            "Void with a reason: the amount is the manufacturer's credit again.",
            requires=("void_reason",),
            writes=("void_reason",),
            stamps=("voided_at",),
            effects=(restore_credit,),
        ),
    ),
)
