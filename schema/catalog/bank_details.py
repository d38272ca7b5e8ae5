"""A manufacturer's bank and tax details: declared here, masked and audited in
resolvers.sensitive. Only reachable through `Manufacturer.bankDetails`, which requires
`Permission.VIEW_BANK_DETAILS`."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain.enums import ManufacturerPaymentMethod
from resolvers import sensitive
from schema.context import request_context

Reveal = Annotated[
    bool,
    strawberry.argument(
        description="Return the clear value instead of the masked one. Every clear read is "
        "recorded in the audit log with who read it."
    ),
]


@strawberry.type(
    description="A manufacturer's bank and tax details. Account, routing and tax ID are "
    "encrypted at rest and masked to their last characters (e.g. `••••1234`) unless asked "
    "to `reveal`."
)
class BankDetails:
    manufacturer_pk: strawberry.Private[uuid.UUID]
    bank_name: str | None = strawberry.field(description="Name of its bank.")
    preferred_payment_method: ManufacturerPaymentMethod | None = strawberry.field(
        description="How it prefers to be paid."
    )
    clear: strawberry.Private[dict[str, str | None]]

    async def _read(self, info: Info[Any, Any], field: str, reveal: bool) -> str | None:
        return await sensitive.manufacturer_detail(
            request_context(info),
            self.manufacturer_pk,
            field,
            self.clear[field],
            reveal=reveal,
            path=info.path.as_list(),
        )

    @strawberry.field(description="Bank account number or IBAN; masked unless `reveal`.")
    async def bank_account(self, info: Info[Any, Any], reveal: Reveal = False) -> str | None:
        return await self._read(info, "bank_account", reveal)

    @strawberry.field(description="Routing number, sort code or SWIFT/BIC; masked unless `reveal`.")
    async def bank_routing(self, info: Info[Any, Any], reveal: Reveal = False) -> str | None:
        return await self._read(info, "bank_routing", reveal)

    @strawberry.field(description="Tax ID; masked unless `reveal`.")
    async def tax_id(self, info: Info[Any, Any], reveal: Reveal = False) -> str | None:
        return await self._read(info, "tax_id", reveal)
