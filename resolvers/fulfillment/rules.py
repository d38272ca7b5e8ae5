"""What the 3PL's mutations do: fulfillment centers (create, update, deactivate, one
default) and inventory adjustments with BR-16 reason codes (applied at once, or waiting for
an admin above the approval threshold). Stock moves through `ledger.record` only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import FulfillmentCenter, InventoryAdjustment, InventoryLevel, Variant
from domain.enums import AuditAction
from domain.errors import ErrorCode, UserErrors
from domain.fulfillment import (
    REASONS_NEEDING_NOTE,
    AdjustmentReason,
    AdjustmentStatus,
    LedgerKind,
    LedgerReference,
    needs_approval,
)
from domain.validation import Checks
from resolvers import audit, writes
from resolvers.editing import Editable
from resolvers.fulfillment.ledger import locked_level, record
from resolvers.ids import decode_input_id
from resolvers.lookup import get_for_update, not_found

_CODE_LENGTH = 32
_COUNTRY = 2

# -- fulfillment centers ----------------------------------------------------------------------


def _check_center(values: dict[str, Any], current: FulfillmentCenter | None) -> None:
    checks = Checks()
    creating = current is None
    checks.required_text(values, "code", max_length=_CODE_LENGTH, creating=creating)
    checks.required_text(values, "name", max_length=200, creating=creating)
    checks.email("email", values.get("email"))
    if values.get("country") is not None and len(values["country"]) != _COUNTRY:
        checks.fail("country", "must be an ISO 3166-1 alpha-2 code")
    checks.not_null(values, ("capabilities", "carrier_preferences", "is_default"))
    checks.raise_if_any()
    if values.get("code"):
        values["code"] = values["code"].strip().upper()
    if values.get("country"):
        values["country"] = values["country"].upper()
    for field in ("capabilities", "carrier_preferences"):
        if values.get(field) is not None:
            # Codes, de-duplicated; preferences keep the order given.
            values[field] = list(dict.fromkeys(item.value for item in values[field]))
    if values.get("operating_hours") is None and "operating_hours" in values:
        values["operating_hours"] = {}


async def _one_default(
    session: AsyncSession, values: dict[str, Any], current: FulfillmentCenter | None
) -> None:
    # Making a center the default takes the flag from the one that had it (one default).
    if values.get("is_default"):
        if current is not None and not current.is_active:
            raise UserErrors.one(
                ErrorCode.VALIDATION,
                "An inactive center cannot be the default",
                ("input", "isDefault"),
            )
        await session.execute(
            update(FulfillmentCenter)
            .where(FulfillmentCenter.is_default.is_(True))
            .values(is_default=False, version=FulfillmentCenter.version + 1)
            .execution_options(synchronize_session="fetch")
        )


CENTERS = Editable(FulfillmentCenter, _check_center, unique=("code",), verify=_one_default)
create_center = CENTERS.create
update_center = CENTERS.update


async def deactivate_center(
    session: AsyncSession, actor: Actor, global_id: str, expected_version: int | None
) -> FulfillmentCenter:
    """An inactive center takes no new stock or shipments; the default cannot be
    deactivated until another center is made the default."""
    center = await get_for_update(session, FulfillmentCenter, global_id)
    if center.is_default:
        raise UserErrors.one(
            ErrorCode.VALIDATION,
            "The default center cannot be deactivated; make another center the default first",
            ("input", "id"),
        )
    return await writes.update(
        session, actor, center, {"is_active": False}, expected_version=expected_version
    )


# -- adjustments ------------------------------------------------------------------------------


async def adjust(
    session: AsyncSession,
    actor: Actor,
    *,
    center_global_id: str,
    variant_global_id: str,
    quantity: int,
    reason: AdjustmentReason,
    note: str | None,
    approval_units: int,
) -> InventoryAdjustment:
    """BR-16: change on hand by ±quantity with a reason code. At most `approval_units` (either
    way) apply at once; more wait PENDING_APPROVAL for an admin (`decide_adjustment`)."""
    checks = Checks()
    checks.require(quantity != 0, "quantity", "must not be zero")
    checks.text("note", note, max_length=2000, required=reason in REASONS_NEEDING_NOTE)
    checks.raise_if_any()
    center_id = decode_input_id(center_global_id, "FulfillmentCenter", "centerId")
    variant_id = decode_input_id(variant_global_id, "Variant", "variantId")
    center = await session.get(FulfillmentCenter, center_id)
    if center is None:
        raise not_found("FulfillmentCenter", center_global_id, "centerId")
    if await session.get(Variant, variant_id) is None:
        raise not_found("Variant", variant_global_id, "variantId")
    pending = needs_approval(quantity, approval_units)
    level = await locked_level(session, center_id, variant_id)
    if level is None and quantity < 0:
        raise UserErrors.one(
            ErrorCode.INSUFFICIENT_STOCK,
            "The center holds none of this variant; nothing to take away",
            ("input", "quantity"),
        )
    adjustment = InventoryAdjustment(
        id=uuid.uuid4(),
        quantity=quantity,
        reason=reason,
        note=note,
        status=AdjustmentStatus.PENDING_APPROVAL if pending else AdjustmentStatus.APPLIED,
        requested_by=actor.id,
    )
    if not pending:
        level = await _apply(session, actor, center_id, variant_id, adjustment)
        adjustment.decided_by, adjustment.decided_at = actor.id, datetime.now(UTC)
    elif level is None:
        # A large count correction for stock never recorded: the level exists, empty,
        # so the request can point at it (it is applied only on approval).
        level = await _empty_level(session, center_id, variant_id)
    adjustment.level_id = level.id
    return await writes.create(session, actor, adjustment)


async def _apply(
    session: AsyncSession,
    actor: Actor,
    center_id: uuid.UUID,
    variant_id: uuid.UUID,
    adjustment: InventoryAdjustment,
) -> InventoryLevel:
    return await record(
        session,
        center_id=center_id,
        variant_id=variant_id,
        kind=LedgerKind.ADJUSTMENT,
        quantity=adjustment.quantity,
        reference_type=LedgerReference.ADJUSTMENT,
        reference_id=adjustment.id,
        reason=adjustment.reason,
        note=adjustment.note,
        actor=actor,
    )


async def _empty_level(
    session: AsyncSession, center_id: uuid.UUID, variant_id: uuid.UUID
) -> InventoryLevel:
    level = InventoryLevel(fulfillment_center_id=center_id, variant_id=variant_id)
    session.add(level)
    await session.flush()
    return level


async def decide_adjustment(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    *,
    approve: bool,
    note: str | None,
) -> InventoryAdjustment:
    """An admin approves (the ledger records it now, INSUFFICIENT_STOCK if the stock is no
    longer there) or rejects a PENDING_APPROVAL adjustment."""
    adjustment = await get_for_update(session, InventoryAdjustment, global_id)
    if adjustment.status is not AdjustmentStatus.PENDING_APPROVAL:
        raise UserErrors.one(
            ErrorCode.INVALID_TRANSITION,
            f"The adjustment is {adjustment.status}; only a pending one can be decided",
            ("input", "id"),
        )
    before = audit.snapshot(adjustment)
    if approve:
        level = await session.get(InventoryLevel, adjustment.level_id)
        assert level is not None
        await _apply(session, actor, level.fulfillment_center_id, level.variant_id, adjustment)
    adjustment.status = AdjustmentStatus.APPLIED if approve else AdjustmentStatus.REJECTED
    adjustment.decided_by, adjustment.decided_at = actor.id, datetime.now(UTC)
    adjustment.decision_note = note
    await session.flush()
    audit.record(
        session,
        actor,
        AuditAction.STATUS_CHANGED,
        adjustment,
        before=before,
        after=audit.snapshot(adjustment),
        field_name="status",
    )
    return adjustment


async def set_level_details(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    values: dict[str, Any],
    expected_version: int | None,
) -> InventoryLevel:
    """Where a level is kept and when to alert about it: bin, reorder point, max threshold,
    cost per unit, last counted. Its quantities change only through the ledger."""
    level = await get_for_update(session, InventoryLevel, global_id)
    checks = Checks()
    for field in ("reorder_point", "max_threshold"):
        value = values.get(field)
        checks.require(value is None or value >= 0, field, "must not be negative")
    checks.money("cost_per_unit", values.get("cost_per_unit"))
    checks.text("bin_location", values.get("bin_location"), max_length=50, required=False)
    checks.raise_if_any()
    return await writes.update(session, actor, level, values, expected_version=expected_version)
