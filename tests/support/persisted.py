"""The partners' approved operations (persisted/partners/) as the tests look them up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PARTNERS = Path(__file__).resolve().parents[2] / "persisted" / "partners"
MANIFEST: dict[str, Any] = json.loads((PARTNERS / "manifest.json").read_text())
PARTNER_VIEWER = next(op["id"] for op in MANIFEST["operations"] if op["name"] == "PartnerViewer")
