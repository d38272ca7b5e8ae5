"""Catalog enums exposed in the graph, documented value by value."""

from __future__ import annotations

from domain.catalog import GhsPictogram, ProductForm
from domain.enums import (
    Capability,
    Certification,
    ManufacturerPaymentMethod,
    OnboardingStatus,
    PaymentTerms,
)
from domain.routing import ManufacturerSource
from schema.enums import graphql_enum

graphql_enum(
    PaymentTerms,
    "Payment terms agreed with a manufacturer.",
    {
        PaymentTerms.NET30: "Pay within 30 days of the invoice.",
        PaymentTerms.NET60: "Pay within 60 days of the invoice.",
        PaymentTerms.FIFTY_FIFTY: "50% deposit up front, the balance on delivery.",
        PaymentTerms.THIRTY_SEVENTY: "30% deposit up front, the balance on delivery.",
        PaymentTerms.COD: "Cash on delivery.",
        PaymentTerms.PREPAY: "Paid in full before production.",
    },
)

graphql_enum(
    ManufacturerPaymentMethod,
    "How a manufacturer prefers to be paid.",
    {
        ManufacturerPaymentMethod.WIRE: "International or domestic wire transfer.",
        ManufacturerPaymentMethod.ACH: "ACH bank transfer (US).",
        ManufacturerPaymentMethod.CHECK: "Paper check.",
        ManufacturerPaymentMethod.PAYPAL: "PayPal.",
        ManufacturerPaymentMethod.CREDIT_ON_ACCOUNT: "Credited against its account balance.",
    },
)

graphql_enum(
    OnboardingStatus,
    "Where a manufacturer is in onboarding; only APPROVED and ACTIVE receive jobs.",
    {
        OnboardingStatus.PENDING: "Invited or applied; nothing reviewed yet.",
        OnboardingStatus.DOCUMENTS_REQUIRED: "Waiting for documents from the manufacturer.",
        OnboardingStatus.IN_REVIEW: "Under review by our team.",
        OnboardingStatus.APPROVED: "Approved; may receive jobs.",
        OnboardingStatus.ACTIVE: "Active partner; receives jobs.",
        OnboardingStatus.SUSPENDED: "Temporarily receives no jobs.",
        OnboardingStatus.TERMINATED: "No longer a partner.",
    },
)

graphql_enum(
    Capability,
    "A production or decoration capability.",
    {
        Capability.SUBLIMATION: "Dye sublimation printing.",
        Capability.EMBROIDERY: "Embroidery.",
        Capability.SCREEN_PRINT: "Screen printing.",
        Capability.DTG: "Direct-to-garment printing.",
        Capability.CUT_SEW: "Cut and sew production.",
        Capability.HEAT_TRANSFER: "Heat transfer printing.",
        Capability.PUFF_PRINT: "Puff printing.",
        Capability.TIE_DYE: "Tie-dye.",
        Capability.WOVEN_LABELS: "Woven labels.",
        Capability.HANG_TAGS: "Hang tags.",
        Capability.CUSTOM_PACKAGING: "Custom packaging.",
    },
)

graphql_enum(
    Certification,
    "A certification a manufacturer holds.",
    {
        Certification.GOTS: "Global Organic Textile Standard.",
        Certification.OEKO_TEX: "OEKO-TEX Standard 100.",
        Certification.WRAP: "Worldwide Responsible Accredited Production.",
        Certification.BSCI: "amfori Business Social Compliance Initiative.",
        Certification.SEDEX: "Sedex members ethical trade audit.",
        Certification.ISO_9001: "ISO 9001 quality management.",
        Certification.ISO_14001: "ISO 14001 environmental management.",
        Certification.SA8000: "SA8000 social accountability.",
        Certification.FAIR_TRADE: "Fair Trade certified.",
        Certification.ORGANIC: "Organic certified.",
    },
)

graphql_enum(
    ManufacturerSource,
    "The level of the routing cascade (SPEC BR-1) a manufacturer was resolved from.",
    {
        ManufacturerSource.VARIANT_DEFAULT: "The variant's own default manufacturer.",
        ManufacturerSource.PRODUCT_OVERRIDE: "The product's manufacturer override.",
        ManufacturerSource.CATEGORY_OVERRIDE: "The category's manufacturer override.",
        ManufacturerSource.FAMILY_DEFAULT: "The product family's default manufacturer.",
        ManufacturerSource.FAMILY_ASSIGNMENT: "The family's highest-priority active assignment.",
        ManufacturerSource.UNASSIGNED: "No manufacturer: jobs wait for manual assignment.",
    },
)

graphql_enum(
    ProductForm,
    "The physical form a product ships in, as its vial label prints it.",
    {
        ProductForm.LYOPHILIZED_POWDER: "Freeze-dried powder, reconstituted before use.",
        ProductForm.POWDER: "Powder (not freeze-dried).",
        ProductForm.LIQUID: "A neat liquid.",
        ProductForm.SOLUTION: "Dissolved in a solvent.",
        ProductForm.TABLET: "Tablets.",
        ProductForm.CAPSULE: "Capsules.",
    },
)

graphql_enum(
    GhsPictogram,
    "A GHS hazard pictogram (OSHA 29 CFR 1910.1200); a bottle label draws each one.",
    {pictogram: f"{pictogram.value}: {pictogram.symbol}." for pictogram in GhsPictogram},
)
