"""`uv run app.py persisted build DIR`: the partners' manifest from DIR's `.graphql` files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from schema.persisted.manifest import MANIFEST_NAME, ManifestError, build_manifest, manifest_json


def add_parser(commands: Any) -> None:
    persisted = commands.add_parser("persisted", help="trusted documents (partner operations)")
    actions = persisted.add_subparsers(dest="persisted_command", required=True)
    build = actions.add_parser(
        "build", help=f"validate DIR/*.graphql against the schema and write DIR/{MANIFEST_NAME}"
    )
    build.add_argument("directory", type=Path, metavar="DIR")
    build.add_argument(
        "--output", type=Path, help=f"where to write it (default DIR/{MANIFEST_NAME})"
    )


def run(args: argparse.Namespace) -> int:
    from schema import schema

    directory: Path = args.directory
    output: Path = args.output or directory / MANIFEST_NAME
    try:
        manifest = build_manifest(schema._schema, directory)
    except ManifestError as exc:
        for problem in exc.problems:
            print(f"opsgraph: {problem}", file=sys.stderr)
        return 1
    output.write_text(manifest_json(manifest), encoding="utf-8")
    print(f"wrote {len(manifest['operations'])} operations to {output}")
    return 0
