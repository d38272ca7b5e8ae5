"""Manufacturer profile: the fields catalog and routing need (SPEC §1.2).

Credit limit, balance and standing feed routing (BR-24); payables arrive with finance.
Bank account, routing and tax IDs are encrypted at rest (db.encryption): their columns are
named `*_encrypted` and hold Fernet tokens, while the attributes (and Core rows of the table)
hold the clear text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity, JSONValue, SoftDeletable
from db.columns import amount_column, enum_column
from db.encryption import EncryptedString
from domain.bounds import LARGE_AMOUNT
from domain.enums import (
    ManufacturerPaymentMethod,
    OnboardingStatus,
    PaymentStanding,
    PaymentTerms,
)


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
