"""Catalog: product families, their manufacturers, categories, products, variants (SPEC §1.1),
and the manufacturers themselves (SPEC §1.2).

Manufacturer profile: the fields catalog and routing need. Credit limit, balance and standing
feed routing (BR-24); payables arrive with finance. Bank account, routing and tax IDs are
encrypted at rest (db.encryption): their columns are named `*_encrypted` and hold Fernet
tokens, while the attributes (and Core rows of the table) hold the clear text.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    ColumnElement,
    ForeignKey,
    FromClause,
    Integer,
    Join,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity, JSONValue, SoftDeletable
from db.columns import amount_column, enum_column
from db.encryption import EncryptedString
from domain.bounds import AMOUNT, LARGE_AMOUNT, PERCENT
from domain.catalog import CAS_NUMBER_LENGTH, STORAGE_CONDITIONS_LENGTH, ProductForm
from domain.enums import (
    ManufacturerPaymentMethod,
    OnboardingStatus,
    PaymentStanding,
    PaymentTerms,
)


def _manufacturer_fk() -> Mapped[uuid.UUID | None]:
    return mapped_column(ForeignKey("manufacturers.id", ondelete="SET NULL"), index=True)


class ProductFamily(Entity):
    """Groups products that one set of manufacturers can make; the unit of routing."""

    __tablename__ = "product_families"

    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    default_manufacturer_id: Mapped[uuid.UUID | None] = _manufacturer_fk()
    backup_manufacturer_id: Mapped[uuid.UUID | None] = _manufacturer_fk()
    target_cost_min: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    target_cost_max: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    lead_time_days: Mapped[int] = mapped_column(Integer, default=21, server_default="21")
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    image_url: Mapped[str | None] = mapped_column(String(500))


class ProductFamilyManufacturer(Entity):
    """A manufacturer's assignment to a family: priority, capabilities and terms."""

    __tablename__ = "product_family_manufacturers"
    __table_args__ = (UniqueConstraint("product_family_id", "manufacturer_id"),)

    product_family_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_families.id", ondelete="CASCADE"), index=True
    )
    manufacturer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("manufacturers.id", ondelete="CASCADE"), index=True
    )
    priority: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    can_sublimate: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    can_embroider: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    can_screen_print: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    can_dtg: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    can_cut_sew: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    can_heat_transfer: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    moq: Mapped[int | None] = mapped_column(Integer)
    cost_per_unit: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    payment_terms: Mapped[PaymentTerms | None] = mapped_column(enum_column(PaymentTerms))
    notes: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class Category(SoftDeletable, Entity):
    __tablename__ = "categories"

    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    product_family_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("product_families.id", ondelete="SET NULL"), index=True
    )
    manufacturer_override_id: Mapped[uuid.UUID | None] = _manufacturer_fk()
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Product(SoftDeletable, Entity):
    __tablename__ = "products"

    name: Mapped[str] = mapped_column(String(200))
    # Short code used in lot numbers (SPEC §1.1 Rec, BR-39).
    code: Mapped[str | None] = mapped_column(String(10), unique=True)
    sku: Mapped[str | None] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    # The product's own family overrides its category's (SPEC BR-1).
    product_family_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("product_families.id", ondelete="SET NULL"), index=True
    )
    product_category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    manufacturer_override_id: Mapped[uuid.UUID | None] = _manufacturer_fk()
    # What one unit costs us to make: cost data (SPEC §4 sensitive fields).
    unit_cost: Mapped[Decimal | None] = mapped_column(amount_column(AMOUNT))
    # Label data (seed 002 §10.1), typed columns rather than free metadata: public catalog
    # data the vial labels print.
    cas_number: Mapped[str | None] = mapped_column(String(CAS_NUMBER_LENGTH))
    form: Mapped[ProductForm | None] = mapped_column(enum_column(ProductForm))
    storage_conditions: Mapped[str | None] = mapped_column(String(STORAGE_CONDITIONS_LENGTH))
    # GHS pictogram codes (GHS01..GHS09), de-duplicated and sorted; null or [] when none.
    ghs_pictograms: Mapped[list[str] | None] = mapped_column(JSONValue)


class Variant(SoftDeletable, Entity):
    __tablename__ = "variants"

    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    sku: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    size: Mapped[str | None] = mapped_column(String(20))
    colour: Mapped[str | None] = mapped_column(String(50))
    default_manufacturer_id: Mapped[uuid.UUID | None] = _manufacturer_fk()
    # Selling price per unit.
    price: Mapped[Decimal | None] = mapped_column(amount_column(LARGE_AMOUNT))


class Manufacturer(SoftDeletable, Entity):
    __tablename__ = "manufacturers"
    # Audit entries show only that these changed, never their values or ciphertext.
    __audit_redacted__: ClassVar[frozenset[str]] = frozenset(
        {"bank_account", "bank_routing", "tax_id"}
    )

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(255))
    # Location
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    region: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    timezone: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)
    # Contact
    primary_contact_whatsapp: Mapped[str | None] = mapped_column(String(32))
    secondary_email: Mapped[str | None] = mapped_column(String(255))
    secondary_phone: Mapped[str | None] = mapped_column(String(32))
    website: Mapped[str | None] = mapped_column(String(255))
    # Capabilities and certifications are code lists (SPEC §8 constants).
    capabilities: Mapped[list[str]] = mapped_column(JSONValue, default=list)
    certifications: Mapped[list[str]] = mapped_column(JSONValue, default=list)
    # Terms
    payment_terms: Mapped[PaymentTerms] = mapped_column(
        enum_column(PaymentTerms), default=PaymentTerms.NET30, server_default="NET30"
    )
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    # Operations
    avg_lead_time_days: Mapped[int | None] = mapped_column(Integer)
    max_concurrent_jobs: Mapped[int | None] = mapped_column(Integer)
    max_monthly_capacity: Mapped[int | None] = mapped_column(Integer)
    current_monthly_load: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    accepting_orders: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Credit (BR-24): what we owe the manufacturer against the limit it extends us.
    credit_limit: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("10000.00"), server_default="10000.00"
    )
    current_balance: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00"), server_default="0"
    )
    credit_hold_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    payment_standing: Mapped[PaymentStanding] = mapped_column(
        enum_column(PaymentStanding),
        default=PaymentStanding.GOOD,
        server_default=PaymentStanding.GOOD.value,
    )
    # Payables terms and the balances finance keeps current (SPEC §1.2 Rec, BR-25..BR-28):
    # finance recalculates them in the transaction of every approval, payment and void and
    # announces them (resolvers/events/manufacturers.py); catalog writes them here, where
    # routing's BR-24 check reads them.
    credit_balance: Mapped[Decimal] = mapped_column(
        amount_column(LARGE_AMOUNT), default=Decimal("0.00"), server_default="0"
    )
    payment_grace_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    early_payment_days: Mapped[int | None] = mapped_column(Integer)
    early_payment_discount: Mapped[Decimal | None] = mapped_column(amount_column(PERCENT))
    auto_invoice_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Banking and tax (SPEC §1.2; readable by admins and finance only, SPEC §4)
    bank_name: Mapped[str | None] = mapped_column(String(200))
    bank_account: Mapped[str | None] = mapped_column(
        "bank_account_encrypted", EncryptedString(), key="bank_account"
    )
    bank_routing: Mapped[str | None] = mapped_column(
        "bank_routing_encrypted", EncryptedString(), key="bank_routing"
    )
    tax_id: Mapped[str | None] = mapped_column("tax_id_encrypted", EncryptedString(), key="tax_id")
    preferred_payment_method: Mapped[ManufacturerPaymentMethod | None] = mapped_column(
        enum_column(ManufacturerPaymentMethod)
    )
    # Onboarding
    onboarding_status: Mapped[OnboardingStatus] = mapped_column(
        enum_column(OnboardingStatus),
        default=OnboardingStatus.PENDING,
        server_default=OnboardingStatus.PENDING.value,
    )


# -- a product's family (SPEC BR-1), as catalog lists, routing and order costs read it -------


def with_category(products: FromClause) -> Join:
    """`products` (a FROM holding the products table) with each product's category, when it
    has one: what `product_family_id` reads."""
    return products.outerjoin(Category.__table__, Category.id == Product.product_category_id)


def product_family_id() -> ColumnElement[uuid.UUID | None]:
    """A product's family: its own, else its category's (read over `with_category`)."""
    return func.coalesce(Product.product_family_id, Category.product_family_id)
