"""The Design node: a customer's artwork, sent to production on a garment."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from domain.designs import DesignStatus
from schema.descriptions import CREATED, UPDATED, VERSION
from schema.designs import enums as _enums  # noqa: F401 - registers the enum descriptions
from schema.execution.relations import Lazy, to_one
from schema.node import Node


@strawberry.type(description="A customer's design: the artwork printed on a garment.")
class Design(Node):
    pk: strawberry.Private[uuid.UUID]
    title: str = strawberry.field(description="Title.")
    image_url: str = strawberry.field(description="The artwork's image.")
    prompt: str | None = strawberry.field(description="The prompt that made it, if any.")
    status: DesignStatus = strawberry.field(description="Where it is.")
    created_at: datetime = strawberry.field(description=CREATED)
    updated_at: datetime = strawberry.field(description=UPDATED)
    version: int = strawberry.field(description=VERSION)
    customer_id: strawberry.Private[uuid.UUID]
    metadata_: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="Free-form data (a JSON object).")
    def metadata(self) -> JSON:
        return JSON(self.metadata_)

    customer = to_one(
        Lazy("Customer", "schema.orders.types"),
        "customer_id",
        description="Whose design it is.",
        required=True,
    )
