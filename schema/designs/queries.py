"""Design root fields: the designs connection and one design by ID."""

from __future__ import annotations

import strawberry

from auth.permissions import Permission
from resolvers.designs import sources
from schema.designs.lists import DESIGNS
from schema.designs.types import Design
from schema.lookups import lookup_field


@strawberry.type
class DesignQuery:
    designs = DESIGNS.field(
        description="Designs, newest first unless ordered. A customer sees only its own."
    )

    design = lookup_field(
        Design,
        sources.DESIGNS,
        Permission.VIEW_DESIGNS,
        "One design by ID; null when there is no such design you may see.",
        id="Its ID.",
    )
