"""A routed world for tests about routing and what follows it: the WRESTLING family with its
default, backup and assigned manufacturers, approved orders, and the jobs they split into."""

from __future__ import annotations

from typing import Any

from tests.support import factories, order_factories
from tests.support.graphql import GraphQLClient

JOB = """
  id jobNumber status quantity dueDate routedBy routingSource routingReason decorationType
  version quotedCost { amount }
  manufacturer { id name } originalManufacturer { name } replacesJob { jobNumber }
  items { quantity }
"""
ORDER_JOBS = "query($id: ID!) { node(id: $id) { ... on Order { routedAt jobs { " + JOB + " } } } }"
DECISION = """
  routedBy source reason warnings
  candidates { source available reasons manufacturer { name } }
  manufacturer { name } previousManufacturer { name } job { jobNumber }
"""
ERRORS = "errors { code field message }"
REASSIGN = (
    "mutation($input: ReassignJobInput!) { reassignJob(input: $input) {"
    f" job {{ {JOB} }} decision {{ {DECISION} }} warnings {ERRORS} }} }}"
)
UPDATE_MFR = (
    "mutation($input: UpdateManufacturerInput!) { updateManufacturer(input: $input) {"
    " manufacturer { id creditLimit { amount } currentBalance { amount }"
    f" availableCredit {{ amount }} creditHoldEnabled paymentStanding }} {ERRORS} }} }}"
)


async def manufacturer(client: GraphQLClient, name: str, **values: Any) -> Any:
    values = {"name": name, "onboardingStatus": "ACTIVE", "capabilities": ["DTG"], **values}
    return await factories.manufacturer(client, **values)


async def variant_of(client: GraphQLClient, family_id: str | None, **product: Any) -> Any:
    if family_id is not None:
        product["productFamilyId"] = family_id
    made = await factories.product(client, **product)
    return await factories.variant(client, made["id"], size="M", price="10.00")


async def approved(client: GraphQLClient, lines: list[tuple[str, int]], **values: Any) -> Any:
    customer = await order_factories.customer(client)
    return await order_factories.approved(client, customer["id"], lines, **values)


async def jobs_of(client: GraphQLClient, order_id: str) -> list[Any]:
    jobs: list[Any] = (await client(ORDER_JOBS, {"id": order_id}))["node"]["jobs"]
    return sorted(jobs, key=lambda j: j["jobNumber"])


async def routed_family(
    client: GraphQLClient, code: str, default: Any, backup: Any, cost_per_unit: str
) -> Any:
    """A family routed to `default` (its priority-1 assignment, DTG at `cost_per_unit`), with
    `backup` as its fallback."""
    family = await factories.family(
        client, code=code, defaultManufacturerId=default["id"], backupManufacturerId=backup["id"]
    )
    await factories.assignment(
        client, family["id"], default["id"], priority=1, canDtg=True, costPerUnit=cost_per_unit
    )
    return family


async def world(client: GraphQLClient, **hawk: Any) -> dict[str, Any]:
    """WRESTLING: Hawk default, Riddle backup, Zab assigned (priority 2)."""
    hawk_row = await manufacturer(client, "Hawk", **hawk)
    riddle = await manufacturer(client, "Riddle")
    zab = await manufacturer(client, "Zab")
    family = await routed_family(client, "WRESTLING", hawk_row, riddle, "12.00")
    await factories.assignment(client, family["id"], zab["id"], priority=2, canDtg=True)
    variant = await variant_of(client, family["id"])
    return {"hawk": hawk_row, "riddle": riddle, "zab": zab, "family": family, "variant": variant}


async def reassign_to_zab(client: GraphQLClient, w: dict[str, Any], job: Any, **input: Any) -> Any:
    """Move a job of Hawk's to Zab ("Hawk is behind"): Hawk's followers lose sight of it."""
    payload = await client.mutate(
        REASSIGN,
        {
            "input": {
                "jobId": job["id"],
                "manufacturerId": w["zab"]["id"],
                "reason": "Hawk is behind",
                **input,
            }
        },
    )
    assert payload["errors"] == []
    return payload
