"""Partner API keys in the graph: list, create (the key is shown once), revoke."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from auth.api_keys import is_active as key_is_active
from auth.permissions import Role
from schema.enums import graphql_enum
from schema.node import Node

graphql_enum(
    Role,
    "What a caller may do: SPEC §4's roles. Tokens carry one in their `role` claim.",
    {
        Role.SUPERADMIN: "Everything.",
        Role.ADMIN: "Everything except user management.",
        Role.OPS: "Catalog, manufacturing and 3PL; financial reads of terms.",
        Role.SALES: "Catalog reads, limited job, inventory and outbound reads.",
        Role.FINANCE: "Catalog and manufacturing reads; financial reads and writes.",
        Role.MANUFACTURER: "Its own profile, jobs, invoices and shipments.",
        Role.CUSTOMER: "Its own orders.",
        Role.PARTNER: "API-key callers: their own runs, through persisted queries.",
        Role.READONLY: "Every read except cost and bank data.",
    },
)


@strawberry.type(description="A partner API key. Its secret is shown only when it is created.")
class ApiKey(Node):
    pk: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="What the key is for, e.g. the partner's name.")
    prefix: str = strawberry.field(
        description="The key's public start (`ogk_…`), to recognise it; not a credential."
    )
    role: Role = strawberry.field(description="The role its callers act as.")
    created_by: str | None = strawberry.field(description="Subject of whoever created it.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    expires_at: datetime | None = strawberry.field(description="When it stops working, if ever.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked.")
    last_used_at: datetime | None = strawberry.field(
        description="When it last authenticated a request (to the minute)."
    )
    version: int = strawberry.field(description="Increments on every change.")

    @strawberry.field(description="Neither revoked nor expired (as of this request).")
    def is_active(self) -> bool:
        return key_is_active(self.revoked_at, self.expires_at)
