"""The permissions a caller may hold, by name: what a rule says a step needs (domain.workflow).
Which roles hold them, and with which scope, is auth.permissions' table.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    # Product families (SPEC §4 "Product families")
    VIEW_FAMILIES = "families:read"
    EDIT_FAMILIES = "families:write"
    ASSIGN_MANUFACTURERS = "families:assign_manufacturers"
    # Catalog: categories, products, variants
    VIEW_PRODUCTS = "catalog:read"
    EDIT_PRODUCTS = "catalog:write"
    ASSIGN_TO_FAMILIES = "catalog:assign_families"
    # Sensitive fields: cost data and family pricing; bank and tax data.
    VIEW_COSTS = "costs:read"
    VIEW_BANK_DETAILS = "bank:read"
    # Manufacturer management
    VIEW_MANUFACTURERS = "manufacturers:read"
    EDIT_MANUFACTURERS = "manufacturers:write"
    UPDATE_CAPABILITIES = "manufacturers:capabilities"
    VIEW_PAYMENT_TERMS = "terms:read"
    # Partner API keys
    MANAGE_API_KEYS = "api_keys:write"
    # Orders (SPEC §4 Ownership: "customers see their own orders; ops see all orders")
    VIEW_ORDERS = "orders:read"
    EDIT_ORDERS = "orders:write"
    MANAGE_ORDERS = "orders:manage"
    # Manufacturing ("View all jobs", "View own mfr jobs", "Update job status", "Create jobs")
    VIEW_JOBS = "jobs:read"
    WORK_ON_JOBS = "jobs:write"
    ASSIGN_JOBS = "jobs:assign"
    VIEW_ROUTING = "routing:read"
    VIEW_NOTIFICATIONS = "notifications:read"
