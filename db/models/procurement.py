"""Procurement (SPEC §1.6): suppliers, their price lists, purchase orders with their lines and
payments.

The supplier's tax ID is encrypted at rest like a manufacturer's (db.encryption): the column
is `tax_id_encrypted`, the attribute holds the clear text. Crypto amounts and rates are kept as
the decimal strings they were given (domain.procurement.DECIMAL_STRING), never as floats.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity, SoftDeletable
from db.columns import amount_column, enum_column
from db.encryption import EncryptedString
from domain.bounds import AMOUNT, LARGE_AMOUNT
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
)


class Supplier(SoftDeletable, Entity):
    __tablename__ = "suppliers"
    __audit_redacted__ = frozenset({"tax_id"})

    name: Mapped[str] = mapped_column(String(200))
    # 2-4 capital letters; part of every lot number (BR-39), so it never changes once used.
    code: Mapped[str] = mapped_column(String(4), unique=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(255))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    website: Mapped[str | None] = mapped_column(String(255))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="US", server_default="US")
    payment_terms: Mapped[str | None] = mapped_column(String(50))  # "Net 30", "Prepaid", "COD"
    default_lead_time_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    default_currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    account_number: Mapped[str | None] = mapped_column(String(64))
    tax_id: Mapped[str | None] = mapped_column("tax_id_encrypted", EncryptedString(), key="tax_id")
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[SupplierStatus] = mapped_column(
        enum_column(SupplierStatus),
        default=SupplierStatus.ACTIVE,
        server_default=SupplierStatus.ACTIVE.value,
        index=True,
    )
    status_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    status_changed_by: Mapped[str | None] = mapped_column(String(64))
    status_reason: Mapped[str | None] = mapped_column(Text)
    block_kind: Mapped[BlockKind | None] = mapped_column(enum_column(BlockKind))


class SupplierPriceList(SoftDeletable, Entity):
    """What a supplier charges for a product from `effective_date` (BR-43)."""

    __tablename__ = "supplier_price_lists"
    __table_args__ = (
        CheckConstraint("unit_cost >= 0", name="unit_cost_not_negative"),
        CheckConstraint("minimum_order_quantity > 0", name="moq_positive"),
        Index("ix_supplier_price_lists_supplier_product", "supplier_id", "product_id"),
    )

    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("suppliers.id", ondelete="RESTRICT"))
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    supplier_sku: Mapped[str | None] = mapped_column(String(100))
    unit_cost: Mapped[Decimal] = mapped_column(amount_column(AMOUNT))
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    unit_quantity: Mapped[str | None] = mapped_column(String(32))  # "1g", "5mg"
    minimum_order_quantity: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    effective_date: Mapped[datetime]
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # The mark a supplier's suspension leaves (SPEC §2.4 "keep, flag").
    supplier_hold: Mapped[SupplierHold | None] = mapped_column(enum_column(SupplierHold))


class PurchaseOrder(SoftDeletable, Entity):
    __tablename__ = "purchase_orders"

    # PO-YYYY-NNNN (BR-38), assigned at submit.
    po_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("suppliers.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[PurchaseOrderStatus] = mapped_column(
        enum_column(PurchaseOrderStatus),
        default=PurchaseOrderStatus.DRAFT,
        server_default=PurchaseOrderStatus.DRAFT.value,
        index=True,
    )
    status_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    ordered_at: Mapped[datetime | None] = mapped_column(default=None)
    expected_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    received_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    subtotal: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00"), server_default="0"
    )
    shipping_cost: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00"), server_default="0"
    )
    tax_amount: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00"), server_default="0"
    )
    total: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00"), server_default="0"
    )
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    # Kept equal to what the confirmed payments say (domain.procurement.payment_status),
    # written in the transaction that confirms one, so lists filter on it.
    payment_status: Mapped[PaymentStatus] = mapped_column(
        enum_column(PaymentStatus),
        default=PaymentStatus.UNPAID,
        server_default=PaymentStatus.UNPAID.value,
        index=True,
    )
    supplier_reference: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    # The mark a supplier's status change leaves (SPEC §2.4 "flag", "block + flag").
    supplier_hold: Mapped[SupplierHold | None] = mapped_column(enum_column(SupplierHold))
    supplier_hold_reason: Mapped[str | None] = mapped_column(Text)


class PurchaseOrderLine(Entity):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("quantity_ordered > 0", name="quantity_ordered_positive"),
        CheckConstraint("quantity_received >= 0", name="quantity_received_not_negative"),
        CheckConstraint("unit_cost >= 0", name="unit_cost_not_negative"),
    )

    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    variant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("variants.id", ondelete="RESTRICT"), index=True
    )
    # The price list the unit cost came from (BR-46: a price list used on a line stays).
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("supplier_price_lists.id", ondelete="RESTRICT"), index=True
    )
    quantity_ordered: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[Decimal] = mapped_column(amount_column(AMOUNT))
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    quantity_received: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    supplier_sku: Mapped[str | None] = mapped_column(String(100))


class PurchaseOrderPayment(Entity):
    """A payment to a supplier (SPEC §1.6): fiat, or crypto with its exact amounts."""

    __tablename__ = "purchase_order_payments"
    __table_args__ = (
        UniqueConstraint("purchase_order_id", "idempotency_key"),
        CheckConstraint("amount_usd > 0", name="amount_positive"),
    )

    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="RESTRICT"), index=True
    )
    idempotency_key: Mapped[str] = mapped_column(String(100))
    amount_usd: Mapped[Decimal] = mapped_column(amount_column(LARGE_AMOUNT))
    payment_method: Mapped[PoPaymentMethod] = mapped_column(enum_column(PoPaymentMethod))
    status: Mapped[PoPaymentStatus] = mapped_column(
        enum_column(PoPaymentStatus),
        default=PoPaymentStatus.PENDING,
        server_default=PoPaymentStatus.PENDING.value,
    )
    crypto_currency: Mapped[str | None] = mapped_column(String(10))
    crypto_amount: Mapped[str | None] = mapped_column(String(40))
    crypto_rate_usd: Mapped[str | None] = mapped_column(String(40))
    crypto_rate_source: Mapped[CryptoRateSource | None] = mapped_column(
        enum_column(CryptoRateSource)
    )
    crypto_rate_timestamp: Mapped[datetime | None] = mapped_column(default=None)
    crypto_tx_hash: Mapped[str | None] = mapped_column(String(128))
    crypto_network: Mapped[CryptoNetwork | None] = mapped_column(enum_column(CryptoNetwork))
    crypto_from_address: Mapped[str | None] = mapped_column(String(128))
    crypto_to_address: Mapped[str | None] = mapped_column(String(128))
    crypto_confirmations: Mapped[int | None] = mapped_column(Integer)
    crypto_fee: Mapped[str | None] = mapped_column(String(40))
    crypto_fee_usd: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    fiat_reference: Mapped[str | None] = mapped_column(String(100))
    fiat_bank: Mapped[str | None] = mapped_column(String(200))
    paid_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    failed_at: Mapped[datetime | None] = mapped_column(default=None)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(64))


class Lot(Entity):
    """A received quantity of one PO line with its own number (SPEC §1.7, BR-39, BR-41): a
    regulatory record, never deleted. `received_quantity` is what arrived (audit only: stock
    lives in the 3PL's inventory levels, keyed by lot)."""

    __tablename__ = "lots"
    __table_args__ = (
        CheckConstraint("received_quantity > 0", name="received_positive"),
        CheckConstraint(
            "expiration_date IS NULL OR manufacture_date IS NULL "
            "OR expiration_date > manufacture_date",
            name="expires_after_made",
        ),
    )

    lot_number: Mapped[str] = mapped_column(String(40), unique=True)
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("variants.id", ondelete="RESTRICT"), index=True
    )
    supplier_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("suppliers.id", ondelete="RESTRICT"), index=True
    )
    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="RESTRICT"), index=True
    )
    po_line_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_order_lines.id", ondelete="RESTRICT"), index=True
    )
    # The 3PL inbound shipment it arrived on (issue 27 item 5; null for lots received without
    # one). A kind of the 3PL's, referenced by id like a shipment's source: no foreign key.
    inbound_shipment_id: Mapped[uuid.UUID | None] = mapped_column(default=None, index=True)
    supplier_lot_number: Mapped[str | None] = mapped_column(String(100))
    manufacture_date: Mapped[date | None] = mapped_column(Date, default=None)
    expiration_date: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    received_quantity: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime]
    received_by: Mapped[str | None] = mapped_column(String(64))
    package_condition: Mapped[PackageCondition | None] = mapped_column(
        enum_column(PackageCondition)
    )
    # Degrees Celsius on arrival.
    temperature_on_arrival: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    status: Mapped[LotStatus] = mapped_column(
        enum_column(LotStatus),
        default=LotStatus.PENDING,
        server_default=LotStatus.PENDING.value,
        index=True,
    )
    status_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    status_reason: Mapped[str | None] = mapped_column(Text)
    # The mark a supplier's suspension leaves (SPEC §2.4 "Lots: flag").
    supplier_hold: Mapped[SupplierHold | None] = mapped_column(enum_column(SupplierHold))
