"""Descriptions every node type shares for its bookkeeping fields."""

CREATED = "When the record was created (UTC)."
UPDATED = "When the record last changed (UTC)."
VERSION = "Increments on every change; pass it as `expectedVersion` to update safely."
