"""Catalog object types. Fields read what the row holds; relations go through loaders."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from domain.catalog import GhsPictogram, ProductForm
from domain.enums import (
    Capability,
    Certification,
    ManufacturerPaymentMethod,
    OnboardingStatus,
    PaymentStanding,
    PaymentTerms,
)
from domain.routing import ManufacturerSource, available_credit
from resolvers.catalog import sources
from resolvers.catalog.resolution import resolve_manufacturer
from resolvers.pagination import SortKey
from schema.catalog import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.catalog.bank_details import BankDetails
from schema.catalog.lists import CATEGORIES, PRODUCTS
from schema.context import request_context
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.enums import graphql_enum
from schema.execution.relations import Lazy, children, to_one
from schema.money import Money, money
from schema.node import Node, expose
from schema.permissions import requires

_BY_PRIORITY = (SortKey("priority"),)

graphql_enum(
    PaymentStanding,
    "How current our payments to a manufacturer are (SPEC §2.14).",
    {
        PaymentStanding.GOOD: "Paid on time or within the grace days.",
        PaymentStanding.WARNING: "1-30 days past due.",
        PaymentStanding.DELINQUENT: "31 days or more past due: blocks routing of new jobs.",
    },
)


@strawberry.type(
    description="A group of products one set of manufacturers can make; the unit of routing."
)
class ProductFamily(Node):
    pk: strawberry.Private[uuid.UUID]
    code: str = strawberry.field(description="Unique code, upper case: ^[A-Z][A-Z0-9_]*$.")
    name: str = strawberry.field(description="Display name.")
    description: str | None = strawberry.field(description="Longer description.")
    lead_time_days: int = strawberry.field(description="Days from order to ship.")
    sort_order: int = strawberry.field(description="Position in lists; lower first.")
    is_active: bool = strawberry.field(description="Inactive families take no new products.")
    image_url: str | None = strawberry.field(description="Image shown for the family.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    default_manufacturer_id: strawberry.Private[uuid.UUID | None]
    backup_manufacturer_id: strawberry.Private[uuid.UUID | None]
    target_cost_min: strawberry.Private[Decimal | None]
    target_cost_max: strawberry.Private[Decimal | None]

    @strawberry.field(
        name="targetCostMin",
        description="Lowest target unit cost (family pricing: cost data).",
        extensions=requires(Permission.VIEW_COSTS),
    )
    def target_cost_min_money(self) -> Money | None:
        return money(self.target_cost_min)

    @strawberry.field(
        name="targetCostMax",
        description="Highest target unit cost (family pricing: cost data).",
        extensions=requires(Permission.VIEW_COSTS),
    )
    def target_cost_max_money(self) -> Money | None:
        return money(self.target_cost_max)

    default_manufacturer = to_one(
        Lazy("Manufacturer", __name__),
        "default_manufacturer_id",
        description="The manufacturer new orders of this family route to first.",
    )

    backup_manufacturer = to_one(
        Lazy("Manufacturer", __name__),
        "backup_manufacturer_id",
        description="The fallback manufacturer when the default is unavailable.",
    )

    manufacturers = children(
        Lazy("ProductFamilyManufacturer", __name__),
        "product_family_id",
        description="Manufacturers assigned to this family, by priority.",
        order=_BY_PRIORITY,
    )

    categories = CATEGORIES.field(
        "Categories of this family.",
        parent="product_family_id",
        filter_description="Only matching categories.",
    )

    products = PRODUCTS.field(
        "Products of this family: their own family, else their category's.",
        parent="effective_family_id",
        filter_description="Only matching products.",
    )


@strawberry.type(
    description="A manufacturer's assignment to a product family: priority, capabilities, terms."
)
class ProductFamilyManufacturer(Node):
    pk: strawberry.Private[uuid.UUID]
    priority: int = strawberry.field(description="1 is the primary; lower wins.")
    can_sublimate: bool = strawberry.field(description="Can sublimate for this family.")
    can_embroider: bool = strawberry.field(description="Can embroider for this family.")
    can_screen_print: bool = strawberry.field(description="Can screen print for this family.")
    can_dtg: bool = strawberry.field(description="Can print DTG for this family.")
    can_cut_sew: bool = strawberry.field(description="Can cut and sew for this family.")
    can_heat_transfer: bool = strawberry.field(description="Can heat-transfer for this family.")
    moq: int | None = strawberry.field(description="Minimum order quantity.")
    lead_time_days: int | None = strawberry.field(description="Lead time for this family, in days.")
    payment_terms: PaymentTerms | None = strawberry.field(
        description="Terms for this family.", extensions=requires(Permission.VIEW_PAYMENT_TERMS)
    )
    notes: str | None = strawberry.field(description="Internal notes.")
    is_active: bool = strawberry.field(description="Inactive assignments are skipped by routing.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    product_family_id: strawberry.Private[uuid.UUID]
    manufacturer_id: strawberry.Private[uuid.UUID]
    cost_per_unit: strawberry.Private[Decimal | None]

    @strawberry.field(
        name="costPerUnit",
        description="What one unit of this family costs us here (cost data).",
        extensions=requires(Permission.VIEW_COSTS),
    )
    def cost_per_unit_money(self) -> Money | None:
        return money(self.cost_per_unit)

    family = to_one(ProductFamily, "product_family_id", description="The family.", required=True)

    manufacturer = to_one(
        Lazy("Manufacturer", __name__),
        "manufacturer_id",
        description="The manufacturer (null if it has been deleted).",
    )


@strawberry.type(description="A category of products, optionally tied to a family.")
class Category(Node):
    pk: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="Display name.")
    description: str | None = strawberry.field(description="Longer description.")
    sort_order: int = strawberry.field(description="Position in lists; lower first.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    product_family_id: strawberry.Private[uuid.UUID | None]
    manufacturer_override_id: strawberry.Private[uuid.UUID | None]

    family = to_one(
        ProductFamily,
        "product_family_id",
        description="The family its products belong to unless they name their own.",
    )

    manufacturer_override = to_one(
        Lazy("Manufacturer", __name__),
        "manufacturer_override_id",
        description="Manufacturer that overrides the family default for this category.",
    )

    products = PRODUCTS.field(
        "Products in this category.",
        parent="product_category_id",
        filter_description="Only matching products.",
    )


@strawberry.type(description="Where a product's (or variant's) jobs route by the cascade.")
class ManufacturerResolution:
    source: ManufacturerSource = strawberry.field(description="The cascade level it came from.")
    row: strawberry.Private[Any]

    @strawberry.field(description="The resolved manufacturer; null when the product is unassigned.")
    def manufacturer(self, info: Info[Any, Any]) -> Manufacturer | None:
        return expose(info, Manufacturer, self.row)


async def _resolution(
    info: Info[Any, Any], product: Any, variant: Any | None
) -> ManufacturerResolution:
    resolution = await resolve_manufacturer(request_context(info).loaders, product, variant)
    return ManufacturerResolution(source=resolution.source, row=resolution.manufacturer)


@strawberry.type(description="A sellable product; its variants carry size, colour and SKU.")
class Product(Node):
    pk: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="Display name.")
    code: str | None = strawberry.field(description="Short code used in lot numbers, e.g. BPC157.")
    sku: str | None = strawberry.field(description="Stock keeping unit.")
    description: str | None = strawberry.field(description="Longer description.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    product_family_id: strawberry.Private[uuid.UUID | None]
    effective_family_id: strawberry.Private[uuid.UUID | None]
    product_category_id: strawberry.Private[uuid.UUID | None]
    manufacturer_override_id: strawberry.Private[uuid.UUID | None]
    unit_cost: strawberry.Private[Decimal | None]
    # Label data (seed 002 §10.1): public catalog data, as its name and description.
    cas_number: str | None = strawberry.field(description="CAS Registry Number, check digit valid.")
    form: ProductForm | None = strawberry.field(description="Its physical form.")
    storage_conditions: str | None = strawberry.field(
        description='How to store it, e.g. "-20 °C, desiccated, protect from light".'
    )
    ghs_pictograms: strawberry.Private[list[str] | None]

    @strawberry.field(
        name="ghsPictograms", description="Its GHS hazard pictograms; [] when it has none."
    )
    def ghs_pictogram_list(self) -> list[GhsPictogram]:
        return [GhsPictogram(code) for code in self.ghs_pictograms or []]

    @strawberry.field(
        name="unitCost",
        description="What one unit costs us to make (cost data).",
        extensions=requires(Permission.VIEW_COSTS),
    )
    def unit_cost_money(self) -> Money | None:
        return money(self.unit_cost)

    family = to_one(
        ProductFamily,
        "effective_family_id",
        description="Its own family if set, else its category's family.",
    )

    @strawberry.field(
        description="True when the product names its own family (overriding its category's)."
    )
    def has_own_family(self) -> bool:
        return self.product_family_id is not None

    category = to_one(Category, "product_category_id", description="The product's category.")

    manufacturer_override = to_one(
        Lazy("Manufacturer", __name__),
        "manufacturer_override_id",
        description="Manufacturer that overrides the family and category for this product.",
    )

    variants = children(
        Lazy("Variant", __name__),
        "product_id",
        description="The product's variants, by SKU.",
        order=(SortKey("sku"),),
    )

    @strawberry.field(
        description="The manufacturer the routing cascade (SPEC BR-1) picks for this product, "
        "before availability checks, with the level it came from."
    )
    async def resolved_manufacturer(self, info: Info[Any, Any]) -> ManufacturerResolution:
        return await _resolution(info, self, None)


@strawberry.type(description="A sellable variant of a product: one size and colour.")
class Variant(Node):
    pk: strawberry.Private[uuid.UUID]
    sku: str = strawberry.field(description="Unique stock keeping unit.")
    title: str = strawberry.field(description='Display title, e.g. "Singlet - M / Black".')
    size: str | None = strawberry.field(description='Size, e.g. "M".')
    colour: str | None = strawberry.field(description="Colour.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    product_id: strawberry.Private[uuid.UUID]
    default_manufacturer_id: strawberry.Private[uuid.UUID | None]
    price: strawberry.Private[Decimal | None]

    @strawberry.field(name="price", description="Selling price per unit.")
    def price_money(self) -> Money | None:
        return money(self.price)

    product = to_one(
        Product, "product_id", description="The product this is a variant of.", required=True
    )

    default_manufacturer = to_one(
        Lazy("Manufacturer", __name__),
        "default_manufacturer_id",
        description="The variant's own default manufacturer (top of the cascade).",
    )

    @strawberry.field(
        description="The manufacturer the routing cascade picks for this variant, with its level."
    )
    async def resolved_manufacturer(self, info: Info[Any, Any]) -> ManufacturerResolution:
        product = await request_context(info).loaders.by_id(sources.PRODUCTS).load(self.product_id)
        return await _resolution(info, product, self)


@strawberry.type(description="A factory that makes our products.")
class Manufacturer(Node):
    pk: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="Company name.")
    email: str | None = strawberry.field(description="Primary email.")
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2 country code.")
    region: str | None = strawberry.field(description="Region or state.")
    city: str | None = strawberry.field(description="City.")
    timezone: str | None = strawberry.field(description="IANA timezone, e.g. Asia/Karachi.")
    address: str | None = strawberry.field(description="Postal address.")
    primary_contact_whatsapp: str | None = strawberry.field(description="WhatsApp number.")
    secondary_email: str | None = strawberry.field(description="Secondary email.")
    secondary_phone: str | None = strawberry.field(description="Secondary phone.")
    website: str | None = strawberry.field(description="Website URL.")
    payment_terms: PaymentTerms | None = strawberry.field(
        description="Default payment terms.", extensions=requires(Permission.VIEW_PAYMENT_TERMS)
    )
    currency: str = strawberry.field(description="ISO 4217 currency of its prices.")
    avg_lead_time_days: int | None = strawberry.field(description="Typical lead time, in days.")
    max_concurrent_jobs: int | None = strawberry.field(
        description="Capacity: how many jobs it can run at once."
    )
    max_monthly_capacity: int | None = strawberry.field(description="Units it can make a month.")
    current_monthly_load: int = strawberry.field(description="Units booked this month.")
    accepting_orders: bool = strawberry.field(description="Whether it takes new jobs now.")
    onboarding_status: OnboardingStatus = strawberry.field(description="Onboarding stage.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    capabilities: strawberry.Private[list[str]]
    certifications: strawberry.Private[list[str]]
    # Clear text (decrypted by the column type); only `bankDetails` shows them.
    bank_name: strawberry.Private[str | None]
    bank_account: strawberry.Private[str | None]
    bank_routing: strawberry.Private[str | None]
    tax_id: strawberry.Private[str | None]
    preferred_payment_method: strawberry.Private[ManufacturerPaymentMethod | None]
    # Credit (BR-24): money amounts behind VIEW_PAYMENT_TERMS, like the terms.
    credit_limit: strawberry.Private[Decimal]
    current_balance: strawberry.Private[Decimal]
    credit_hold_enabled: bool = strawberry.field(
        description="When true, a job that would exceed the credit limit is not routed here "
        "(CREDIT_LIMIT_EXCEEDED); when false it is routed with a warning (BR-24)."
    )
    payment_standing: PaymentStanding = strawberry.field(
        description="How current our payments are; DELINQUENT blocks routing (BR-2)."
    )
    credit_balance: strawberry.Private[Decimal]
    payment_grace_days: int = strawberry.field(
        description="Days after an invoice's due date before our payment counts as late."
    )
    early_payment_days: int | None = strawberry.field(
        description="Paid within this many days of the invoice date, the early-payment "
        "discount applies (BR-27)."
    )
    early_payment_discount: Decimal | None = strawberry.field(
        description="The early-payment discount, in percent (BR-27).",
        extensions=requires(Permission.VIEW_PAYMENT_TERMS),
    )
    auto_invoice_enabled: bool = strawberry.field(
        description="Its jobs are invoiced automatically when they ship (BR-26)."
    )

    @strawberry.field(
        name="creditBalance",
        description="What we paid it beyond its invoices, less what was refunded "
        "(refundCredit): credit used by its next invoices (BR-29, SPEC §9 #8); null "
        "(FORBIDDEN) for viewers who may not see payment terms.",
        extensions=requires(Permission.VIEW_PAYMENT_TERMS),
    )
    def credit_balance_money(self) -> Money | None:
        return money(self.credit_balance, self.currency)

    @strawberry.field(
        name="creditLimit",
        description="How much we may owe it (BR-24); null (FORBIDDEN) for viewers who may "
        "not see payment terms.",
        extensions=requires(Permission.VIEW_PAYMENT_TERMS),
    )
    def credit_limit_money(self) -> Money | None:
        return money(self.credit_limit, self.currency)

    @strawberry.field(
        name="currentBalance",
        description="What we owe it now (BR-24); null (FORBIDDEN) for viewers who may not "
        "see payment terms.",
        extensions=requires(Permission.VIEW_PAYMENT_TERMS),
    )
    def current_balance_money(self) -> Money | None:
        return money(self.current_balance, self.currency)

    @strawberry.field(
        description="creditLimit - currentBalance (BR-24; negative when over the limit); "
        "null (FORBIDDEN) for viewers who may not see payment terms.",
        extensions=requires(Permission.VIEW_PAYMENT_TERMS),
    )
    def available_credit(self) -> Money | None:
        return money(available_credit(self.credit_limit, self.current_balance), self.currency)

    @strawberry.field(name="capabilities", description="What it can do.")
    def capability_list(self) -> list[Capability]:
        return [Capability(c) for c in self.capabilities]

    @strawberry.field(name="certifications", description="Certifications it holds.")
    def certification_list(self) -> list[Certification]:
        return [Certification(c) for c in self.certifications]

    @strawberry.field(
        description="Bank and tax details, masked unless revealed; null (FORBIDDEN) for "
        "viewers other than admins and finance.",
        extensions=requires(Permission.VIEW_BANK_DETAILS),
    )
    def bank_details(self) -> BankDetails | None:
        return BankDetails(
            manufacturer_pk=self.pk,
            bank_name=self.bank_name,
            preferred_payment_method=self.preferred_payment_method,
            clear={
                "bank_account": self.bank_account,
                "bank_routing": self.bank_routing,
                "tax_id": self.tax_id,
            },
        )

    families = children(
        ProductFamilyManufacturer,
        "manufacturer_id",
        description="Its family assignments, with priority, capabilities and terms; "
        "null (FORBIDDEN) for viewers who may not see families.",
        order=_BY_PRIORITY,
        nullable=True,
    )
