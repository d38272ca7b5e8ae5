"""What the API key list reads from."""

from __future__ import annotations

from db.models import ApiKey as ApiKeyModel

SOURCE = ApiKeyModel.__table__
