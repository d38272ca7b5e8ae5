"""Manufacturer profile: the fields catalog and routing need (SPEC §1.2).

Finance (credit, balance, standing) and banking fields arrive with their own issues.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Entity, JSONValue, SoftDeletable
from db.columns import enum_column
from domain.enums import OnboardingStatus, PaymentTerms


class Manufacturer(SoftDeletable, Entity):
    __tablename__ = "manufacturers"

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
    # Onboarding
    onboarding_status: Mapped[OnboardingStatus] = mapped_column(
        enum_column(OnboardingStatus),
        default=OnboardingStatus.PENDING,
        server_default=OnboardingStatus.PENDING.value,
    )
