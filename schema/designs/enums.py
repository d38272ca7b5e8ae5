"""The designs' vocabulary in the graph."""

from __future__ import annotations

from domain.designs import DesignStatus
from schema.enums import graphql_enum

graphql_enum(
    DesignStatus,
    "Where a design is.",
    {
        DesignStatus.DRAFT: "Still being worked on; cannot be sent to production yet.",
        DesignStatus.READY: "May be sent to production (createProductionOrder).",
        DesignStatus.ARCHIVED: "Kept for the orders that used it; no new orders.",
    },
)
