"""Product families and their manufacturer assignments (SPEC §1.1, BR-46)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import Manufacturer, Product, ProductFamily, ProductFamilyManufacturer
from domain.bounds import LEAD_TIME_DAYS
from domain.catalog import FAMILY_CODE, FAMILY_CODE_RULE, MAX_BULK_ASSIGN
from domain.enums import AuditAction
from domain.errors import ErrorCode, Problem, UserErrors
from domain.validation import Checks
from resolvers import writes
from resolvers.editing import Editable
from resolvers.ids import decode_input_id
from resolvers.lookup import (
    count_references,
    get_for_update,
    resolve_references,
    type_name,
)

_FAMILY_REFERENCES = {
    "default_manufacturer_id": Manufacturer,
    "backup_manufacturer_id": Manufacturer,
}


def ensure_takes_products(family: ProductFamily, field: str) -> None:
    """SPEC §1.1: an inactive family takes no new products."""
    if not family.is_active:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"Family {family.code} is inactive and takes no new products",
            ("input", field),
        )


def _check_family(values: dict[str, Any], current: ProductFamily | None) -> None:
    checks = Checks()
    creating = current is None
    checks.required_text(values, "code", max_length=50, creating=creating)
    checks.pattern("code", values.get("code"), FAMILY_CODE, FAMILY_CODE_RULE)
    checks.required_text(values, "name", max_length=100, creating=creating)
    for field in ("target_cost_min", "target_cost_max"):
        checks.money(field, values.get(field))
    low = values.get("target_cost_min", current.target_cost_min if current else None)
    high = values.get("target_cost_max", current.target_cost_max if current else None)
    if low is not None and high is not None:
        checks.require(
            low <= high, "target_cost_max", "targetCostMax must be at least targetCostMin"
        )
    checks.within("lead_time_days", values.get("lead_time_days"), LEAD_TIME_DAYS)
    checks.url("image_url", values.get("image_url"))
    checks.not_null(values, ("lead_time_days", "sort_order", "is_active"))
    checks.raise_if_any()


FAMILIES = Editable(ProductFamily, _check_family, unique=("code",), references=_FAMILY_REFERENCES)
create_family = FAMILIES.create
update_family = FAMILIES.update


async def deactivate_family(
    session: AsyncSession, actor: Actor, global_id: str, expected_version: int | None
) -> ProductFamily:
    family = await get_for_update(session, ProductFamily, global_id)
    return await writes.update(
        session,
        actor,
        family,
        {"is_active": False},
        expected_version=expected_version,
        action=AuditAction.DEACTIVATED,
    )


async def delete_family(session: AsyncSession, actor: Actor, global_id: str) -> str:
    """Hard delete, only while nothing references the family (BR-46, SPEC §9 #15)."""
    family = await get_for_update(session, ProductFamily, global_id)
    references = await count_references(session, family)
    if references:
        listed = ", ".join(f"{n} in {where}" for where, n in sorted(references.items()))
        raise UserErrors.one(
            ErrorCode.NOT_DELETABLE,
            f"Family {family.code} is still referenced ({listed}); deactivate it instead",
            ("input", "id"),
        )
    await writes.hard_delete(session, actor, family)
    return global_id


async def assign_products(
    session: AsyncSession, actor: Actor, family_global_id: str, product_ids: list[str]
) -> tuple[ProductFamily, list[Product]]:
    """Move many products into a family at once: every product or none."""
    family = await get_for_update(session, ProductFamily, family_global_id, "familyId")
    ensure_takes_products(family, "familyId")
    if not product_ids:
        raise UserErrors.one(
            ErrorCode.VALIDATION, "productIds must not be empty", ("input", "productIds")
        )
    if len(product_ids) > MAX_BULK_ASSIGN:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            f"At most {MAX_BULK_ASSIGN} products per call",
            ("input", "productIds"),
        )
    problems: list[Problem] = []
    products: list[Product] = []
    seen = set()
    for index, global_id in enumerate(product_ids):
        field = ("input", "productIds", str(index))
        try:
            pk = decode_input_id(global_id, type_name(Product), "productIds")
        except UserErrors as exc:
            problems.extend(Problem(p.code, p.message, field) for p in exc.problems)
            continue
        if pk in seen:
            continue
        seen.add(pk)
        product = await session.get(Product, pk, with_for_update=True)
        if product is None or product.deleted_at is not None:
            problems.append(Problem(ErrorCode.NOT_FOUND, f"No Product with ID {global_id}", field))
        else:
            products.append(product)
    if problems:
        raise UserErrors(problems)
    for product in products:
        await writes.update(
            session,
            actor,
            product,
            {"product_family_id": family.id},
            context={"bulk_assign_to_family": family.code},
        )
    return family, products


# -- manufacturer assignments ------------------------------------------------------------------

_FLAGS = (
    "can_sublimate",
    "can_embroider",
    "can_screen_print",
    "can_dtg",
    "can_cut_sew",
    "can_heat_transfer",
)


def _check_assignment(values: dict[str, Any], current: ProductFamilyManufacturer | None) -> None:
    checks = Checks()
    checks.positive("priority", values.get("priority"))
    checks.positive("moq", values.get("moq"))
    checks.money("cost_per_unit", values.get("cost_per_unit"))
    checks.within("lead_time_days", values.get("lead_time_days"), LEAD_TIME_DAYS)
    checks.text("notes", values.get("notes"), max_length=2000, required=False)
    checks.not_null(values, ("priority", "is_active", *_FLAGS))
    checks.raise_if_any()


async def add_manufacturer(
    session: AsyncSession, actor: Actor, values: dict[str, Any]
) -> ProductFamilyManufacturer:
    _check_assignment(values, None)
    family = await get_for_update(session, ProductFamily, values.pop("family_id"), "familyId")
    references = {"manufacturer_id": Manufacturer}
    await resolve_references(session, values, references)
    existing = await session.scalar(
        ProductFamilyManufacturer.__table__.select()
        .with_only_columns(ProductFamilyManufacturer.id)
        .where(
            ProductFamilyManufacturer.product_family_id == family.id,
            ProductFamilyManufacturer.manufacturer_id == values["manufacturer_id"],
        )
    )
    if existing is not None:
        raise UserErrors.one(
            ErrorCode.CONFLICT,
            f"That manufacturer is already assigned to {family.code}; update the assignment",
            ("input", "manufacturerId"),
        )
    assignment = ProductFamilyManufacturer(product_family_id=family.id, **values)
    return await writes.create(session, actor, assignment)


ASSIGNMENTS = Editable(ProductFamilyManufacturer, _check_assignment)
update_manufacturer = ASSIGNMENTS.update


async def remove_manufacturer(session: AsyncSession, actor: Actor, global_id: str) -> ProductFamily:
    assignment = await get_for_update(session, ProductFamilyManufacturer, global_id)
    family = await session.get_one(ProductFamily, assignment.product_family_id)
    await writes.hard_delete(session, actor, assignment)
    return family
