"""`uv run app.py graphiql install`: install GraphiQL's pinned browser assets (npm ci)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

from schema.graphiql_assets import AssetBundle

# --ignore-scripts: the browser builds are served as published, so no package needs to run
# code here. --loglevel=error hides the peer-range notices of the explorer's inner package.
NPM_CI = ("ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    graphiql = commands.add_parser("graphiql", help="GraphiQL's browser assets")
    actions = graphiql.add_subparsers(dest="graphiql_command", required=True)
    actions.add_parser(
        "install", help="install the pinned assets (npm ci in graphiql/) to serve them offline"
    )


def run(args: argparse.Namespace) -> int:
    assert args.graphiql_command == "install"  # the only action; argparse requires one
    return install(AssetBundle())


def install(bundle: AssetBundle, npm: str | None = None) -> int:
    npm = npm or shutil.which("npm")
    if npm is None:
        print(
            "opsgraph: npm not found; install Node.js and npm (Debian: apt-get install -y npm), "
            "or set OPSGRAPH_GRAPHIQL_ASSETS=cdn to load GraphiQL from a CDN",
            file=sys.stderr,
        )
        return 2
    result = subprocess.run([npm, *NPM_CI], cwd=bundle.directory, check=False)
    if result.returncode != 0:
        print(f"opsgraph: npm ci failed (exit {result.returncode})", file=sys.stderr)
        return 1
    missing = bundle.missing()
    if missing:
        names = ", ".join(f"{a.package}/{a.path}" for a in missing)
        print(f"opsgraph: npm ci did not provide {names}", file=sys.stderr)
        return 1
    versions = ", ".join(f"{name} {version}" for name, version in bundle.versions.items())
    print(f"GraphiQL assets installed in {bundle.directory / 'node_modules'}: {versions}")
    return 0
