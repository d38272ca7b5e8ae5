"""Designs (issue 29; seed 001 "Select design(s) to produce"): what a customer sends to
production. Production runs will extend them later (SPEC §1.5), so they are a domain of
their own."""

from __future__ import annotations

from enum import StrEnum

from domain.permissions import ALL, OWN, STAFF_READ, Permission, Role, grants


class DesignStatus(StrEnum):
    DRAFT = "draft"  # still being worked on
    READY = "ready"  # may be sent to production
    ARCHIVED = "archived"  # kept for the orders that used it; no new orders


# Who holds the designs' permissions: a customer reads and edits its own designs (seed 001's
# gallery); staff read all, ops edit on a customer's behalf.
GRANTS = grants(
    {
        Permission.VIEW_DESIGNS: {**STAFF_READ, Role.CUSTOMER: OWN},
        Permission.EDIT_DESIGNS: {Role.OPS: ALL, Role.CUSTOMER: OWN},
    }
)
