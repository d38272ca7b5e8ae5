"""Categories, products, variants and manufacturers: create, update, overrides."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from auth.permissions import Permission
from db.models import Category, Manufacturer, Product, ProductFamily, Variant
from domain import banking
from domain.bounds import LARGE_AMOUNT, LEAD_TIME_DAYS, PERCENT, TERMS_DAYS
from domain.catalog import (
    CAS_NUMBER_RULE,
    COUNTRY_CODE,
    COUNTRY_TIMEZONES,
    CURRENCY_CODE,
    PRODUCT_CODE,
    PRODUCT_CODE_RULE,
    STORAGE_CONDITIONS_LENGTH,
    is_cas_number,
)
from domain.validation import Checks
from resolvers import writes
from resolvers.catalog.families import ensure_takes_products
from resolvers.editing import Editable
from resolvers.lookup import get_for_update, resolve_references
from resolvers.owners import MANUFACTURER_PROFILE


async def _ensure_family_takes_products(
    session: AsyncSession, values: dict[str, Any], current: Product | None
) -> None:
    """A product joining a family (created in it, or moved to it) needs an active one."""
    family_id = values.get("product_family_id")
    if family_id is not None and (current is None or family_id != current.product_family_id):
        family = await session.get_one(ProductFamily, family_id)
        ensure_takes_products(family, "product_family_id")


# -- categories ------------------------------------------------------------------------------

_CATEGORY_REFERENCES = {
    "product_family_id": ProductFamily,
    "manufacturer_override_id": Manufacturer,
}


def _check_category(values: dict[str, Any], current: Category | None) -> None:
    checks = Checks()
    checks.required_text(values, "name", max_length=100, creating=current is None)
    checks.not_null(values, ("sort_order",))
    checks.raise_if_any()


CATEGORIES = Editable(Category, _check_category, references=_CATEGORY_REFERENCES)
create_category = CATEGORIES.create
update_category = CATEGORIES.update


# -- products --------------------------------------------------------------------------------

_PRODUCT_REFERENCES = {
    "product_family_id": ProductFamily,
    "product_category_id": Category,
    "manufacturer_override_id": Manufacturer,
}


def _check_product(values: dict[str, Any], current: Product | None) -> None:
    checks = Checks()
    checks.required_text(values, "name", max_length=200, creating=current is None)
    checks.pattern("code", values.get("code"), PRODUCT_CODE, PRODUCT_CODE_RULE)
    checks.text("sku", values.get("sku"), max_length=100, required=False)
    checks.money("unit_cost", values.get("unit_cost"))
    _check_label_data(checks, values)
    checks.raise_if_any()
    if values.get("ghs_pictograms") is not None:
        # Stored as their codes in a stable order.
        values["ghs_pictograms"] = sorted(p.value for p in values["ghs_pictograms"])


def _check_label_data(checks: Checks, values: dict[str, Any]) -> None:
    """Seed 002 §10.1's label fields: a CAS number with its check digit right, storage
    conditions short enough for a label, each GHS pictogram once."""
    cas = values.get("cas_number")
    if cas is not None and not is_cas_number(cas):
        checks.fail("cas_number", f"casNumber must match {CAS_NUMBER_RULE}")
    checks.text(
        "storage_conditions",
        values.get("storage_conditions"),
        max_length=STORAGE_CONDITIONS_LENGTH,
        required=False,
    )
    pictograms = values.get("ghs_pictograms") or []
    if len(set(pictograms)) != len(pictograms):
        checks.fail("ghs_pictograms", "ghsPictograms must list each pictogram once")


PRODUCTS = Editable(
    Product,
    _check_product,
    unique=("code", "sku"),
    references=_PRODUCT_REFERENCES,
    verify=_ensure_family_takes_products,
)
create_product = PRODUCTS.create
update_product = PRODUCTS.update


async def set_product_override(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    manufacturer_global_id: str | None,
    reason: str | None,
    expected_version: int | None,
) -> Product:
    """Set (or, with None, clear) the manufacturer every order of this product routes to."""
    product = await get_for_update(session, Product, global_id, "productId")
    values: dict[str, Any] = {"manufacturer_id": manufacturer_global_id}
    await resolve_references(session, values, {"manufacturer_id": Manufacturer})
    context = {"reason": reason} if reason else None
    return await writes.update(
        session,
        actor,
        product,
        {"manufacturer_override_id": values["manufacturer_id"]},
        expected_version=expected_version,
        context=context,
    )


# -- variants --------------------------------------------------------------------------------

_VARIANT_REFERENCES = {"product_id": Product, "default_manufacturer_id": Manufacturer}


def _check_variant(values: dict[str, Any], current: Variant | None) -> None:
    checks = Checks()
    checks.required_text(values, "sku", max_length=100, creating=current is None)
    checks.required_text(values, "title", max_length=200, creating=current is None)
    checks.text("size", values.get("size"), max_length=20, required=False)
    checks.text("colour", values.get("colour"), max_length=50, required=False)
    checks.money("price", values.get("price"), kind=LARGE_AMOUNT)
    checks.raise_if_any()


VARIANTS = Editable(Variant, _check_variant, unique=("sku",), references=_VARIANT_REFERENCES)
create_variant = VARIANTS.create
update_variant = VARIANTS.update


# -- manufacturers ---------------------------------------------------------------------------


def _check_manufacturer(values: dict[str, Any], current: Manufacturer | None) -> None:
    banking.normalise(values)
    checks = Checks()
    checks.required_text(values, "name", max_length=200, creating=current is None)
    for field in ("email", "secondary_email"):
        checks.email(field, values.get(field))
    checks.url("website", values.get("website"))
    checks.pattern("country", values.get("country"), COUNTRY_CODE, "an ISO 3166-1 alpha-2 code")
    checks.pattern("currency", values.get("currency"), CURRENCY_CODE, "an ISO 4217 code")
    checks.timezone("timezone", values.get("timezone"))
    checks.within("avg_lead_time_days", values.get("avg_lead_time_days"), LEAD_TIME_DAYS)
    for field in ("max_concurrent_jobs", "max_monthly_capacity"):
        checks.positive(field, values.get(field))
    # Credit (BR-24): NUMERIC(12, 2) amounts; a balance may not be negative (overpayments
    # are a separate credit balance, SPEC §9 #8).
    for field in ("credit_limit", "current_balance"):
        checks.money(field, values.get(field), kind=LARGE_AMOUNT)
    # Payables terms (BR-27, §9 #7): days within a year; a discount is a percentage.
    for field in ("payment_grace_days", "early_payment_days"):
        checks.within(field, values.get(field), TERMS_DAYS)
    checks.money("early_payment_discount", values.get("early_payment_discount"), kind=PERCENT)
    if (values.get("early_payment_discount") or 0) > 100:
        checks.fail("early_payment_discount", "earlyPaymentDiscount must be at most 100")
    banking.check(checks, values)
    checks.not_null(
        values,
        (
            "payment_grace_days",
            "auto_invoice_enabled",
            "payment_terms",
            "currency",
            "accepting_orders",
            "onboarding_status",
            "capabilities",
            "certifications",
            "credit_limit",
            "current_balance",
            "credit_hold_enabled",
            "payment_standing",
        ),
    )
    checks.raise_if_any()
    _normalise_manufacturer(values)


def _normalise_manufacturer(values: dict[str, Any]) -> None:
    for field in ("capabilities", "certifications"):
        if values.get(field) is not None:
            # Stored as their codes, de-duplicated, in a stable order.
            values[field] = sorted({item.value for item in values[field]})
    if values.get("country") and not values.get("timezone"):
        default = COUNTRY_TIMEZONES.get(values["country"])
        if default:
            values["timezone"] = default


MANUFACTURERS = Editable(Manufacturer, _check_manufacturer)
create_manufacturer = MANUFACTURERS.create
update_manufacturer = MANUFACTURERS.update


def _check_capabilities(values: dict[str, Any], current: Manufacturer | None) -> None:
    checks = Checks()
    checks.not_null(values, ("capabilities", "certifications"))
    checks.raise_if_any()


# A manufacturer's capabilities and certifications: admins for any manufacturer, a
# manufacturer user for its own (SPEC §4 "Update own capabilities").
CAPABILITIES = Editable(
    Manufacturer,
    _check_capabilities,
    owner=(Permission.UPDATE_CAPABILITIES, MANUFACTURER_PROFILE),
)
update_capabilities = CAPABILITIES.update
