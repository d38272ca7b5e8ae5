"""Catalog mutations. Each runs in one transaction through `mutate` and reports
business-rule failures in `errors`; the rules themselves live in resolvers.catalog."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from auth.permissions import Permission
from domain import enums
from domain.catalog import GhsPictogram, ProductForm
from resolvers.catalog import families
from resolvers.catalog import rules as entities
from schema.catalog import types
from schema.errors import UserError
from schema.inputs import EXPECTED_VERSION, omittable, optional, reload
from schema.node import load_nodes
from schema.payloads import creating, mutation, node_mutation, returning, updating, user_errors

# -- product families --------------------------------------------------------------------------


@strawberry.input(description="Fields of a product family; omitted fields stay as they are.")
class ProductFamilyFields:
    description: str | None = omittable("Longer description.")
    default_manufacturer_id: strawberry.ID | None = omittable("Default manufacturer (BR-1).")
    backup_manufacturer_id: strawberry.ID | None = omittable("Backup manufacturer (BR-4).")
    target_cost_min: Decimal | None = omittable('Lowest target unit cost, e.g. "12.00".')
    target_cost_max: Decimal | None = omittable("Highest target unit cost.")
    lead_time_days: int | None = omittable("Days from order to ship (default 21).")
    sort_order: int | None = omittable("Position in lists (default 0).")
    is_active: bool | None = omittable("Inactive families take no new products (default true).")
    image_url: str | None = omittable("Image URL (http or https).")


@strawberry.input(description="A new product family.")
class CreateProductFamilyInput(ProductFamilyFields):
    code: str = strawberry.field(description="Unique code matching ^[A-Z][A-Z0-9_]*$.")
    name: str = strawberry.field(description="Display name.")


@strawberry.input(description="Changes to a product family.")
class UpdateProductFamilyInput(ProductFamilyFields):
    id: strawberry.ID = strawberry.field(description="The family.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    code: str | None = omittable("New unique code.")
    name: str | None = omittable("New name.")


@strawberry.input(description="Which family to deactivate.")
class DeactivateProductFamilyInput:
    id: strawberry.ID = strawberry.field(description="The family.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="Which family to delete for good.")
class DeleteProductFamilyInput:
    id: strawberry.ID = strawberry.field(description="The family; it must be unreferenced.")


@strawberry.type(description="The result of a mutation on a product family.")
class ProductFamilyPayload:
    product_family: types.ProductFamily | None = strawberry.field(
        description="The family as committed; null when `errors` is not empty."
    )
    errors: list[UserError] = user_errors()


@strawberry.type(description="The result of deleting a product family.")
class DeleteProductFamilyPayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="ID of the deleted family.")
    errors: list[UserError] = user_errors()


@strawberry.input(description="Products to move into a family, all or none.")
class AssignProductsToFamilyInput:
    family_id: strawberry.ID = strawberry.field(description="The (active) family.")
    product_ids: list[strawberry.ID] = strawberry.field(description="The products (at most 500).")


@strawberry.type(description="The result of assigning products to a family.")
class AssignProductsToFamilyPayload:
    product_family: types.ProductFamily | None = strawberry.field(description="The family.")
    products: list[types.Product] = strawberry.field(description="The products, now in the family.")
    errors: list[UserError] = user_errors()


# -- family manufacturers ----------------------------------------------------------------------


@strawberry.input(
    description="Terms of a manufacturer's assignment; omitted fields stay as they are."
)
class FamilyManufacturerFields:
    priority: int | None = omittable("1 is the primary; lower wins (default 1).")
    can_sublimate: bool | None = omittable("Can sublimate for this family.")
    can_embroider: bool | None = omittable("Can embroider for this family.")
    can_screen_print: bool | None = omittable("Can screen print for this family.")
    can_dtg: bool | None = omittable("Can print DTG for this family.")
    can_cut_sew: bool | None = omittable("Can cut and sew for this family.")
    can_heat_transfer: bool | None = omittable("Can heat-transfer for this family.")
    moq: int | None = omittable("Minimum order quantity.")
    cost_per_unit: Decimal | None = omittable("Unit cost for this family.")
    lead_time_days: int | None = omittable("Lead time for this family, in days.")
    payment_terms: enums.PaymentTerms | None = omittable("Payment terms for this family.")
    notes: str | None = omittable("Internal notes.")
    is_active: bool | None = omittable("Inactive assignments are skipped by routing.")


@strawberry.input(description="Assign a manufacturer to a family.")
class AddFamilyManufacturerInput(FamilyManufacturerFields):
    family_id: strawberry.ID = strawberry.field(description="The family.")
    manufacturer_id: strawberry.ID = strawberry.field(description="The manufacturer.")


@strawberry.input(description="Change an assignment's terms.")
class UpdateFamilyManufacturerInput(FamilyManufacturerFields):
    id: strawberry.ID = strawberry.field(description="The assignment.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="Which assignment to remove.")
class RemoveFamilyManufacturerInput:
    id: strawberry.ID = strawberry.field(description="The assignment.")


@strawberry.type(description="The result of a mutation on a family assignment.")
class FamilyManufacturerPayload:
    assignment: types.ProductFamilyManufacturer | None = strawberry.field(
        description="The assignment as committed."
    )
    errors: list[UserError] = user_errors()


@strawberry.type(description="The result of removing a family assignment.")
class RemoveFamilyManufacturerPayload:
    removed_id: strawberry.ID | None = strawberry.field(description="ID of the removed assignment.")
    product_family: types.ProductFamily | None = strawberry.field(
        description="The family, as it is now."
    )
    errors: list[UserError] = user_errors()


# -- categories --------------------------------------------------------------------------------


@strawberry.input(description="Fields of a category; omitted fields stay as they are.")
class CategoryFields:
    description: str | None = omittable("Longer description.")
    product_family_id: strawberry.ID | None = omittable("The family of its products.")
    manufacturer_override_id: strawberry.ID | None = omittable("Overrides the family default.")
    sort_order: int | None = omittable("Position in lists (default 0).")


@strawberry.input(description="A new category.")
class CreateCategoryInput(CategoryFields):
    name: str = strawberry.field(description="Display name.")


@strawberry.input(description="Changes to a category.")
class UpdateCategoryInput(CategoryFields):
    id: strawberry.ID = strawberry.field(description="The category.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    name: str | None = omittable("New name.")


@strawberry.type(description="The result of a mutation on a category.")
class CategoryPayload:
    category: types.Category | None = strawberry.field(description="The category as committed.")
    errors: list[UserError] = user_errors()


# -- products ----------------------------------------------------------------------------------


@strawberry.input(description="Fields of a product; omitted fields stay as they are.")
class ProductFields:
    code: str | None = omittable("Unique short code for lot numbers, ^[A-Z0-9]{1,10}$.")
    sku: str | None = omittable("Unique SKU.")
    description: str | None = omittable("Longer description.")
    product_family_id: strawberry.ID | None = omittable("Own family, overriding the category's.")
    product_category_id: strawberry.ID | None = omittable("Category.")
    manufacturer_override_id: strawberry.ID | None = omittable("Manufacturer override (BR-1).")
    unit_cost: Decimal | None = omittable("What one unit costs us to make.")
    cas_number: str | None = omittable(
        "CAS Registry Number, e.g. 137525-51-0 (2-7, 2 and 1 digits; the check digit must "
        "be right)."
    )
    form: ProductForm | None = omittable("Its physical form (vial label).")
    storage_conditions: str | None = omittable(
        'How to store it, at most 100 characters, e.g. "-20 °C, desiccated, protect from light".'
    )
    ghs_pictograms: list[GhsPictogram] | None = omittable(
        "Its GHS hazard pictograms, each once; [] or null for none."
    )


@strawberry.input(description="A new product.")
class CreateProductInput(ProductFields):
    name: str = strawberry.field(description="Display name.")


@strawberry.input(description="Changes to a product.")
class UpdateProductInput(ProductFields):
    id: strawberry.ID = strawberry.field(description="The product.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    name: str | None = omittable("New name.")


@strawberry.input(description="Route every order of a product to one manufacturer.")
class SetProductManufacturerOverrideInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    manufacturer_id: strawberry.ID = strawberry.field(description="The manufacturer.")
    reason: str | None = optional("Why; kept in the audit log.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.input(description="Let a product route by its category and family again.")
class ClearProductManufacturerOverrideInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    reason: str | None = optional("Why; kept in the audit log.")
    expected_version: int | None = optional(EXPECTED_VERSION)


@strawberry.type(description="The result of a mutation on a product.")
class ProductPayload:
    product: types.Product | None = strawberry.field(description="The product as committed.")
    errors: list[UserError] = user_errors()


# -- variants ----------------------------------------------------------------------------------


@strawberry.input(description="Fields of a variant; omitted fields stay as they are.")
class VariantFields:
    size: str | None = omittable('Size, e.g. "M".')
    colour: str | None = omittable("Colour.")
    default_manufacturer_id: strawberry.ID | None = omittable("Default manufacturer (top of BR-1).")
    price: Decimal | None = omittable("Selling price per unit.")


@strawberry.input(description="A new variant of a product.")
class CreateVariantInput(VariantFields):
    product_id: strawberry.ID = strawberry.field(description="The product.")
    sku: str = strawberry.field(description="Unique SKU.")
    title: str = strawberry.field(description="Display title.")


@strawberry.input(description="Changes to a variant.")
class UpdateVariantInput(VariantFields):
    id: strawberry.ID = strawberry.field(description="The variant.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    sku: str | None = omittable("New unique SKU.")
    title: str | None = omittable("New title.")


@strawberry.type(description="The result of a mutation on a variant.")
class VariantPayload:
    variant: types.Variant | None = strawberry.field(description="The variant as committed.")
    errors: list[UserError] = user_errors()


# -- manufacturers -----------------------------------------------------------------------------


@strawberry.input(
    description="Fields of a manufacturer's profile; omitted fields stay as they are."
)
class ManufacturerFields:
    email: str | None = omittable("Primary email.")
    country: str | None = omittable(
        "ISO 3166-1 alpha-2 code; sets the timezone when none is given."
    )
    region: str | None = omittable("Region or state.")
    city: str | None = omittable("City.")
    timezone: str | None = omittable("IANA timezone, e.g. Asia/Karachi.")
    address: str | None = omittable("Postal address.")
    primary_contact_whatsapp: str | None = omittable("WhatsApp number.")
    secondary_email: str | None = omittable("Secondary email.")
    secondary_phone: str | None = omittable("Secondary phone.")
    website: str | None = omittable("Website URL (http or https).")
    capabilities: list[enums.Capability] | None = omittable("What it can do.")
    certifications: list[enums.Certification] | None = omittable("Certifications it holds.")
    payment_terms: enums.PaymentTerms | None = omittable("Default payment terms (default NET30).")
    currency: str | None = omittable("ISO 4217 currency (default USD).")
    avg_lead_time_days: int | None = omittable("Typical lead time, in days.")
    max_concurrent_jobs: int | None = omittable("How many jobs it can run at once.")
    max_monthly_capacity: int | None = omittable("Units it can make a month.")
    accepting_orders: bool | None = omittable("Whether it takes new jobs (default true).")
    onboarding_status: enums.OnboardingStatus | None = omittable(
        "Onboarding stage (default PENDING)."
    )
    bank_name: str | None = omittable("Name of its bank.")
    bank_account: str | None = omittable(
        "Bank account number or IBAN: 4 to 34 letters or digits (spaces and hyphens are "
        "ignored). Encrypted at rest."
    )
    bank_routing: str | None = omittable(
        "Routing number, sort code or SWIFT/BIC: 4 to 20 letters or digits. Encrypted at rest."
    )
    tax_id: str | None = omittable(
        "Tax ID (EIN, NTN, VAT number): 4 to 30 letters, digits and separators. Encrypted at rest."
    )
    preferred_payment_method: enums.ManufacturerPaymentMethod | None = omittable(
        "How it prefers to be paid."
    )
    credit_limit: Decimal | None = omittable(
        'How much we may owe it, e.g. "10000.00" (the default).'
    )
    current_balance: Decimal | None = omittable(
        "What we owe it now (default 0); finance keeps it current once payables exist."
    )
    credit_hold_enabled: bool | None = omittable(
        "Refuse jobs over the credit limit instead of warning (default false)."
    )
    payment_standing: enums.PaymentStanding | None = omittable(
        "How current our payments are (default GOOD); DELINQUENT blocks routing."
    )
    payment_grace_days: int | None = omittable(
        "Days after an invoice's due date before our payment counts as late (default 0)."
    )
    early_payment_days: int | None = omittable(
        "Paid within this many days of the invoice date, the early-payment discount applies "
        "(BR-27)."
    )
    early_payment_discount: Decimal | None = omittable(
        'The early-payment discount in percent, e.g. "2.00" (BR-27).'
    )
    auto_invoice_enabled: bool | None = omittable(
        "Invoice its jobs automatically when they ship (BR-26; default false)."
    )


@strawberry.input(description="A new manufacturer.")
class CreateManufacturerInput(ManufacturerFields):
    name: str = strawberry.field(description="Company name.")


@strawberry.input(description="A manufacturer's capabilities; omitted fields stay as they are.")
class UpdateManufacturerCapabilitiesInput:
    id: strawberry.ID = strawberry.field(description="The manufacturer.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    capabilities: list[enums.Capability] | None = omittable("What it can do.")
    certifications: list[enums.Certification] | None = omittable("Certifications it holds.")


@strawberry.input(description="Changes to a manufacturer.")
class UpdateManufacturerInput(ManufacturerFields):
    id: strawberry.ID = strawberry.field(description="The manufacturer.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    name: str | None = omittable("New name.")


@strawberry.type(description="The result of a mutation on a manufacturer.")
class ManufacturerPayload:
    manufacturer: types.Manufacturer | None = strawberry.field(
        description="The manufacturer as committed."
    )
    errors: list[UserError] = user_errors()


async def _family_and_products(
    info: Info[Any, Any], _: Any, result: Any, errors: list[UserError]
) -> AssignProductsToFamilyPayload:
    family, products = result if result else (None, [])
    return AssignProductsToFamilyPayload(
        product_family=await reload(info, types.ProductFamily, family),
        products=await load_nodes(info, types.Product, [p.id for p in products]),
        errors=errors,
    )


async def _removed_from_family(
    info: Info[Any, Any], input: RemoveFamilyManufacturerInput, family: Any, errors: list[UserError]
) -> RemoveFamilyManufacturerPayload:
    node = await reload(info, types.ProductFamily, family)
    return RemoveFamilyManufacturerPayload(
        removed_id=input.id if node else None, product_family=node, errors=errors
    )


@strawberry.type
class CatalogMutation:
    create_product_family = node_mutation(
        ProductFamilyPayload,
        CreateProductFamilyInput,
        Permission.EDIT_FAMILIES,
        "Create a product family.",
        creating(families.create_family),
    )

    update_product_family = node_mutation(
        ProductFamilyPayload,
        UpdateProductFamilyInput,
        Permission.EDIT_FAMILIES,
        "Change a product family.",
        updating(families.update_family),
    )

    deactivate_product_family = node_mutation(
        ProductFamilyPayload,
        DeactivateProductFamilyInput,
        Permission.EDIT_FAMILIES,
        "Deactivate a product family: it keeps its products but takes no new ones.",
        lambda s, actor, input: families.deactivate_family(
            s, actor, input.id, input.expected_version
        ),
    )

    delete_product_family = mutation(
        DeleteProductFamilyPayload,
        DeleteProductFamilyInput,
        Permission.EDIT_FAMILIES,
        "Delete a product family for good, with its manufacturer assignments. "
        "Refused with NOT_DELETABLE while products or categories reference it.",
        lambda s, actor, input: families.delete_family(s, actor, input.id),
        returning(DeleteProductFamilyPayload),
    )

    assign_products_to_family = mutation(
        AssignProductsToFamilyPayload,
        AssignProductsToFamilyInput,
        Permission.ASSIGN_TO_FAMILIES,
        "Move many products into a family: all of them or none.",
        lambda s, actor, input: families.assign_products(
            s, actor, input.family_id, list(input.product_ids)
        ),
        _family_and_products,
    )

    add_family_manufacturer = node_mutation(
        FamilyManufacturerPayload,
        AddFamilyManufacturerInput,
        Permission.ASSIGN_MANUFACTURERS,
        "Assign a manufacturer to a family with its terms.",
        creating(families.add_manufacturer),
    )

    update_family_manufacturer = node_mutation(
        FamilyManufacturerPayload,
        UpdateFamilyManufacturerInput,
        Permission.ASSIGN_MANUFACTURERS,
        "Change a manufacturer's assignment to a family.",
        updating(families.update_manufacturer),
    )

    remove_family_manufacturer = mutation(
        RemoveFamilyManufacturerPayload,
        RemoveFamilyManufacturerInput,
        Permission.ASSIGN_MANUFACTURERS,
        "Remove a manufacturer from a family.",
        lambda s, actor, input: families.remove_manufacturer(s, actor, input.id),
        _removed_from_family,
    )

    create_category = node_mutation(
        CategoryPayload,
        CreateCategoryInput,
        Permission.EDIT_PRODUCTS,
        "Create a category.",
        creating(entities.create_category),
    )

    update_category = node_mutation(
        CategoryPayload,
        UpdateCategoryInput,
        Permission.EDIT_PRODUCTS,
        "Change a category.",
        updating(entities.update_category),
    )

    create_product = node_mutation(
        ProductPayload,
        CreateProductInput,
        Permission.EDIT_PRODUCTS,
        "Create a product.",
        creating(entities.create_product),
    )

    update_product = node_mutation(
        ProductPayload,
        UpdateProductInput,
        Permission.EDIT_PRODUCTS,
        "Change a product.",
        updating(entities.update_product),
    )

    set_product_manufacturer_override = node_mutation(
        ProductPayload,
        SetProductManufacturerOverrideInput,
        Permission.EDIT_PRODUCTS,
        "Route every order of a product to one manufacturer.",
        lambda s, actor, input: entities.set_product_override(
            s,
            actor,
            input.product_id,
            input.manufacturer_id,
            input.reason,
            input.expected_version,
        ),
    )

    clear_product_manufacturer_override = node_mutation(
        ProductPayload,
        ClearProductManufacturerOverrideInput,
        Permission.EDIT_PRODUCTS,
        "Remove a product's manufacturer override.",
        lambda s, actor, input: entities.set_product_override(
            s, actor, input.product_id, None, input.reason, input.expected_version
        ),
    )

    create_variant = node_mutation(
        VariantPayload,
        CreateVariantInput,
        Permission.EDIT_PRODUCTS,
        "Create a variant of a product.",
        creating(entities.create_variant),
    )

    update_variant = node_mutation(
        VariantPayload,
        UpdateVariantInput,
        Permission.EDIT_PRODUCTS,
        "Change a variant.",
        updating(entities.update_variant),
    )

    create_manufacturer = node_mutation(
        ManufacturerPayload,
        CreateManufacturerInput,
        Permission.EDIT_MANUFACTURERS,
        "Create a manufacturer.",
        creating(entities.create_manufacturer),
    )

    update_manufacturer = node_mutation(
        ManufacturerPayload,
        UpdateManufacturerInput,
        Permission.EDIT_MANUFACTURERS,
        "Change a manufacturer's profile.",
        updating(entities.update_manufacturer),
    )

    update_manufacturer_capabilities = node_mutation(
        ManufacturerPayload,
        UpdateManufacturerCapabilitiesInput,
        Permission.UPDATE_CAPABILITIES,
        "Change a manufacturer's capabilities and certifications: admins for any "
        "manufacturer, a manufacturer user for its own.",
        updating(entities.update_capabilities),
    )
