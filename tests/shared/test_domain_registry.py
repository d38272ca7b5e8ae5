"""A domain joins each layer by one line in a list (README "Adding a domain"). A line left
out would pass unnoticed — a reaction never registered, a package no import contract checks,
a graph domain never served — so each list is checked against the packages on disk."""

from __future__ import annotations

import ast
import importlib
import tomllib
from pathlib import Path
from types import ModuleType

import auth.permissions
import schema.domains
from schema.domain import GraphDomain

ROOT = Path(__file__).resolve().parents[2]
SHARED_RESOLVER_PACKAGES = {"events"}  # the typed events every domain may import
REPORTS = {"dashboard"}  # reads other domains' sources; has a contract of its own
REPORTS_MODULES = {f"resolvers.{d}" for d in REPORTS}


def _packages(layer: str) -> set[str]:
    return {p.name for p in (ROOT / layer).iterdir() if (p / "__init__.py").is_file()}


def _contract(name_starts: str, key: str) -> set[str]:
    """The module list `key` of the import contract whose name starts with `name_starts`."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = pyproject["tool"]["importlinter"]["contracts"]
    (found,) = [c for c in contracts if c["name"].startswith(name_starts)]
    return set(found[key])


def _imported_modules(module_file: Path) -> set[str]:
    tree = ast.parse(module_file.read_text())
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }


def test_every_resolver_domain_is_in_the_independence_and_dashboard_contracts() -> None:
    domains = {f"resolvers.{d}" for d in _packages("resolvers") - SHARED_RESOLVER_PACKAGES}
    independent = _contract("the domains of resolvers", "modules")
    assert domains - REPORTS_MODULES == independent
    barred = _contract("the dashboard reads", "forbidden_modules")
    for domain in domains - REPORTS_MODULES:
        assert any(m == domain or m.startswith(domain + ".") for m in barred), domain


def test_every_handlers_module_is_imported_at_start_up() -> None:
    handlers = {
        f"resolvers.{p.parent.name}.handlers" for p in (ROOT / "resolvers").glob("*/handlers.py")
    }
    assert handlers, "no handlers modules found"
    assert handlers <= _imported_modules(ROOT / "resolvers" / "subscribers.py")


def test_every_graph_domain_is_served() -> None:
    declared: list[GraphDomain] = []
    for graph in (ROOT / "schema").glob("*/graph.py"):
        module: ModuleType = importlib.import_module(f"schema.{graph.parent.name}.graph")
        declared += [v for v in vars(module).values() if isinstance(v, GraphDomain)]
    assert declared
    assert {id(d) for d in declared} == {id(d) for d in schema.domains.DOMAINS}


def test_every_domain_modules_grants_are_in_the_permission_table() -> None:
    granted = {id(rows) for rows in auth.permissions.DOMAIN_GRANTS}
    for path in (ROOT / "domain").glob("*.py"):
        module = importlib.import_module(f"domain.{path.stem}")
        if hasattr(module, "GRANTS"):
            assert id(module.GRANTS) in granted, f"domain.{path.stem}.GRANTS"


def test_every_test_folder_is_in_the_test_contracts() -> None:
    folders = {f"tests.{d}" for d in _packages("tests") - {"support"}}
    assert _contract("test folders import", "modules") == folders
    assert _contract("test helpers import", "forbidden_modules") == folders
