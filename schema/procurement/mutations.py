"""Procurement mutations. Each runs in one transaction and reports business-rule failures in
`errors`; the rules live in resolvers.procurement and every status change goes through its
state machine (resolvers.transitions)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from auth.actor import Actor
from auth.permissions import Permission
from domain.fulfillment import PackageCondition
from domain.procurement import (
    BlockKind,
    CryptoNetwork,
    CryptoRateSource,
    LotStatus,
    PoPaymentMethod,
    PoPaymentStatus,
    PurchaseOrderStatus,
    SupplierStatus,
)
from resolvers.procurement import (
    lots,
    payments,
    price_lists,
    purchase_orders,
    receiving,
    suppliers,
)
from schema.errors import UserError
from schema.inputs import EXPECTED_VERSION, omittable, optional, provided, reload
from schema.node import load_nodes
from schema.payloads import (
    Rule,
    creating,
    mutation,
    node_mutation,
    returning,
    updating,
    user_errors,
)
from schema.procurement.coas import CoaMutation
from schema.procurement.labels import LabelMutation
from schema.procurement.types import (
    Lot,
    PurchaseOrder,
    PurchaseOrderPayment,
    Supplier,
    SupplierPriceList,
)

# -- suppliers ---------------------------------------------------------------------------------


@strawberry.input(description="A supplier's profile fields.")
class SupplierFields:
    contact_name: str | None = omittable("Contact person.")
    contact_email: str | None = omittable("Contact email.")
    contact_phone: str | None = omittable("Contact phone.")
    website: str | None = omittable("Website (http or https).")
    address_line1: str | None = omittable("Address, first line.")
    address_line2: str | None = omittable("Address, second line.")
    city: str | None = omittable("City.")
    state: str | None = omittable("State or region.")
    postal_code: str | None = omittable("Postal code.")
    country: str | None = omittable("ISO 3166-1 alpha-2 country (default US).")
    payment_terms: str | None = omittable('E.g. "Net 30", "Prepaid", "COD".')
    default_lead_time_days: int | None = omittable("Days from order to delivery (default 14).")
    default_currency: str | None = omittable("ISO 4217 currency of its orders (default USD).")
    account_number: str | None = omittable("Our account number with it.")
    tax_id: str | None = omittable(
        "Tax ID: 4 to 30 letters, digits and separators. Encrypted at rest."
    )
    notes: str | None = omittable("Internal notes.")


@strawberry.input(description="A new supplier (ACTIVE).")
class CreateSupplierInput(SupplierFields):
    name: str = strawberry.field(description="Company name.")
    code: str = strawberry.field(
        description="2-4 capital letters, unique; part of every lot number and never changed."
    )


@strawberry.input(description="Changes to a supplier; omitted fields stay as they are.")
class UpdateSupplierInput(SupplierFields):
    id: strawberry.ID = strawberry.field(description="The supplier.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    name: str | None = omittable("Company name.")


@strawberry.input(description="Move a supplier to another status (SPEC §2.4), with a reason.")
class ChangeSupplierStatusInput:
    id: strawberry.ID = strawberry.field(description="The supplier.")
    status: SupplierStatus = strawberry.field(description="The status to move it to.")
    reason: str = strawberry.field(description="Why (required, not blank).")
    block_kind: BlockKind | None = optional(
        "Required to block: QUALITY quarantines its lots, BUSINESS leaves them."
    )
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="Which supplier to delete.")
class DeleteSupplierInput:
    id: strawberry.ID = strawberry.field(description="The supplier.")


@strawberry.input(description="Which price list to delete.")
class DeleteSupplierPriceListInput:
    id: strawberry.ID = strawberry.field(description="The price list.")


@strawberry.input(description="Which draft purchase order to delete.")
class DeletePurchaseOrderInput:
    id: strawberry.ID = strawberry.field(description="The draft.")


@strawberry.type(description="The result of a mutation on a supplier.")
class SupplierPayload:
    supplier: Supplier | None = strawberry.field(description="The supplier as committed.")
    errors: list[UserError] = user_errors()


@strawberry.type(description="The result of a delete.")
class DeleteProcurementRecordPayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="ID of the deleted record.")
    errors: list[UserError] = user_errors()


# -- price lists -------------------------------------------------------------------------------


@strawberry.input(description="A new price list of a supplier for a product.")
class CreateSupplierPriceListInput:
    supplier_id: strawberry.ID = strawberry.field(description="The supplier.")
    product_id: strawberry.ID = strawberry.field(description="The product.")
    unit_cost: Decimal = strawberry.field(description="Cost of one unit, e.g. 42.50.")
    effective_date: datetime = strawberry.field(description="From when it applies.")
    supplier_sku: str | None = omittable("The supplier's SKU.")
    currency: str | None = omittable("ISO 4217 currency (default USD).")
    unit_quantity: str | None = omittable('What one unit is, e.g. "5mg".')
    minimum_order_quantity: int | None = omittable("Fewest units per PO line (default 1).")
    expires_at: datetime | None = omittable("Until when (exclusive); null: open-ended.")
    is_active: bool | None = omittable("Active (default true).")


@strawberry.input(description="Changes to a price list; omitted fields stay as they are.")
class UpdateSupplierPriceListInput:
    id: strawberry.ID = strawberry.field(description="The price list.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    unit_cost: Decimal | None = omittable("Cost of one unit.")
    effective_date: datetime | None = omittable("From when it applies.")
    supplier_sku: str | None = omittable("The supplier's SKU.")
    currency: str | None = omittable("ISO 4217 currency.")
    unit_quantity: str | None = omittable('What one unit is, e.g. "5mg".')
    minimum_order_quantity: int | None = omittable("Fewest units per PO line.")
    expires_at: datetime | None = omittable("Until when (exclusive); null: open-ended.")
    is_active: bool | None = omittable("Active; reactivating clears a supplier hold.")


@strawberry.type(description="The result of a mutation on a price list.")
class SupplierPriceListPayload:
    price_list: SupplierPriceList | None = strawberry.field(
        description="The price list as committed."
    )
    errors: list[UserError] = user_errors()


# -- purchase orders ---------------------------------------------------------------------------


@strawberry.input(description="One line of a purchase order.")
class PurchaseOrderLineInput:
    product_id: strawberry.ID = strawberry.field(description="The product ordered.")
    quantity: int = strawberry.field(description="Units (at least the price list's minimum).")
    variant_id: strawberry.ID | None = optional("The variant, when the product has several.")
    unit_cost: Decimal | None = optional(
        "Cost of one unit; defaults to the supplier's effective price (BR-43)."
    )
    supplier_sku: str | None = optional("The supplier's SKU; defaults to the price list's.")

    def spec(self) -> purchase_orders.LineSpec:
        return purchase_orders.LineSpec(**provided(self, exclude=()))


@strawberry.input(description="A new draft purchase order, in the supplier's currency.")
class CreatePurchaseOrderInput:
    supplier_id: strawberry.ID = strawberry.field(description="The (active) supplier.")
    expected_at: datetime | None = omittable("When it should arrive.")
    shipping_cost: Decimal | None = omittable("Shipping (default 0).")
    tax_amount: Decimal | None = omittable("Tax (default 0).")
    supplier_reference: str | None = omittable("The supplier's reference.")
    notes: str | None = omittable("Notes.")
    lines: list[PurchaseOrderLineInput] = strawberry.field(
        default_factory=list, description="The lines; at least one is needed to submit."
    )


@strawberry.input(description="Changes to a purchase order; omitted fields stay as they are.")
class UpdatePurchaseOrderInput:
    id: strawberry.ID = strawberry.field(description="The purchase order.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    expected_at: datetime | None = omittable("When it should arrive.")
    supplier_reference: str | None = omittable("The supplier's reference.")
    notes: str | None = omittable("Notes.")
    shipping_cost: Decimal | None = omittable("Shipping (drafts only).")
    tax_amount: Decimal | None = omittable("Tax (drafts only).")


@strawberry.input(description="A line to add to a draft purchase order.")
class AddPurchaseOrderLineInput(PurchaseOrderLineInput):
    purchase_order_id: strawberry.ID = strawberry.field(description="The draft.")

    def spec(self) -> purchase_orders.LineSpec:
        return purchase_orders.LineSpec(**provided(self, exclude=("purchase_order_id",)))


@strawberry.input(description="A line to remove from a draft purchase order.")
class RemovePurchaseOrderLineInput:
    id: strawberry.ID = strawberry.field(description="The line.")


@strawberry.input(description="Move a purchase order to another status (SPEC §2.5).")
class TransitionPurchaseOrderInput:
    id: strawberry.ID = strawberry.field(description="The purchase order.")
    status: PurchaseOrderStatus = strawberry.field(description="The status to move it to.")
    reason: str | None = optional(
        "Why: required to cancel, and to accept a short delivery as RECEIVED."
    )
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="Submit a draft purchase order.")
class SubmitPurchaseOrderInput:
    id: strawberry.ID = strawberry.field(description="The draft.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="Cancel a purchase order (draft, submitted or confirmed).")
class CancelPurchaseOrderInput:
    id: strawberry.ID = strawberry.field(description="The purchase order.")
    reason: str = strawberry.field(description="Why (required, not blank).")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type(description="The result of a mutation on a purchase order.")
class PurchaseOrderPayload:
    purchase_order: PurchaseOrder | None = strawberry.field(
        description="The purchase order as committed; null when `errors` is not empty."
    )
    errors: list[UserError] = user_errors()


# -- payments ----------------------------------------------------------------------------------


@strawberry.input(description="A crypto payment's details; amounts and rates as exact strings.")
class CryptoPaymentInput:
    currency: str = strawberry.field(description='E.g. "BTC".')
    amount: str = strawberry.field(description='Exact decimal string, e.g. "0.04217391".')
    rate_usd: str = strawberry.field(description='USD per unit, exact, e.g. "90100.00".')
    rate_source: CryptoRateSource = strawberry.field(description="Where the rate was read.")
    network: CryptoNetwork = strawberry.field(description="The network.")
    rate_timestamp: datetime | None = optional("When the rate was read.")
    tx_hash: str | None = optional("Transaction hash.")
    from_address: str | None = optional("Sending address.")
    to_address: str | None = optional("Receiving address.")
    confirmations: int | None = optional("Block confirmations seen.")
    fee: str | None = optional('Network fee in the currency, exact, e.g. "0.00001200".')
    fee_usd: Decimal | None = optional("Network fee in USD.")

    def details(self) -> payments.CryptoDetails:
        return payments.CryptoDetails(**provided(self, exclude=()))


@strawberry.input(description="A fiat payment's details.")
class FiatPaymentInput:
    reference: str | None = optional("Wire, ACH or check reference.")
    bank: str | None = optional("Paying bank.")

    def details(self) -> payments.FiatDetails:
        return payments.FiatDetails(**provided(self, exclude=()))


@strawberry.input(description="A payment to a supplier, recorded PENDING.")
class RecordPurchaseOrderPaymentInput:
    purchase_order_id: strawberry.ID = strawberry.field(description="The purchase order.")
    idempotency_key: str = strawberry.field(
        description="Your key for this payment: sent again, the same payment is returned and "
        "nothing is recorded twice; with other values it is a CONFLICT."
    )
    amount_usd: Decimal = strawberry.field(description="The amount in USD, e.g. 3800.00.")
    payment_method: PoPaymentMethod = strawberry.field(description="How it was paid.")
    paid_at: datetime = strawberry.field(description="When it was paid.")
    crypto: CryptoPaymentInput | None = optional("Required for CRYPTO, refused otherwise.")
    fiat: FiatPaymentInput | None = optional("For the fiat methods.")
    notes: str | None = optional("Notes.")


@strawberry.input(description="Confirm a pending payment: it counts towards the PO.")
class ConfirmPurchaseOrderPaymentInput:
    id: strawberry.ID = strawberry.field(description="The payment.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="Mark a pending payment failed, with a reason.")
class FailPurchaseOrderPaymentInput:
    id: strawberry.ID = strawberry.field(description="The payment.")
    reason: str = strawberry.field(description="Why (required, not blank).")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type(description="The result of a mutation on a purchase order payment.")
class PurchaseOrderPaymentPayload:
    payment: PurchaseOrderPayment | None = strawberry.field(
        description="The payment as committed; null when `errors` is not empty."
    )
    errors: list[UserError] = user_errors()


# -- receiving -------------------------------------------------------------------------------


@strawberry.input(description="What arrived of one PO line: it becomes a PENDING lot.")
class ReceivedLineInput:
    line_id: strawberry.ID = strawberry.field(description="The PO line.")
    quantity: int = strawberry.field(description="Units received (up to what is still due).")
    supplier_lot_number: str | None = optional("The supplier's lot number.")
    manufacture_date: date | None = optional("When it was made.")
    expiration_date: date | None = optional("When it expires (after manufactureDate).")

    def line(self) -> receiving.ReceivedLine:
        return receiving.ReceivedLine(**provided(self, exclude=()))


@strawberry.input(description="A delivery of a purchase order, received into lots (BR-41).")
class ReceivePurchaseOrderInput:
    purchase_order_id: strawberry.ID = strawberry.field(
        description="The (confirmed or shipped) PO."
    )
    lines: list[ReceivedLineInput] = strawberry.field(description="What arrived, per line.")
    received_at: datetime | None = optional("When it arrived (default now).")
    package_condition: PackageCondition | None = optional("The package on arrival.")
    temperature_on_arrival: Decimal | None = optional("°C on arrival, -100 to 100.")


@strawberry.type(description="The result of receiving a purchase order.")
class ReceivePurchaseOrderPayload:
    purchase_order: PurchaseOrder | None = strawberry.field(
        description="The PO as committed (quantities received, status)."
    )
    lots: list[Lot] = strawberry.field(description="The lots made, one per line given.")
    errors: list[UserError] = user_errors()


async def _receive(session: AsyncSession, actor: Actor, input: Any) -> Any:
    return await receiving.receive_purchase_order(
        session,
        actor,
        input.purchase_order_id,
        receiving.Receipt(
            received_at=input.received_at,
            package_condition=input.package_condition,
            temperature_on_arrival=input.temperature_on_arrival,
        ),
        [line.line() for line in input.lines],
    )


async def _received(info: Info[Any, Any], _: Any, result: Any, errors: list[UserError]) -> Any:
    if result is None:
        return ReceivePurchaseOrderPayload(purchase_order=None, lots=[], errors=errors)
    order, lots = result
    return ReceivePurchaseOrderPayload(
        purchase_order=await reload(info, PurchaseOrder, order),
        lots=await load_nodes(info, Lot, [lot.id for lot in lots]),
        errors=errors,
    )


@strawberry.input(description="Move a lot to another status (SPEC §2.6).")
class TransitionLotInput:
    id: strawberry.ID = strawberry.field(description="The lot.")
    status: LotStatus = strawberry.field(
        description="QUARANTINED starts QC; ACTIVE passes it (stocked); REJECTED fails it; "
        "RECALLED and EXPIRED take its stock out."
    )
    reason: str | None = optional("Why: required to reject, recall or re-quarantine.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type(description="The result of a mutation on a lot.")
class LotPayload:
    lot: Lot | None = strawberry.field(description="The lot as committed.")
    errors: list[UserError] = user_errors()


async def _lot_move(session: AsyncSession, actor: Actor, input: Any) -> Any:
    ctx = await lots.change_status(
        session, actor, input.id, input.status, input.reason, input.expected_version
    )
    return ctx.entity


# -- rules -------------------------------------------------------------------------------------


async def _supplier_status(session: AsyncSession, actor: Actor, input: Any) -> Any:
    ctx = await suppliers.change_status(
        session,
        actor,
        input.id,
        input.status,
        input.reason,
        input.block_kind,
        input.expected_version,
    )
    return ctx.entity


def _po_move(target: PurchaseOrderStatus | None) -> Rule[Any]:
    """A PO status mutation: to `target`, or to the input's status when None."""

    async def move(session: AsyncSession, actor: Actor, input: Any) -> Any:
        ctx = await purchase_orders.change_status(
            session,
            actor,
            input.id,
            target or input.status,
            getattr(input, "reason", None),
            input.expected_version,
        )
        return ctx.entity

    return move


def _payment_move(target: PoPaymentStatus) -> Rule[Any]:
    async def move(session: AsyncSession, actor: Actor, input: Any) -> Any:
        ctx = await payments.change_status(
            session, actor, input.id, target, getattr(input, "reason", None), input.expected_version
        )
        return ctx.entity

    return move


async def _record_payment(session: AsyncSession, actor: Actor, input: Any) -> Any:
    values = provided(input, exclude=("purchase_order_id", "crypto", "fiat"))
    return await payments.record_payment(
        session,
        actor,
        input.purchase_order_id,
        values,
        input.crypto.details() if input.crypto is not None else None,
        input.fiat.details() if input.fiat is not None else None,
    )


async def _deleted(session: AsyncSession, actor: Actor, input: Any, delete: Any) -> Any:
    await delete(session, actor, input.id)
    return input.id


MANAGE = Permission.MANAGE_PROCUREMENT
PAY = Permission.RECORD_PO_PAYMENTS


@strawberry.type
class ProcurementMutation(CoaMutation, LabelMutation):
    create_supplier = node_mutation(
        SupplierPayload,
        CreateSupplierInput,
        MANAGE,
        "Create a supplier (ACTIVE). The code is unique (CONFLICT) and never changes.",
        creating(suppliers.create_supplier),
    )

    update_supplier = node_mutation(
        SupplierPayload,
        UpdateSupplierInput,
        MANAGE,
        "Change a supplier's profile (not its status: changeSupplierStatus).",
        updating(suppliers.update_supplier),
    )

    change_supplier_status = node_mutation(
        SupplierPayload,
        ChangeSupplierStatusInput,
        MANAGE,
        "Move a supplier to another status with a reason (SPEC §2.4). In the same "
        "transaction its draft POs are cancelled, its open POs flagged, blocked or cancelled "
        "and its price lists deactivated or flagged, as the cascade table says; each change "
        "is audited.",
        _supplier_status,
    )

    delete_supplier = mutation(
        DeleteProcurementRecordPayload,
        DeleteSupplierInput,
        MANAGE,
        "Delete a supplier with no purchase orders, lots or price lists (BR-46); otherwise "
        "NOT_DELETABLE (make it inactive instead).",
        lambda s, actor, input: _deleted(s, actor, input, suppliers.delete_supplier),
        returning(DeleteProcurementRecordPayload),
    )

    create_supplier_price_list = node_mutation(
        SupplierPriceListPayload,
        CreateSupplierPriceListInput,
        MANAGE,
        "Add a price list of a supplier for a product.",
        creating(price_lists.create_price_list),
    )

    update_supplier_price_list = node_mutation(
        SupplierPriceListPayload,
        UpdateSupplierPriceListInput,
        MANAGE,
        "Change a price list (lines already ordered keep their unit cost).",
        updating(price_lists.update_price_list),
    )

    delete_supplier_price_list = mutation(
        DeleteProcurementRecordPayload,
        DeleteSupplierPriceListInput,
        MANAGE,
        "Delete a price list no PO line used (BR-46); otherwise NOT_DELETABLE (deactivate it).",
        lambda s, actor, input: _deleted(s, actor, input, price_lists.delete_price_list),
        returning(DeleteProcurementRecordPayload),
    )

    create_purchase_order = node_mutation(
        PurchaseOrderPayload,
        CreatePurchaseOrderInput,
        MANAGE,
        "Create a draft purchase order for an active supplier. A line's unit cost and "
        "supplier SKU come from the supplier's effective price unless given; every bad line "
        "is reported at its path, e.g. input.lines.1.quantity.",
        lambda s, actor, input: purchase_orders.create_purchase_order(
            s,
            actor,
            input.supplier_id,
            provided(input, exclude=("supplier_id", "lines")),
            [line.spec() for line in input.lines],
        ),
    )

    update_purchase_order = node_mutation(
        PurchaseOrderPayload,
        UpdatePurchaseOrderInput,
        MANAGE,
        "Change a purchase order: expected date, reference and notes while it is open; "
        "shipping and tax on a draft (else IMMUTABLE).",
        updating(purchase_orders.update_purchase_order),
    )

    add_purchase_order_line = node_mutation(
        PurchaseOrderPayload,
        AddPurchaseOrderLineInput,
        MANAGE,
        "Add a line to a draft (else IMMUTABLE); the totals follow.",
        lambda s, actor, input: purchase_orders.add_line(
            s, actor, input.purchase_order_id, input.spec()
        ),
    )

    remove_purchase_order_line = node_mutation(
        PurchaseOrderPayload,
        RemovePurchaseOrderLineInput,
        MANAGE,
        "Remove a line from a draft (BR-46; else IMMUTABLE); the totals follow.",
        lambda s, actor, input: purchase_orders.remove_line(s, actor, input.id),
    )

    delete_purchase_order = mutation(
        DeleteProcurementRecordPayload,
        DeletePurchaseOrderInput,
        MANAGE,
        "Delete a draft with no lines (BR-46); otherwise NOT_DELETABLE (cancel it).",
        lambda s, actor, input: _deleted(s, actor, input, purchase_orders.delete_purchase_order),
        returning(DeleteProcurementRecordPayload),
    )

    submit_purchase_order = node_mutation(
        PurchaseOrderPayload,
        SubmitPurchaseOrderInput,
        MANAGE,
        "Submit a draft with at least one line to an active supplier: assigns its PO number "
        "(PO-YYYY-NNNN) and puts its lines on order (incoming).",
        _po_move(PurchaseOrderStatus.SUBMITTED),
    )

    cancel_purchase_order = node_mutation(
        PurchaseOrderPayload,
        CancelPurchaseOrderInput,
        MANAGE,
        "Cancel a draft, submitted or confirmed purchase order with a reason.",
        _po_move(PurchaseOrderStatus.CANCELLED),
    )

    transition_purchase_order = node_mutation(
        PurchaseOrderPayload,
        TransitionPurchaseOrderInput,
        MANAGE,
        "Move a purchase order along SPEC §2.5 (confirmed, shipped, received, closed, ...). "
        "Closing needs paymentStatus PAID; a move the machine lacks is INVALID_TRANSITION.",
        _po_move(None),
    )

    receive_purchase_order = mutation(
        ReceivePurchaseOrderPayload,
        ReceivePurchaseOrderInput,
        MANAGE,
        "Receive a delivery of a confirmed or shipped PO (BR-41): each line given becomes a "
        "PENDING lot numbered per BR-39 ({PRODUCT}-{SUPPLIER}{YYMMDD}-{SEQ}); the lines' "
        "quantityReceived and the PO's status follow. Refused while the supplier may not "
        "receive (suspended, blocked).",
        _receive,
        _received,
    )

    transition_lot = node_mutation(
        LotPayload,
        TransitionLotInput,
        Permission.PERFORM_QC,
        "Move a lot along SPEC §2.6 by hand: recall or expire an ACTIVE lot (its stock "
        "leaves; procurement:write) or put it back into quarantine (admins). Quarantine on QC "
        "start, release (ACTIVE) and rejection are made by the lot's QC inspection only "
        "(createLotQcInspection, startQcInspection, completeQcInspection); asked for here "
        "they are INVALID_TRANSITION.",
        _lot_move,
    )

    record_purchase_order_payment = node_mutation(
        PurchaseOrderPaymentPayload,
        RecordPurchaseOrderPaymentInput,
        PAY,
        "Record a payment to a supplier (PENDING), once per idempotency key. Crypto amounts "
        "and rates are exact decimal strings and read back exactly as sent.",
        _record_payment,
    )

    confirm_purchase_order_payment = node_mutation(
        PurchaseOrderPaymentPayload,
        ConfirmPurchaseOrderPaymentInput,
        PAY,
        "Confirm a pending payment; the PO's paymentStatus follows at once.",
        _payment_move(PoPaymentStatus.CONFIRMED),
    )

    fail_purchase_order_payment = node_mutation(
        PurchaseOrderPaymentPayload,
        FailPurchaseOrderPaymentInput,
        PAY,
        "Mark a pending payment failed, with a reason.",
        _payment_move(PoPaymentStatus.FAILED),
    )
