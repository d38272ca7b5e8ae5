"""Checkout mutations: `createProductionOrder` (BR-47) and `resumeCheckout`.

Each is three steps (resolvers/checkout/sessions.py): a transaction that records the draft
and its attempt, the Stripe call with no transaction open, a transaction that records
Stripe's answer. When Stripe fails, the draft and its FAILED attempt are kept and the
payload carries both the order and a retryable PAYMENT_PROVIDER_UNAVAILABLE.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from auth.actor import Actor
from auth.permissions import Permission
from domain.errors import ErrorCode, Problem
from domain.orders import OrderPriority, Technique
from resolvers.checkout import refunds, sessions
from resolvers.checkout.gateway import (
    ProviderError,
    ProviderRefused,
    StripeGateway,
    StripeSession,
)
from resolvers.orders.production import ProductionOrderSpec, SizeSpec, create_production_order
from schema.checkout.types import CheckoutSession, CustomerRefund
from schema.context import request_context
from schema.errors import UserError
from schema.inputs import mutate, optional, reload
from schema.node import load_node
from schema.orders.types import Order
from schema.payloads import input_mutation, user_errors
from settings import PaymentsSettings

log = logging.getLogger(__name__)


@strawberry.input(description="One size of a size run.")
class SizeQuantityInput:
    size: str = strawberry.field(description='A size the garment is offered in, e.g. "M".')
    quantity: int = strawberry.field(description="How many (greater than zero).")


@strawberry.input(
    description="A design on a garment blank in a size run, to pay for with Stripe Checkout."
)
class CreateProductionOrderInput:
    garment_id: strawberry.ID = strawberry.field(
        description="The garment blank: a catalog product whose variants are its sizes."
    )
    sizes: list[SizeQuantityInput] = strawberry.field(
        description="The size run: each size once, quantities greater than zero."
    )
    design_id: strawberry.ID | None = optional(
        "A saved design (exactly one of designId, designUrl)."
    )
    design_url: str | None = optional(
        "The design's image URL (exactly one of designId, designUrl)."
    )
    customer_id: strawberry.ID | None = optional(
        "Ops ordering on a customer's behalf: the customer (a customer orders for itself)."
    )
    priority: OrderPriority | None = optional("Priority (default STANDARD).")
    notes: str | None = optional("Notes for production.")
    technique: Technique | None = optional("Decoration technique of every line (default DTG).")

    def spec(self) -> ProductionOrderSpec:
        return ProductionOrderSpec(
            garment_id=self.garment_id,
            sizes=[SizeSpec(s.size, s.quantity) for s in self.sizes],
            design_id=self.design_id,
            design_url=self.design_url,
            customer_id=self.customer_id,
            priority=self.priority,
            notes=self.notes,
            technique=self.technique,
        )


@strawberry.input(description="A fresh checkout for an unpaid draft.")
class ResumeCheckoutInput:
    order_id: strawberry.ID = strawberry.field(description="The order (an unpaid draft).")


@strawberry.type(description="An order and where to pay for it.")
class CheckoutPayload:
    order: Order | None = strawberry.field(
        description="The draft order as committed; kept (with the error) when Stripe failed."
    )
    checkout_session: CheckoutSession | None = strawberry.field(
        description="This attempt at paying it."
    )
    checkout_url: str | None = strawberry.field(
        description="Stripe's hosted page to send the customer to; null when Stripe failed."
    )
    errors: list[UserError] = user_errors(
        "Why nothing was created; or, with the order, why there is no checkout URL yet "
        "(PAYMENT_PROVIDER_UNAVAILABLE is retryable: resumeCheckout)."
    )


def _not_configured() -> CheckoutPayload:
    problem = Problem(
        ErrorCode.PAYMENTS_NOT_CONFIGURED,
        "Payments are not configured on this server (STRIPE_SECRET_KEY); nothing was created",
    )
    return CheckoutPayload(
        order=None,
        checkout_session=None,
        checkout_url=None,
        errors=UserError.from_problems([problem]),
    )


async def _checkout(
    info: Info[Any, Any], payments: PaymentsSettings, request: sessions.StripeRequest
) -> CheckoutPayload:
    """Steps 2 and 3: ask Stripe (no transaction open), record its answer."""
    gateway = StripeGateway(payments)
    answer: StripeSession | ProviderError
    try:
        answer = await gateway.create_session(request.params, request.idempotency_key)
    except ProviderError as exc:
        answer = exc

    async def record(session: AsyncSession, actor: Actor) -> Any:
        return await sessions.record_answer(session, actor, request.checkout_id, answer)

    row, errors = await mutate(info, record)
    for replaced in request.replaced:  # a stale page must not take a second payment
        try:
            await gateway.expire_session(replaced)
        except ProviderError:
            log.info("could not expire replaced checkout session %s", replaced)
    if isinstance(answer, ProviderError):
        code = (
            ErrorCode.PAYMENT_PROVIDER_REFUSED
            if isinstance(answer, ProviderRefused)
            else ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE
        )
        errors = [*errors, *UserError.from_problems([Problem(code, str(answer))])]
    order = await load_node(info, Order, request.order_id)
    checkout = await reload(info, CheckoutSession, row)
    return CheckoutPayload(
        order=order,
        checkout_session=checkout,
        checkout_url=checkout.url if checkout is not None else None,
        errors=errors,
    )


def _failed(errors: list[UserError]) -> CheckoutPayload:
    return CheckoutPayload(order=None, checkout_session=None, checkout_url=None, errors=errors)


async def _create_production_order(
    info: Info[Any, Any], input: CreateProductionOrderInput
) -> CheckoutPayload:
    payments = request_context(info).settings.payments
    if not payments.configured:
        return _not_configured()
    spec = input.spec()

    async def place(session: AsyncSession, actor: Actor) -> sessions.StripeRequest:
        order = await create_production_order(session, actor, spec)
        attempt = await sessions.latest_attempt(session, order.id)
        return await sessions.stripe_request(session, attempt, payments.public_origin)

    request, errors = await mutate(info, place)
    if errors:
        return _failed(errors)
    return await _checkout(info, payments, request)


async def _resume_checkout(info: Info[Any, Any], input: ResumeCheckoutInput) -> CheckoutPayload:
    payments = request_context(info).settings.payments
    if not payments.configured:
        return _not_configured()

    async def again(session: AsyncSession, actor: Actor) -> sessions.StripeRequest:
        attempt = await sessions.resume(session, actor, input.order_id)
        return await sessions.stripe_request(session, attempt, payments.public_origin)

    request, errors = await mutate(info, again)
    if errors:
        return _failed(errors)
    return await _checkout(info, payments, request)


@strawberry.input(description="Refund a paid order, fully or partly, and (by default) cancel it.")
class RefundOrderInput:
    order_id: strawberry.ID = strawberry.field(description="The paid order.")
    reason: str = strawberry.field(description="Why (required; the cancel reason too).")
    idempotency_key: str = strawberry.field(
        description="Your key for this refund: repeating it returns the first result and never "
        "refunds twice."
    )
    amount: Decimal | None = optional("How much (USD); default: all that is left to refund.")
    cancel_order: bool = strawberry.field(
        default=True,
        description="Cancel the order with the refund (a paid order is canceled only this way).",
    )


@strawberry.type(description="A refund and the order it concerns.")
class RefundOrderPayload:
    refund: CustomerRefund | None = strawberry.field(description="The refund as committed.")
    order: Order | None = strawberry.field(description="The order as committed.")
    errors: list[UserError] = user_errors(
        "Why nothing changed; or, with the refund, why Stripe has not taken it yet "
        "(PAYMENT_PROVIDER_UNAVAILABLE: repeat the call with the same idempotencyKey)."
    )


async def _refund_order(info: Info[Any, Any], input: RefundOrderInput) -> RefundOrderPayload:
    payments = request_context(info).settings.payments
    if not payments.configured:
        problem = Problem(ErrorCode.PAYMENTS_NOT_CONFIGURED, "Payments are not configured")
        return RefundOrderPayload(
            refund=None, order=None, errors=UserError.from_problems([problem])
        )

    async def record(session: AsyncSession, actor: Actor) -> Any:
        return await refunds.request_refund(
            session,
            actor,
            input.order_id,
            input.amount,
            input.reason,
            input.idempotency_key,
            input.cancel_order,
        )

    result, errors = await mutate(info, record)
    if errors:
        return RefundOrderPayload(refund=None, order=None, errors=errors)
    refund_row, call = result
    if call is not None:
        answer: Any
        try:
            answer = await StripeGateway(payments).refund(
                call.payment_intent,
                call.amount_cents,
                call.idempotency_key,
                {"orderId": str(call.order_id), "refundId": str(call.refund_id)},
            )
        except ProviderError as exc:
            answer = exc

        async def store(session: AsyncSession, actor: Actor) -> Any:
            return await refunds.record_refund_answer(session, actor, call.refund_id, answer)

        refund_row, errors = await mutate(info, store)
        if isinstance(answer, ProviderError):
            code = (
                ErrorCode.PAYMENT_PROVIDER_REFUSED
                if isinstance(answer, ProviderRefused)
                else ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE
            )
            errors = [*errors, *UserError.from_problems([Problem(code, str(answer))])]
    return RefundOrderPayload(
        refund=await reload(info, CustomerRefund, refund_row),
        order=await load_node(info, Order, refund_row.order_id),
        errors=errors,
    )


@strawberry.type
class CheckoutMutation:
    create_production_order = input_mutation(
        CheckoutPayload,
        CreateProductionOrderInput,
        Permission.PAY_ORDERS,
        "Send a design to production (BR-47): validates the size run against the garment's "
        "sizes, creates the draft order at their prices, then a Stripe Checkout Session for "
        "it; returns the order and `checkoutUrl`. The order is submitted when Stripe reports "
        "the payment (the webhook). PAYMENTS_NOT_CONFIGURED when the server has no Stripe "
        "key; PAYMENT_PROVIDER_UNAVAILABLE (with the draft) when Stripe failed.",
        _create_production_order,
    )

    resume_checkout = input_mutation(
        CheckoutPayload,
        ResumeCheckoutInput,
        Permission.PAY_ORDERS,
        "A fresh Stripe Checkout Session for an unpaid draft (after Stripe failed, the "
        "session expired or the customer left); earlier open sessions are expired.",
        _resume_checkout,
    )

    refund_order = input_mutation(
        RefundOrderPayload,
        RefundOrderInput,
        Permission.REFUND_CUSTOMER_PAYMENTS,
        "Refund a paid order through Stripe, fully or partly, with an idempotency key; by "
        "default the order is canceled with it, in the same transaction (refused, with "
        "nothing done, when the order can no longer be canceled). `charge.refunded` confirms "
        "the refund.",
        _refund_order,
    )
