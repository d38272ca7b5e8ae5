"""COA rows of the permission matrix (issue 27 items 8 and 9): COAs are read by the
procurement viewers (U A O F R); uploading, changing, verifying, rejecting, expiring,
revising and attaching them is "QC and COA verification" (qc:write: U A O). The storefront
read, `storefrontCoas`, is public (tests/shared/test_permissions.py UNGUARDED_ROOT_FIELDS)."""

from __future__ import annotations

from typing import Any

from domain.coas import CoaStatus
from tests.support import coas as support
from tests.support import seeding
from tests.support.permission_matrix import Case, World, mutation_case

VIEW, VERIFY = "UAOFR", "UAO"


async def _coa(world: World, status: CoaStatus = CoaStatus.DRAFT) -> Any:
    return await support.coa(world.database, [await support.lot(world.database)], status)


async def _lookup(world: World) -> dict[str, Any]:
    return {"id": seeding.gid(await _coa(world))}


async def _new(world: World) -> dict[str, Any]:
    lot = await support.lot(world.database)
    return {"lotIds": [seeding.gid(lot)], "file": support.pdf(), "labName": "Lab"}


async def _update(world: World) -> dict[str, Any]:
    return {"id": seeding.gid(await _coa(world)), "labName": "Other"}


async def _attach(world: World) -> dict[str, Any]:
    lot = await support.lot(world.database)
    return {"id": seeding.gid(await _coa(world)), "lotIds": [seeding.gid(lot)]}


async def _verify(world: World) -> dict[str, Any]:
    return {"id": seeding.gid(await _coa(world)), "status": "VERIFIED"}


async def _revise(world: World) -> dict[str, Any]:
    verified = await _coa(world, CoaStatus.VERIFIED)
    return {"id": seeding.gid(verified), "file": support.pdf(), "reason": "typo"}


CASES: list[Case] = [
    Case("Query.coas", "{ coas { totalCount } }", VIEW),
    Case("Query.coa", "query($id: ID) { coa(id: $id) { fileKey status } }", VIEW, _lookup),
    mutation_case("createCoa", VERIFY, _new),
    mutation_case("updateCoa", VERIFY, _update),
    mutation_case("attachCoaToLots", VERIFY, _attach),
    mutation_case("transitionCoa", VERIFY, _verify),
    mutation_case("reviseCoa", VERIFY, _revise),
]
