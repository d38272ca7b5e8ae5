"""Which column names the owner of each owned record, and the check mutations use.

Reads filter by these rules where rows are loaded (schema.node); a mutation on a record
outside the caller's grant answers NOT_FOUND, as if the record did not exist, because to
that caller it does not.
"""

from __future__ import annotations

import uuid

from auth.access import Owner, owns
from auth.actor import Actor
from auth.permissions import Permission
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
