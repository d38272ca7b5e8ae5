"""Designs (issue 29; seed 001 "Select design(s) to produce"): what a customer sends to
production. Production runs will extend them later (SPEC §1.5), so they are a domain of
their own."""

from __future__ import annotations

from enum import StrEnum


class DesignStatus(StrEnum):
    DRAFT = "draft"  # still being worked on
    READY = "ready"  # may be sent to production
    ARCHIVED = "archived"  # kept for the orders that used it; no new orders
