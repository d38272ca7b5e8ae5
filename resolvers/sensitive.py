"""Reading encrypted bank and tax details: masked unless revealed, every clear read audited.

Who may read them at all is the schema field's permission (`Permission.VIEW_BANK_DETAILS`,
SPEC §4 "Sensitive fields"); this module decides what those readers get. By default a value
is masked to its last characters. Asked to reveal it, the resolver first commits an audit
entry (SENSITIVE_READ with actor, role, IP, user agent, request id, the entity and the field,
SPEC §7) in its own short transaction, and only then returns the clear value: if the entry
cannot be written, nothing is revealed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from auth.access import require
from auth.permissions import Permission
from db.base import Entity
from db.models import Manufacturer
from domain.enums import AuditAction
from resolvers import audit
from resolvers.context import RequestContext

MASK = "••••"
_SHOWN = 4


def mask(value: str | None) -> str | None:
    """`••••` and the last four characters; never more than half of a short value, and the
    mask's length does not depend on the value's."""
    if value is None:
        return None
    shown = min(_SHOWN, len(value) // 2)
    return MASK + value[len(value) - shown :]


async def manufacturer_detail(
    ctx: RequestContext,
    manufacturer_id: uuid.UUID,
    field: str,
    value: str | None,
    *,
    reveal: bool,
    path: Sequence[str | int],
) -> str | None:
    """One bank or tax field of a manufacturer (`field` is its attribute, e.g.
    "bank_account"), masked, or in clear once the read is on record."""
    return await detail(ctx, Manufacturer, manufacturer_id, field, value, reveal=reveal, path=path)


async def detail(
    ctx: RequestContext,
    model: type[Entity],
    entity_id: uuid.UUID,
    field: str,
    value: str | None,
    *,
    reveal: bool,
    path: Sequence[str | int],
) -> str | None:
    """One encrypted field of any record (a manufacturer's bank account, a supplier's tax
    ID), masked, or in clear once the read is on record."""
    if not reveal or value is None:
        return mask(value)
    # The schema guards the parent field; checked again because this hands out the secret.
    require(ctx.actor, Permission.VIEW_BANK_DETAILS, path)
    async with ctx.db.transaction() as session:
        entry = audit.record(
            session,
            ctx.actor,
            AuditAction.SENSITIVE_READ,
            model(id=entity_id),
            context={"path": ".".join(str(part) for part in path)},
        )
        entry.field_name = field
    return value
