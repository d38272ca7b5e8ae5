"""The layer and domain contracts in pyproject.toml ([tool.importlinter]) hold: no lower
layer imports a higher one, and no domain of resolvers imports another (they talk through
resolvers.events). Runs `lint-imports` so CI fails on a violation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
