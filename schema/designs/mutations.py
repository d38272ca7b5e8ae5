"""Design mutations: save a design, change it."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from auth.permissions import Permission
from domain.designs import DesignStatus
from resolvers.designs import rules
from schema.designs.types import Design
from schema.errors import UserError
from schema.inputs import EXPECTED_VERSION, omittable, optional, provided
from schema.payloads import node_mutation, user_errors


@strawberry.input(description="A new design.")
class CreateDesignInput:
    title: str = strawberry.field(description="Title.")
    image_url: str = strawberry.field(description="The artwork's image (an http(s) URL).")
    prompt: str | None = optional("The prompt that made it.")
    status: DesignStatus | None = optional("Default READY.")
    metadata: JSON | None = optional("Free-form data (a JSON object).")
    customer_id: strawberry.ID | None = optional(
        "Ops saving it for a customer: the customer (a customer saves its own)."
    )


@strawberry.input(description="Changes to a design; omitted fields stay as they are.")
class UpdateDesignInput:
    id: strawberry.ID = strawberry.field(description="The design.")
    expected_version: int | None = optional(EXPECTED_VERSION)
    title: str | None = omittable("Title.")
    image_url: str | None = omittable("The artwork's image.")
    prompt: str | None = omittable("The prompt (null clears it).")
    status: DesignStatus | None = omittable("Where it is (ARCHIVED: no new orders).")
    metadata: JSON | None = omittable("Free-form data; replaces the old one.")


@strawberry.type(description="The result of a mutation on a design.")
class DesignPayload:
    design: Design | None = strawberry.field(description="The design as committed.")
    errors: list[UserError] = user_errors()


def _values(values: dict[str, Any]) -> dict[str, Any]:
    if "metadata" in values:
        values["metadata_"] = values.pop("metadata")
    return values


def _new(input: CreateDesignInput) -> dict[str, Any]:
    """A new design's columns: status READY and empty metadata unless given."""
    values = _values(provided(input, exclude=("customer_id",)))
    if values.get("status") is None:
        values.pop("status", None)
    return values


@strawberry.type
class DesignMutation:
    create_design = node_mutation(
        DesignPayload,
        CreateDesignInput,
        Permission.EDIT_DESIGNS,
        "Save a design (a customer its own; ops for a customer with customerId).",
        lambda s, actor, input: rules.create_design(
            s,
            actor,
            input.customer_id,
            _new(input),
        ),
    )

    update_design = node_mutation(
        DesignPayload,
        UpdateDesignInput,
        Permission.EDIT_DESIGNS,
        "Change a design: title, image, prompt, status, metadata.",
        lambda s, actor, input: rules.update_design(
            s, actor, input.id, _values(provided(input)), input.expected_version
        ),
    )
