"""Which column names the owner of each owned record, and the check mutations use.

Reads filter by these rules where rows are loaded (schema.node); a mutation on a record
outside the caller's grant answers NOT_FOUND, as if the record did not exist, because to
that caller it does not.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import Owner, owns
from auth.actor import Actor
from auth.permissions import Permission, Scope, grant
from db.models import Customer
from domain.errors import ErrorCode, UserErrors
from resolvers.ids import decode_input_id
from resolvers.lookup import not_found

# A manufacturer user owns its own manufacturer row ...
MANUFACTURER_PROFILE = Owner(column="id", claim="manufacturer_id")
# ... and every record that names its manufacturer (assignments, jobs, notifications).
MANUFACTURER_RECORD = Owner(column="manufacturer_id", claim="manufacturer_id")
# A customer user owns its customer row and the orders placed for it.
CUSTOMER_PROFILE = Owner(column="id", claim="customer_id")
CUSTOMER_RECORD = Owner(column="customer_id", claim="customer_id")


def ensure_owned(
    actor: Actor,
    permission: Permission,
    owner: Owner,
    owner_id: uuid.UUID | None,
    type_name: str,
    global_id: str,
) -> None:
    if not owns(actor, permission, owner, owner_id):
        raise not_found(type_name, global_id)


async def customer_for_new_record(
    session: AsyncSession, actor: Actor, permission: Permission, customer_global_id: str | None
) -> uuid.UUID:
    """The customer a record being created belongs to (an order, a design). A customer
    creates its own (naming another is NOT_FOUND, as if it did not exist); staff holding
    `permission` for all must name an existing one (`input.customerId`)."""
    if grant(actor.role, permission) is not Scope.ALL:
        own = CUSTOMER_RECORD.of(actor)
        if own is None:
            raise UserErrors.one(
                ErrorCode.VALIDATION, "Your token is not bound to a customer", ("input",)
            )
        if (
            customer_global_id is not None
            and decode_input_id(customer_global_id, "Customer", "customer_id") != own
        ):
            raise not_found("Customer", customer_global_id, "customer_id")
        return own
    if customer_global_id is None:
        raise UserErrors.one(
            ErrorCode.VALIDATION, "customerId is required", ("input", "customerId")
        )
    pk = decode_input_id(customer_global_id, "Customer", "customer_id")
    if await session.get(Customer, pk) is None:
        raise not_found("Customer", customer_global_id, "customer_id")
    return pk
