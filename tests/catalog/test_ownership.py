"""Ownership: a manufacturer user sees and changes only its own manufacturer record.

Lists filter (they never fail), lookups of someone else's record answer null, and a
mutation on someone else's record is NOT_FOUND, exactly as for a record that does not exist.
"""

from __future__ import annotations

import pytest

from auth.permissions import Role
from resolvers.ids import decode_id
from tests.support import factories
from tests.support.db_state import snapshot

# The same answers with the batched engine on and off (OPSGRAPH_BATCHED_EXECUTION).
pytestmark = pytest.mark.both_executions

CAPABILITIES = """
mutation($input: UpdateManufacturerCapabilitiesInput!) {
  updateManufacturerCapabilities(input: $input) {
    manufacturer { name capabilities } errors { code field }
  }
}"""


async def _two_manufacturers(client):
    own = await factories.manufacturer(client, name="Own Works", paymentTerms="NET60")
    other = await factories.manufacturer(client, name="Other Works")
    return own, other, client.as_role(Role.MANUFACTURER, manufacturer_id=decode_id(own["id"])[1])


async def test_lists_show_a_manufacturer_only_its_own_record(client):
    _, _, manufacturer = await _two_manufacturers(client)
    data = await manufacturer(
        "{ manufacturers { totalCount edges { node { name paymentTerms } } } }"
    )
    assert data["manufacturers"] == {
        "totalCount": 1,
        "edges": [{"node": {"name": "Own Works", "paymentTerms": "NET60"}}],
    }
    # The same query as ops shows both: the filter comes from the grant, not the query.
    assert (await client.as_role(Role.OPS)("{ manufacturers { totalCount } }"))["manufacturers"][
        "totalCount"
    ] == 2


async def test_lookups_of_another_manufacturer_answer_null(client):
    own, other, manufacturer = await _two_manufacturers(client)
    data = await manufacturer(
        "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Manufacturer { name } } }",
        {"ids": [own["id"], other["id"]]},
    )
    assert data["nodes"] == [{"name": "Own Works"}, None]


async def test_a_manufacturer_without_its_claim_sees_nothing(client):
    await _two_manufacturers(client)
    # A manufacturer token bound to a manufacturer that does not exist.
    import uuid

    stranger = client.as_role(Role.MANUFACTURER, manufacturer_id=uuid.uuid4())
    data = await stranger("{ manufacturers { totalCount edges { node { name } } } }")
    assert data["manufacturers"] == {"totalCount": 0, "edges": []}


async def test_a_manufacturer_changes_its_own_capabilities_only(client, database):
    own, other, manufacturer = await _two_manufacturers(client)
    payload = await manufacturer.mutate(
        CAPABILITIES, {"input": {"id": own["id"], "capabilities": ["EMBROIDERY", "DTG"]}}
    )
    assert payload == {
        "manufacturer": {"name": "Own Works", "capabilities": ["EMBROIDERY", "DTG"]},
        "errors": [],
    }
    before = await snapshot(database)
    payload = await manufacturer.mutate(
        CAPABILITIES, {"input": {"id": other["id"], "capabilities": ["EMBROIDERY"]}}
    )
    assert payload == {
        "manufacturer": None,
        "errors": [{"code": "NOT_FOUND", "field": ["input", "id"]}],
    }
    assert await snapshot(database) == before


async def test_the_audit_entry_names_the_role(client, database):
    from tests.support.db_state import audit_entries

    own, _, manufacturer = await _two_manufacturers(client)
    await manufacturer.mutate(CAPABILITIES, {"input": {"id": own["id"], "capabilities": ["DTG"]}})
    entry = (await audit_entries(database))[-1]
    assert (entry.actor_type.value, entry.actor_id, entry.actor_role) == (
        "user",
        "test-manufacturer",
        "manufacturer",
    )
    assert entry.changes is not None
    assert entry.changes["before"] == {"capabilities": []}
    assert entry.changes["after"] == {"capabilities": ["dtg"]}
    assert entry.actor_ip and entry.request_id
