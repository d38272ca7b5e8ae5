"""Procurement object types: suppliers, price lists, purchase orders, their lines and
payments, and the procurement audit log.

Relations go through the request's loaders, so a page of purchase orders with their
supplier, lines, products and payments costs the same statements for 10 orders as for 50.
Unit costs, totals and payments are cost data (SPEC §4): `costs:read` on the field; a
supplier's tax ID is bank and tax data: `bank:read`, masked unless revealed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from auth.permissions import Permission
from db.models import Supplier as SupplierRow
from domain.fulfillment import PackageCondition
from domain.procurement import (
    BlockKind,
    CryptoNetwork,
    CryptoRateSource,
    LotStatus,
    PaymentStatus,
    PoPaymentMethod,
    PoPaymentStatus,
    PurchaseOrderStatus,
    SupplierHold,
    SupplierStatus,
    is_overdue,
)
from resolvers import sensitive
from resolvers.ids import encode_id
from resolvers.pagination import SortKey
from resolvers.procurement import dashboard
from resolvers.procurement.coa_sources import COAS_OF_LOTS
from resolvers.procurement.workflow import (
    LOT_WORKFLOW,
    PAYMENT_WORKFLOW,
    PURCHASE_ORDER_WORKFLOW,
    SUPPLIER_WORKFLOW,
)
from schema.catalog.types import Product, Variant
from schema.context import request_context
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.execution.relations import Lazy, children, to_one
from schema.money import Money, money
from schema.node import Node
from schema.permissions import requires
from schema.procurement import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.procurement.lists import PRICE_LISTS, PURCHASE_ORDERS
from schema.procurement.lot_qc import LotQcInspection, lot_inspections
from schema.workflow import (
    ALLOWED_DESCRIPTION,
    HISTORY_DESCRIPTION,
    StatusChange,
    allowed_transitions,
    status_history,
)

_BY_POSITION = (SortKey("position"),)
_BY_PAID_AT = (SortKey("paid_at"), SortKey("created_at"))
_BY_NUMBER = (SortKey("lot_number"),)
COSTS = requires(Permission.VIEW_COSTS)
_COST_NOTE = "null (FORBIDDEN) for viewers who may not see costs."

Reveal = Annotated[
    bool,
    strawberry.argument(
        description="Return the clear value instead of the masked one. Every clear read is "
        "recorded in the audit log with who read it."
    ),
]


@strawberry.type(description="Someone we buy from (SPEC §1.6), with its status (§2.4).")
class Supplier(Node):
    pk: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="Company name.")
    code: str = strawberry.field(description="2-4 letters, part of every lot number, e.g. PP.")
    contact_name: str | None = strawberry.field(description="Contact person.")
    contact_email: str | None = strawberry.field(description="Contact email.")
    contact_phone: str | None = strawberry.field(description="Contact phone.")
    website: str | None = strawberry.field(description="Website.")
    address_line1: str | None = strawberry.field(description="Address, first line.")
    address_line2: str | None = strawberry.field(description="Address, second line.")
    city: str | None = strawberry.field(description="City.")
    state: str | None = strawberry.field(description="State or region.")
    postal_code: str | None = strawberry.field(description="Postal code.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country (default US).")
    payment_terms: str | None = strawberry.field(description='E.g. "Net 30", "Prepaid", "COD".')
    default_lead_time_days: int = strawberry.field(description="Days from order to delivery.")
    default_currency: str = strawberry.field(description="Currency of its orders (ISO 4217).")
    account_number: str | None = strawberry.field(description="Our account number with it.")
    notes: str | None = strawberry.field(description="Internal notes.")
    status: SupplierStatus = strawberry.field(description="Where it stands (SPEC §2.4).")
    status_changed_at: datetime | None = strawberry.field(description="When status changed.")
    status_changed_by: str | None = strawberry.field(description="Who changed it.")
    status_reason: str | None = strawberry.field(description="Why, as given.")
    block_kind: BlockKind | None = strawberry.field(description="Why it was blocked.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    tax_id: strawberry.Private[str | None]  # clear text, decrypted by the column type

    @strawberry.field(
        name="taxId",
        description="Tax ID, encrypted at rest and masked unless `reveal`; null (FORBIDDEN) "
        "for viewers other than admins and finance.",
        extensions=requires(Permission.VIEW_BANK_DETAILS),
    )
    async def tax_id_masked(self, info: Info[Any, Any], reveal: Reveal = False) -> str | None:
        return await sensitive.detail(
            request_context(info),
            SupplierRow,
            self.pk,
            "tax_id",
            self.tax_id,
            reveal=reveal,
            path=info.path.as_list(),
        )

    price_lists = PRICE_LISTS.field(
        "Its price lists, newest effective date first unless ordered.",
        parent="supplier_id",
        filter_description="Only matching price lists.",
    )
    purchase_orders = PURCHASE_ORDERS.field(
        "Its purchase orders, newest first unless ordered.",
        parent="supplier_id",
        filter_description="Only matching purchase orders.",
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[SupplierStatus]:
        return allowed_transitions(info, SUPPLIER_WORKFLOW, SupplierStatus(self.status), None)


@strawberry.type(description="What a supplier charges for a product, and when (BR-43).")
class SupplierPriceList(Node):
    pk: strawberry.Private[uuid.UUID]
    supplier_sku: str | None = strawberry.field(description="The supplier's SKU.")
    unit_quantity: str | None = strawberry.field(description='What one unit is, e.g. "5mg".')
    minimum_order_quantity: int = strawberry.field(description="Fewest units per PO line.")
    effective_date: datetime = strawberry.field(description="From when it applies.")
    expires_at: datetime | None = strawberry.field(description="Until when (exclusive).")
    is_active: bool = strawberry.field(description="Only active price lists are in effect.")
    supplier_hold: SupplierHold | None = strawberry.field(
        description="The mark the supplier's suspension left (FLAGGED), if any."
    )
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    supplier_id: strawberry.Private[uuid.UUID]
    product_id: strawberry.Private[uuid.UUID]
    unit_cost: strawberry.Private[Decimal]
    currency: strawberry.Private[str]

    @strawberry.field(
        name="unitCost", description=f"Cost of one unit; {_COST_NOTE}", extensions=COSTS
    )
    def unit_cost_money(self) -> Money | None:
        return money(self.unit_cost, self.currency)

    @strawberry.field(description="Whether it is in effect now (BR-43).")
    def in_effect(self) -> bool:
        now = datetime.now(UTC)
        return (
            self.is_active
            and self.effective_date <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    supplier = to_one(Supplier, "supplier_id", description="The supplier.", required=True)
    product = to_one(
        Product,
        "product_id",
        description="The product; null (FORBIDDEN) for viewers who may not see the catalog.",
    )


@strawberry.type(
    description="A received quantity of one PO line with its own number (SPEC §1.7, BR-39); "
    "a regulatory record, never deleted."
)
class Lot(Node):
    pk: strawberry.Private[uuid.UUID]
    lot_number: str = strawberry.field(description="E.g. BPC157-PP260315-01 (BR-39).")
    supplier_lot_number: str | None = strawberry.field(description="The supplier's lot.")
    manufacture_date: date | None = strawberry.field(description="When it was made.")
    expiration_date: date | None = strawberry.field(description="When it expires.")
    received_quantity: int = strawberry.field(description="Units received (audit only).")
    received_at: datetime = strawberry.field(description="When it was received.")
    received_by: str | None = strawberry.field(description="Who received it.")
    package_condition: PackageCondition | None = strawberry.field(
        description="The package on arrival."
    )
    temperature_on_arrival: Decimal | None = strawberry.field(description="°C on arrival.")
    status: LotStatus = strawberry.field(description="Where it is (SPEC §2.6).")
    status_changed_at: datetime | None = strawberry.field(description="Last status change.")
    status_reason: str | None = strawberry.field(description="Why, as given.")
    supplier_hold: SupplierHold | None = strawberry.field(
        description="The mark the supplier's suspension left, if any."
    )
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    product_id: strawberry.Private[uuid.UUID]
    variant_id: strawberry.Private[uuid.UUID]
    supplier_id: strawberry.Private[uuid.UUID]
    purchase_order_id: strawberry.Private[uuid.UUID]
    po_line_id: strawberry.Private[uuid.UUID]

    supplier = to_one(
        Lazy("Supplier", __name__), "supplier_id", description="Its supplier.", required=True
    )
    # -- receiving through the 3PL and lot QC (issue 27 items 5 and 7) --
    inbound_shipment_id: strawberry.Private[uuid.UUID | None]
    inbound_shipment = to_one(
        Lazy("InboundShipment", "schema.fulfillment.inbound_types"),
        "inbound_shipment_id",
        description="The 3PL inbound shipment it arrived on (null when the PO had none, or "
        "with FORBIDDEN for viewers who may not read inbound).",
    )

    @strawberry.field(description="Its QC inspections (QC-YYYY-NNNN), oldest first.")
    async def qc_inspections(self, info: Info[Any, Any]) -> list[LotQcInspection]:
        return await lot_inspections(info, self.pk)

    # -- end of issue 27 items 5 and 7 --
    purchase_order = to_one(
        Lazy("PurchaseOrder", __name__), "purchase_order_id", description="Its PO.", required=True
    )
    product = to_one(
        Product,
        "product_id",
        description="The product; null (FORBIDDEN) for viewers who may not see the catalog.",
    )
    variant = to_one(
        Variant,
        "variant_id",
        description="The variant; null (FORBIDDEN) for viewers who may not see the catalog.",
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    # COAs (schema/procurement/coas.py): the certificates covering the lot, through lot_coas.
    coas = children(
        Lazy("Coa", "schema.procurement.coas"),
        "lot_id",
        description="The certificates of analysis covering it, newest upload first.",
        order=(SortKey("created_at", True),),
        through=COAS_OF_LOTS,
    )

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[LotStatus]:
        return allowed_transitions(info, LOT_WORKFLOW, LotStatus(self.status), None)


@strawberry.type(description="A line of a purchase order: one product (and variant).")
class PurchaseOrderLine(Node):
    pk: strawberry.Private[uuid.UUID]
    position: int = strawberry.field(description="Position in the order, from 0.")
    quantity_ordered: int = strawberry.field(description="Units ordered.")
    quantity_received: int = strawberry.field(description="Units received so far.")
    supplier_sku: str | None = strawberry.field(description="The supplier's SKU.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    purchase_order_id: strawberry.Private[uuid.UUID]
    product_id: strawberry.Private[uuid.UUID]
    variant_id: strawberry.Private[uuid.UUID | None]
    price_list_id: strawberry.Private[uuid.UUID | None]
    unit_cost: strawberry.Private[Decimal]
    currency: strawberry.Private[str]

    @strawberry.field(
        name="unitCost", description=f"Cost of one unit; {_COST_NOTE}", extensions=COSTS
    )
    def unit_cost_money(self) -> Money | None:
        return money(self.unit_cost, self.currency)

    @strawberry.field(description=f"quantityOrdered * unitCost; {_COST_NOTE}", extensions=COSTS)
    def line_total(self) -> Money | None:
        return money(self.unit_cost * self.quantity_ordered, self.currency)

    purchase_order = to_one(
        Lazy("PurchaseOrder", __name__),
        "purchase_order_id",
        description="Its order.",
        required=True,
    )
    product = to_one(
        Product,
        "product_id",
        description="The product; null (FORBIDDEN) for viewers who may not see the catalog.",
    )
    variant = to_one(
        Variant,
        "variant_id",
        description="The variant, when one was given; null (FORBIDDEN) for viewers who may "
        "not see the catalog.",
    )
    price_list = to_one(
        SupplierPriceList,
        "price_list_id",
        description="The price list its unit cost came from, when it came from one.",
    )
    lots = children(Lot, "po_line_id", description="Lots received on it.", order=_BY_NUMBER)


@strawberry.type(description="Crypto details of a payment: amounts and rates exactly as given.")
class CryptoPayment:
    currency: str = strawberry.field(description='E.g. "BTC", "USDT".')
    amount: str = strawberry.field(description='Exact decimal string, e.g. "0.04217391".')
    rate_usd: str = strawberry.field(description='USD per unit, exact, e.g. "90100.00".')
    rate_source: CryptoRateSource = strawberry.field(description="Where the rate was read.")
    rate_timestamp: datetime | None = strawberry.field(description="When the rate was read.")
    network: CryptoNetwork = strawberry.field(description="The network it went over.")
    tx_hash: str | None = strawberry.field(description="Transaction hash.")
    from_address: str | None = strawberry.field(description="Sending address.")
    to_address: str | None = strawberry.field(description="Receiving address.")
    confirmations: int | None = strawberry.field(description="Block confirmations seen.")
    fee: str | None = strawberry.field(description="Network fee in the currency, exact.")
    fee_usd: Money | None = strawberry.field(description="Network fee in USD.")


@strawberry.type(description="A fiat payment's details.")
class FiatPayment:
    reference: str | None = strawberry.field(description="Wire, ACH or check reference.")
    bank: str | None = strawberry.field(description="Paying bank.")


@strawberry.type(description="A payment to a supplier against a purchase order (cost data).")
class PurchaseOrderPayment(Node):
    pk: strawberry.Private[uuid.UUID]
    idempotency_key: str = strawberry.field(description="The key it was recorded with.")
    payment_method: PoPaymentMethod = strawberry.field(description="How it was paid.")
    status: PoPaymentStatus = strawberry.field(description="Pending, confirmed or failed.")
    paid_at: datetime = strawberry.field(description="When it was paid.")
    confirmed_at: datetime | None = strawberry.field(description="When it was confirmed.")
    failed_at: datetime | None = strawberry.field(description="When it failed.")
    failure_reason: str | None = strawberry.field(description="Why it failed.")
    notes: str | None = strawberry.field(description="Notes.")
    recorded_by: str | None = strawberry.field(description="Who recorded it.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    purchase_order_id: strawberry.Private[uuid.UUID]
    amount_usd: strawberry.Private[Decimal]
    crypto_currency: strawberry.Private[str | None]
    crypto_amount: strawberry.Private[str | None]
    crypto_rate_usd: strawberry.Private[str | None]
    crypto_rate_source: strawberry.Private[str | None]
    crypto_rate_timestamp: strawberry.Private[datetime | None]
    crypto_network: strawberry.Private[str | None]
    crypto_tx_hash: strawberry.Private[str | None]
    crypto_from_address: strawberry.Private[str | None]
    crypto_to_address: strawberry.Private[str | None]
    crypto_confirmations: strawberry.Private[int | None]
    crypto_fee: strawberry.Private[str | None]
    crypto_fee_usd: strawberry.Private[Decimal | None]
    fiat_reference: strawberry.Private[str | None]
    fiat_bank: strawberry.Private[str | None]

    @strawberry.field(name="amountUsd", description="The amount, in USD.")
    def amount_usd_money(self) -> Money:
        return Money(amount=self.amount_usd, currency="USD")

    @strawberry.field(description="Crypto details; null for fiat methods.")
    def crypto(self) -> CryptoPayment | None:
        if (
            self.crypto_amount is None
            or self.crypto_rate_usd is None
            or self.crypto_rate_source is None
            or self.crypto_network is None
        ):
            return None
        return CryptoPayment(
            currency=self.crypto_currency or "",
            amount=self.crypto_amount,
            rate_usd=self.crypto_rate_usd,
            rate_source=CryptoRateSource(self.crypto_rate_source),
            rate_timestamp=self.crypto_rate_timestamp,
            network=CryptoNetwork(self.crypto_network),
            tx_hash=self.crypto_tx_hash,
            from_address=self.crypto_from_address,
            to_address=self.crypto_to_address,
            confirmations=self.crypto_confirmations,
            fee=self.crypto_fee,
            fee_usd=money(self.crypto_fee_usd, "USD"),
        )

    @strawberry.field(description="Fiat details; null for crypto.")
    def fiat(self) -> FiatPayment | None:
        if PoPaymentMethod(self.payment_method) is PoPaymentMethod.CRYPTO:
            return None
        return FiatPayment(reference=self.fiat_reference, bank=self.fiat_bank)

    purchase_order = to_one(
        Lazy("PurchaseOrder", __name__),
        "purchase_order_id",
        description="Its order.",
        required=True,
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[PoPaymentStatus]:
        return allowed_transitions(info, PAYMENT_WORKFLOW, PoPaymentStatus(self.status), None)


@strawberry.type(description="An order to a supplier (SPEC §1.6, §2.5).")
class PurchaseOrder(Node):
    pk: strawberry.Private[uuid.UUID]
    po_number: str | None = strawberry.field(description="PO-YYYY-NNNN, from submit on.")
    status: PurchaseOrderStatus = strawberry.field(description="Where it is (SPEC §2.5).")
    payment_status: PaymentStatus = strawberry.field(
        description="What its confirmed payments cover (SPEC §2.5)."
    )
    ordered_at: datetime | None = strawberry.field(description="When it was submitted.")
    expected_at: datetime | None = strawberry.field(description="When it should arrive.")
    confirmed_at: datetime | None = strawberry.field(description="When the supplier confirmed.")
    received_at: datetime | None = strawberry.field(description="When it was all received.")
    closed_at: datetime | None = strawberry.field(description="When it was closed.")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")
    status_changed_at: datetime | None = strawberry.field(description="Last status change.")
    supplier_reference: str | None = strawberry.field(description="The supplier's reference.")
    notes: str | None = strawberry.field(description="Notes.")
    supplier_hold: SupplierHold | None = strawberry.field(
        description="The mark a supplier status change left on it, if any."
    )
    supplier_hold_reason: str | None = strawberry.field(description="Which change, and why.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    supplier_id: strawberry.Private[uuid.UUID]
    currency: strawberry.Private[str]
    subtotal: strawberry.Private[Decimal]
    shipping_cost: strawberry.Private[Decimal]
    tax_amount: strawberry.Private[Decimal]
    total: strawberry.Private[Decimal]

    @strawberry.field(name="subtotal", description=f"Σ line totals; {_COST_NOTE}", extensions=COSTS)
    def subtotal_money(self) -> Money | None:
        return money(self.subtotal, self.currency)

    @strawberry.field(name="shippingCost", description=f"Shipping; {_COST_NOTE}", extensions=COSTS)
    def shipping_money(self) -> Money | None:
        return money(self.shipping_cost, self.currency)

    @strawberry.field(name="taxAmount", description=f"Tax; {_COST_NOTE}", extensions=COSTS)
    def tax_money(self) -> Money | None:
        return money(self.tax_amount, self.currency)

    @strawberry.field(
        name="total", description=f"subtotal + shipping + tax; {_COST_NOTE}", extensions=COSTS
    )
    def total_money(self) -> Money | None:
        return money(self.total, self.currency)

    @strawberry.field(description="Open (submitted to partially received) and past expectedAt.")
    def is_overdue(self) -> bool:
        return is_overdue(PurchaseOrderStatus(self.status), self.expected_at, datetime.now(UTC))

    supplier = to_one(Supplier, "supplier_id", description="The supplier.", required=True)
    lines = children(
        PurchaseOrderLine,
        "purchase_order_id",
        description="Its lines, in order.",
        order=_BY_POSITION,
    )
    payments = children(
        PurchaseOrderPayment,
        "purchase_order_id",
        description=f"Its payments, oldest first; {_COST_NOTE}",
        order=_BY_PAID_AT,
        nullable=True,
    )

    lots = children(Lot, "purchase_order_id", description="Lots received on it.", order=_BY_NUMBER)
    # Issue 27 item 5: the 3PL shipment its goods arrive on (made when it is submitted).
    inbound_shipments = children(
        Lazy("InboundShipment", "schema.fulfillment.inbound_types"),
        "source_purchase_order_id",
        description="Its 3PL inbound shipments (made at submit, received with it); null with "
        "FORBIDDEN for viewers who may not read inbound.",
        order=(SortKey("created_at"),),
        nullable=True,
    )

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def status_history(self, info: Info[Any, Any]) -> list[StatusChange]:
        return await status_history(info, self.pk)

    @strawberry.field(description=ALLOWED_DESCRIPTION)
    def allowed_transitions(self, info: Info[Any, Any]) -> list[PurchaseOrderStatus]:
        return allowed_transitions(
            info, PURCHASE_ORDER_WORKFLOW, PurchaseOrderStatus(self.status), None
        )


@strawberry.type(description="One entry of the audit log: who did what to which record, when.")
class AuditEntry(Node):
    pk: strawberry.Private[uuid.UUID]
    occurred_at: datetime = strawberry.field(description="When (UTC).")
    action: str = strawberry.field(description="created, updated, status_changed, ...")
    entity_type: str = strawberry.field(description='The record\'s type, e.g. "PurchaseOrder".')
    actor_id: str | None = strawberry.field(description="Who (token subject or key id).")
    actor_type: str = strawberry.field(description="user, api_key or system.")
    actor_role: str | None = strawberry.field(description="The role they acted with.")
    field_name: str | None = strawberry.field(description="The one field changed, if one.")
    old_value: str | None = strawberry.field(description="Its value before.")
    new_value: str | None = strawberry.field(description="Its value after.")
    request_id: str | None = strawberry.field(description="The request it was part of.")
    entity_id: strawberry.Private[uuid.UUID]
    changes: strawberry.Private[dict[str, Any] | None]
    context: strawberry.Private[dict[str, Any] | None]

    @strawberry.field(description="The record's global ID.")
    def record_id(self) -> strawberry.ID:
        return strawberry.ID(encode_id(self.entity_type, self.entity_id))

    @strawberry.field(
        name="changes",
        description="{before, after, changedFields}: only the fields that changed (secrets as "
        "a redacted digest).",
    )
    def changes_json(self) -> JSON | None:
        return None if self.changes is None else JSON(self.changes)

    @strawberry.field(
        name="context", description="What else the writer recorded (a reason, a cascade)."
    )
    def context_json(self) -> JSON | None:
        return None if self.context is None else JSON(self.context)


@strawberry.type(
    description="What needs a buyer's attention (issue 27 item 10); each figure is one SQL "
    "statement whatever the size of the data."
)
class ProcurementDashboard:
    now: datetime = strawberry.field(description="The moment 'overdue' is measured against.")

    @strawberry.field(description="Open purchase orders and how many are overdue.")
    async def purchase_orders(self, info: Info[Any, Any]) -> DashboardOrders:
        figures = await dashboard.order_figures(request_context(info).reader, self.now)
        return DashboardOrders(
            open=figures.open,
            overdue=figures.open_overdue,
            in_transit=figures.in_transit,
            in_transit_overdue=figures.in_transit_overdue,
        )

    @strawberry.field(description="Lots received and not yet through QC (pending, quarantined).")
    async def lots_awaiting_qc(self, info: Info[Any, Any]) -> int:
        return await dashboard.lots_awaiting_qc(request_context(info).reader)

    @strawberry.field(
        description="Inventory levels whose available units are below their reorder point."
    )
    async def low_stock_levels(self, info: Info[Any, Any]) -> int:
        return await dashboard.low_stock_levels(request_context(info).reader)


@strawberry.type(description="Open purchase orders on the dashboard.")
class DashboardOrders:
    open: int = strawberry.field(description="Submitted to partially received.")
    overdue: int = strawberry.field(description="Of those, past their expected date.")
    in_transit: int = strawberry.field(description="Shipped or partially shipped.")
    in_transit_overdue: int = strawberry.field(description="Of those, past their expected date.")
