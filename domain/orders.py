"""Orders (SPEC §1.3, §2.2): statuses, priorities, techniques and their display labels."""

from __future__ import annotations

from enum import StrEnum

from domain.permissions import ALL, OWN, STAFF_READ, Permission, Role, grants


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    IN_PRODUCTION = "in_production"
    FULFILLED = "fulfilled"
    CANCELED = "canceled"


# [001]'s coded display map (SPEC §9 #12: keep it as coded; the raw state is exposed too).
DISPLAY_LABELS: dict[OrderStatus, str] = {
    OrderStatus.DRAFT: "Spec Review",
    OrderStatus.SUBMITTED: "Queued",
    OrderStatus.APPROVED: "Printing",
    OrderStatus.IN_PRODUCTION: "Finishing",
    OrderStatus.FULFILLED: "Ready",
    OrderStatus.CANCELED: "Spec Review",
}


class OrderPriority(StrEnum):
    RUSH = "rush"
    STANDARD = "standard"
    HOLD = "hold"


# SPEC §9 #13: etaDays is a number; Hold has none ("paused until manually released").
ETA_DAYS: dict[OrderPriority, int | None] = {
    OrderPriority.RUSH: 2,
    OrderPriority.STANDARD: 5,
    OrderPriority.HOLD: None,
}

PRIORITY_LABELS: dict[OrderPriority, str] = {
    OrderPriority.RUSH: "Rush",
    OrderPriority.STANDARD: "Standard",
    OrderPriority.HOLD: "Hold",
}


class Technique(StrEnum):
    """How a line item is decorated. [001] names dtg, screen and embroidery; the others are
    the decoration flags a family assignment carries (SPEC §1.1 PFM)."""

    DTG = "dtg"
    SCREEN = "screen"
    EMBROIDERY = "embroidery"
    SUBLIMATION = "sublimation"
    HEAT_TRANSFER = "heat_transfer"
    CUT_SEW = "cut_sew"


# Who holds the orders' permissions (SPEC §4 Ownership: "customers see their own orders; ops
# see all orders"). "Order PATCH is ops-only" ([001]): submitting, approving, priorities
# and bulk changes are MANAGE_ORDERS; a customer drafts its own.
GRANTS = grants(
    {
        Permission.VIEW_ORDERS: {**STAFF_READ, Role.CUSTOMER: OWN},
        Permission.EDIT_ORDERS: {Role.OPS: ALL, Role.CUSTOMER: OWN},
        Permission.MANAGE_ORDERS: {Role.OPS: ALL},
    }
)
