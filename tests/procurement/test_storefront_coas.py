"""The storefront's COAs (issue 27 item 9, SPEC §9): anyone reads a product's verified COAs
through its variants' active lots, each once with those lots; drafts, rejected, superseded
and expired COAs, and lots that are not active, never show. The persisted GET is public for
300 s and the file links are stable public ones."""

from __future__ import annotations

from decimal import Decimal

from domain.coas import CoaStatus
from domain.procurement import LotStatus
from resolvers.ids import decode_id, encode_id
from settings import QueryLimits
from tests.support import coas as support
from tests.support.persisted import MANIFEST

STOREFRONT_COAS = next(op["id"] for op in MANIFEST["operations"] if op["name"] == "StorefrontCoas")
C = CoaStatus


async def test_anyone_reads_a_products_verified_coas_of_active_lots_once(client, database):
    product_id, (active, other_active, pending) = await support.product_with_lots(
        database, LotStatus.ACTIVE, LotStatus.ACTIVE, LotStatus.PENDING
    )
    # One certificate for the batch (both active lots and a pending one): listed once.
    batch = await support.verified(
        client,
        [active, other_active, pending],
        purityPercentage="98.7",
        analysisDate="2026-01-18",
        labName="Analytical Testing Services Inc.",
        labReference="ATS-2026-00142",
        purityRecords=[{"test": "Purity", "method": "HPLC", "result": "98.7%"}],
    )
    for status in (C.DRAFT, C.REJECTED, C.SUPERSEDED, C.EXPIRED):
        await support.coa(database, [active], status)
    await support.coa(database, [pending], C.VERIFIED)  # its only lot is not active
    _, (elsewhere,) = await support.product_with_lots(database, LotStatus.ACTIVE)
    await support.coa(database, [elsewhere], C.VERIFIED)  # another product's

    anonymous = client.anonymous()
    body = await anonymous.raw(support.STOREFRONT, {"productId": encode_id("Product", product_id)})
    assert "errors" not in body, body
    (coa,) = body["data"]["storefrontCoas"]
    assert coa["id"] == batch["id"] and coa["status"] == "verified"
    assert Decimal(coa["purityPercentage"]) == Decimal("98.7")
    assert coa["labName"] == "Analytical Testing Services Inc."
    assert coa["labReference"] == "ATS-2026-00142" and coa["analysisDate"] == "2026-01-18"
    assert coa["lots"] == sorted(
        [
            {"lotNumber": active.lot_number, "status": "active"},
            {"lotNumber": other_active.lot_number, "status": "active"},
        ],
        key=lambda lot: lot["lotNumber"],
    )
    assert coa["purityRecords"] == [{"test": "Purity", "method": "HPLC", "result": "98.7%"}]
    # The PDF at its stable public link, for anyone, cached for long.
    path = coa["fileUrl"].removeprefix("http://testserver")
    assert path == f"/files/public/{decode_id(batch['file']['id'])[1]}"
    served = await anonymous.http.get(path)
    assert served.status_code == 200 and served.content.startswith(b"%PDF-")
    assert "immutable" in served.headers["cache-control"]


async def test_a_product_without_verified_coas_has_none(client, database):
    product_id, (active,) = await support.product_with_lots(database, LotStatus.ACTIVE)
    await support.upload(client, [active])  # a draft
    body = await client.anonymous().raw(
        support.STOREFRONT, {"productId": encode_id("Product", product_id)}
    )
    assert body["data"] == {"storefrontCoas": []}


async def test_a_revision_replaces_its_predecessor_once_verified(client, database):
    product_id, (active,) = await support.product_with_lots(database, LotStatus.ACTIVE)
    first = await support.verified(client, [active])
    revised = await client.mutate(
        support.REVISE, {"input": {"id": first["id"], "file": support.pdf("v2")}}
    )
    variables = {"productId": encode_id("Product", product_id)}
    shown = await client.anonymous().raw(support.STOREFRONT, variables)
    assert shown["data"]["storefrontCoas"] == []  # v1 superseded, v2 still a draft
    await client.mutate(
        support.TRANSITION, {"input": {"id": revised["coa"]["id"], "status": "VERIFIED"}}
    )
    shown = await client.anonymous().raw(support.STOREFRONT, variables)
    assert [c["id"] for c in shown["data"]["storefrontCoas"]] == [revised["coa"]["id"]]
    assert shown["data"]["storefrontCoas"][0]["revision"] == 2


async def test_the_persisted_get_is_public_for_300_seconds(client, database):
    product_id, (active,) = await support.product_with_lots(database, LotStatus.ACTIVE)
    await support.verified(client, [active])
    params = {
        "documentId": STOREFRONT_COAS,
        "variables": f'{{"productId": "{encode_id("Product", product_id)}"}}',
    }
    answer = await client.anonymous().http.get("/graphql", params=params)
    assert answer.status_code == 200
    assert len(answer.json()["data"]["storefrontCoas"]) == 1
    assert answer.headers["cache-control"] == "public, max-age=300"
    again = await client.anonymous().http.get(
        "/graphql", params=params, headers={"If-None-Match": answer.headers["etag"]}
    )
    assert again.status_code == 304
    # Other persisted operations keep the server's default lifetime.
    viewer = next(op["id"] for op in MANIFEST["operations"] if op["name"] == "PartnerViewer")
    other = await client.anonymous().http.get("/graphql", params={"documentId": viewer})
    assert other.headers["cache-control"] == "public, max-age=60"


async def test_the_storefront_read_runs_two_statements_whatever_the_count(database, make_client):
    product_id, lots = await support.product_with_lots(database, *([LotStatus.ACTIVE] * 6))
    variables = {"productId": encode_id("Product", product_id)}

    async def statements() -> tuple[int, int]:
        async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as c:
            body = await c.raw(support.STOREFRONT, variables)
        assert "errors" not in body, body
        return body["extensions"]["debug"]["sqlStatements"], len(body["data"]["storefrontCoas"])

    await support.coa(database, lots[:1], C.VERIFIED)
    one, shown = await statements()
    assert shown == 1
    for lot in lots[1:]:
        await support.coa(database, [lot, lots[0]], C.VERIFIED)
    many, shown = await statements()
    assert shown == 6 and many == one
