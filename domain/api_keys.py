"""Partner API keys: who may manage them."""

from __future__ import annotations

from domain.permissions import Permission, grants

# Partner API keys are managed by superadmin and admin only.
GRANTS = grants({Permission.MANAGE_API_KEYS: {}})
