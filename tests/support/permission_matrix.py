"""The machinery of the permission matrix (tests/shared/test_permissions.py): the world every case
runs in, and how a case is written. Each domain lists its rows in tests/support/permission_cases/.

Letters: U superadmin, A admin, O ops, S sales, F finance, M manufacturer (its own records),
C customer (its own records), P partner, R readonly.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from auth.permissions import Role
from db.engine import Database
from resolvers.ids import decode_id
from tests.support.graphql import GraphQLClient, mutation_document

LETTERS = {
    "U": Role.SUPERADMIN,
    "A": Role.ADMIN,
    "O": Role.OPS,
    "S": Role.SALES,
    "F": Role.FINANCE,
    "M": Role.MANUFACTURER,
    "C": Role.CUSTOMER,
    "P": Role.PARTNER,
    "R": Role.READONLY,
}
_unique = itertools.count(1)


@dataclass
class World:
    """Catalog data every case can refer to, made by an admin."""

    admin: GraphQLClient
    family: dict[str, Any]
    own_manufacturer: dict[str, Any]
    other_manufacturer: dict[str, Any]
    category: dict[str, Any]
    product: dict[str, Any]
    variant: dict[str, Any]
    assignment: dict[str, Any]
    database: Database
    own_customer_id: uuid.UUID

    @property
    def own_manufacturer_uuid(self) -> uuid.UUID:
        return decode_id(self.own_manufacturer["id"])[1]


Variables = Callable[[World], Awaitable[dict[str, Any]]]


async def _none(world: World) -> dict[str, Any]:
    return {}


@dataclass
class Case:
    name: str  # "Query.field", "Mutation.field" or "Type.field"
    document: str
    allowed: str
    variables: Variables = _none
    # User error codes that still mean "allowed": the permission let the call through and a
    # business rule tested elsewhere answered (e.g. PAYMENTS_NOT_CONFIGURED: the matrix's
    # app has no Stripe key).
    passed_permission: frozenset[str] = frozenset()
    mutation: bool = field(init=False)

    def __post_init__(self) -> None:
        self.mutation = self.name.startswith("Mutation.")

    def allows(self, role: Role | None) -> bool:
        return role is not None and any(LETTERS[letter] == role for letter in self.allowed)


def input_of(build: Callable[[World], Awaitable[dict[str, Any]] | dict[str, Any]]) -> Variables:
    async def variables(world: World) -> dict[str, Any]:
        value = build(world)
        if not isinstance(value, dict):
            value = await value
        return {"input": value}

    return variables


def lookup_case(
    field: str, selection: str, allowed: str, record: Callable[[World], dict[str, Any]]
) -> Case:
    """`Query.<field>(id:)`, looking up a record of the world by its ID."""
    document = f"query($id: ID) {{ {field}(id: $id) {{ {selection} }} }}"
    return Case(f"Query.{field}", document, allowed, lambda w: given({"id": record(w)["id"]}))


def mutation_case(
    name: str, allowed: str, build: Any, passed_permission: frozenset[str] = frozenset()
) -> Case:
    document = mutation_document(name, "errors { code message }")
    return Case(f"Mutation.{name}", document, allowed, input_of(build), passed_permission)


def n() -> int:
    return next(_unique)


async def given(value: dict[str, Any]) -> dict[str, Any]:
    return value
