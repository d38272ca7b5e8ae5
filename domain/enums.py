"""Enumerations defined once and used by the database, the graph and the rules."""

from __future__ import annotations

from enum import StrEnum


class PaymentTerms(StrEnum):
    """Payment terms agreed with a manufacturer (SPEC §1.1 PFM, BR-27)."""

    NET30 = "NET30"
    NET60 = "NET60"
    FIFTY_FIFTY = "50_50"
    THIRTY_SEVENTY = "30_70"
    COD = "COD"
    PREPAY = "PREPAY"


class ManufacturerPaymentMethod(StrEnum):
    """How a manufacturer prefers to be paid (SPEC §2.14)."""

    WIRE = "wire"
    ACH = "ach"
    CHECK = "check"
    PAYPAL = "paypal"
    CREDIT_ON_ACCOUNT = "credit_on_account"


class OnboardingStatus(StrEnum):
    """Where a manufacturer is in onboarding (SPEC §2.13)."""

    PENDING = "pending"
    DOCUMENTS_REQUIRED = "documents_required"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"

    @property
    def can_receive_jobs(self) -> bool:
        # SPEC BR-2 Rec: "active" means approved or active onboarding.
        return self in (OnboardingStatus.APPROVED, OnboardingStatus.ACTIVE)


class PaymentStanding(StrEnum):
    """How current our payments to a manufacturer are (SPEC §2.14, §9 #7)."""

    GOOD = "good"
    WARNING = "warning"
    DELINQUENT = "delinquent"


class Capability(StrEnum):
    """Decoration and production capabilities (SPEC §8 constants)."""

    SUBLIMATION = "sublimation"
    EMBROIDERY = "embroidery"
    SCREEN_PRINT = "screen_print"
    DTG = "dtg"
    CUT_SEW = "cut_sew"
    HEAT_TRANSFER = "heat_transfer"
    PUFF_PRINT = "puff_print"
    TIE_DYE = "tie_dye"
    WOVEN_LABELS = "woven_labels"
    HANG_TAGS = "hang_tags"
    CUSTOM_PACKAGING = "custom_packaging"


class Certification(StrEnum):
    """Certifications a manufacturer may hold (SPEC §8 constants)."""

    GOTS = "GOTS"
    OEKO_TEX = "OEKO_TEX"
    WRAP = "WRAP"
    BSCI = "BSCI"
    SEDEX = "SEDEX"
    ISO_9001 = "ISO_9001"
    ISO_14001 = "ISO_14001"
    SA8000 = "SA8000"
    FAIR_TRADE = "FAIR_TRADE"
    ORGANIC = "ORGANIC"


class AuditAction(StrEnum):
    """What an audit entry records (SPEC §1.10, merged)."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    SOFT_DELETED = "soft_deleted"
    DEACTIVATED = "deactivated"
    STATUS_CHANGED = "status_changed"
    REVOKED = "revoked"
    # A sensitive value (bank, tax) was read in clear (SPEC §7: encrypted-field reads logged).
    SENSITIVE_READ = "sensitive_read"
    VERIFIED = "verified"
    # Vial labels of a lot were printed (seed 002 §10: a GMP traceability step).
    LABELS_PRINTED = "labels_printed"


class ActorType(StrEnum):
    """Who performed an audited action."""

    USER = "user"
    API_KEY = "api_key"
    ANONYMOUS = "anonymous"
    SYSTEM = "system"
    SCHEDULED_JOB = "scheduled_job"


class ChangeType(StrEnum):
    """What a committed change did to its row (API.md "Realtime")."""

    INSERT = "INSERT"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
