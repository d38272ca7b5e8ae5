"""Designs (issue 29): a customer saves its own; ops save and change them for a customer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth.access import owns
from auth.actor import Actor
from auth.permissions import Permission
from db.models import Design
from domain.validation import Checks
from resolvers import writes
from resolvers.lookup import get_for_update, not_found
from resolvers.owners import CUSTOMER_RECORD, customer_for_new_record

MAX_URL = 2000


def _check(checks: Checks, values: Mapping[str, Any]) -> None:
    if "title" in values:
        checks.text("title", values.get("title"), max_length=200, required=True)
    if "image_url" in values:
        checks.text("image_url", values.get("image_url"), max_length=MAX_URL, required=True)
        checks.url("image_url", values.get("image_url"))
    checks.text("prompt", values.get("prompt"), max_length=10_000, required=False)
    metadata = values.get("metadata_")
    if metadata is not None and not isinstance(metadata, dict):
        checks.fail("metadata", "metadata must be a JSON object")


async def create_design(
    session: AsyncSession, actor: Actor, customer_global_id: str | None, values: dict[str, Any]
) -> Design:
    checks = Checks()
    _check(checks, {"title": None, "image_url": None, **values})
    checks.raise_if_any()
    customer_id = await customer_for_new_record(
        session, actor, Permission.EDIT_DESIGNS, customer_global_id
    )
    values["title"] = values["title"].strip()
    values["metadata_"] = values.get("metadata_") or {}
    return await writes.create(session, actor, Design(customer_id=customer_id, **values))


async def update_design(
    session: AsyncSession,
    actor: Actor,
    global_id: str,
    values: dict[str, Any],
    expected_version: int | None,
) -> Design:
    design = await get_for_update(session, Design, global_id)
    if not owns(actor, Permission.EDIT_DESIGNS, CUSTOMER_RECORD, design.customer_id):
        raise not_found("Design", global_id)
    checks = Checks()
    checks.not_null(values, ("title", "image_url", "status", "metadata_"))
    _check(checks, values)
    checks.raise_if_any()
    return await writes.update(session, actor, design, values, expected_version=expected_version)
