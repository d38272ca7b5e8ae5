"""Suppliers (SPEC §1.6, §2.4): create, update, status changes with their cascade, and the
guarded delete of BR-46."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.actor import Actor
from db.models import Supplier
from domain import banking
from domain.bounds import LEAD_TIME_DAYS
from domain.catalog import COUNTRY_CODE, CURRENCY_CODE
from domain.procurement import SUPPLIER_CODE, SUPPLIER_CODE_RULE, BlockKind, SupplierStatus
from domain.validation import Checks
from resolvers import writes
from resolvers.editing import Editable
from resolvers.lookup import count_references, get_for_update
from resolvers.procurement.rules import not_deletable, require_reason
from resolvers.procurement.workflow import SUPPLIER_WORKFLOW
from resolvers.transitions import TransitionContext, transition

_TEXTS = {
    "name": 200,
    "contact_name": 200,
    "contact_email": 255,
    "contact_phone": 32,
    "website": 255,
    "address_line1": 200,
    "address_line2": 200,
    "city": 100,
    "state": 100,
    "postal_code": 20,
    "payment_terms": 50,
    "account_number": 64,
    "notes": 10_000,
}


def _check_supplier(values: dict[str, Any], current: Supplier | None) -> None:
    for field in ("code", "country", "default_currency"):
        if isinstance(values.get(field), str):
            values[field] = values[field].strip().upper()
    for field in _TEXTS:
        if isinstance(values.get(field), str) and field != "name":
            values[field] = values[field].strip() or None  # blank clears it
    banking.normalise(values)
    checks = Checks()
    checks.required_text(values, "name", max_length=200, creating=current is None)
    if current is None:
        checks.require(values.get("code") is not None, "code", "code is required")
    checks.pattern("code", values.get("code"), SUPPLIER_CODE, SUPPLIER_CODE_RULE)
    for field, length in _TEXTS.items():
        if field != "name":
            checks.text(field, values.get(field), max_length=length, required=False)
    checks.email("contact_email", values.get("contact_email"))
    checks.url("website", values.get("website"))
    checks.pattern("country", values.get("country"), COUNTRY_CODE, "an ISO 3166-1 alpha-2 code")
    checks.pattern(
        "default_currency", values.get("default_currency"), CURRENCY_CODE, "an ISO 4217 code"
    )
    checks.within("default_lead_time_days", values.get("default_lead_time_days"), LEAD_TIME_DAYS)
    banking.check(checks, values)
    checks.not_null(values, ("country", "default_lead_time_days", "default_currency"))
    checks.raise_if_any()


SUPPLIERS = Editable(Supplier, _check_supplier, unique=("code",))
create_supplier = SUPPLIERS.create
update_supplier = SUPPLIERS.update


async def change_status(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    target: SupplierStatus,
    reason: str | None,
    block_kind: BlockKind | None,
    expected_version: int | None,
) -> TransitionContext[SupplierStatus]:
    """Move a supplier through SUPPLIER_WORKFLOW; a reason is always required, a block kind
    to block. The cascade of §2.4 runs in the same transaction."""
    reason = require_reason(reason, "to change a supplier's status")
    inputs: dict[str, Any] = {"status_reason": reason}
    if block_kind is not None:
        inputs["block_kind"] = block_kind
    return await transition(
        session,
        actor,
        SUPPLIER_WORKFLOW,
        Supplier,
        global_id,
        target,
        expected_version=expected_version,
        inputs=inputs,
        reason=reason,
    )


async def delete_supplier(session: AsyncSession, actor: Actor, global_id: str) -> Supplier:
    """BR-46: only a supplier with no purchase orders, lots or price lists (soft delete)."""
    supplier = await get_for_update(session, Supplier, global_id)
    references = await count_references(session, supplier)
    if references:
        held = ", ".join(f"{count} in {where}" for where, count in sorted(references.items()))
        raise not_deletable("Supplier", supplier.code, f"it is referenced ({held})")
    return await writes.soft_delete(session, actor, supplier)
