"""The demo's procurement records (SPEC §8), made through procurement's services, read back
through the graph as a newcomer's GraphiQL shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from demo.seed import load_demo_data

YEAR = datetime.now(UTC).year
PO = """query($n: String) { purchaseOrder(poNumber: $n) {
  status paymentStatus total { amount currency } supplier { code name }
  lots { lotNumber status receivedQuantity inboundShipment { shipmentNumber }
    qcInspections { status result items { parameter testMethod observed unit passes } } }
  inboundShipments { shipmentNumber status sourceType packageCondition
    items { expectedQuantity receivedQuantity } }
  lines { quantityOrdered unitCost { amount } supplierSku product { code } variant { sku } }
  payments { status amountUsd { amount } crypto { currency amount rateUsd rateSource
    confirmations fee feeUsd { amount } } }
} }"""


async def test_the_demo_holds_po_0042_paid_in_btc_and_the_three_suppliers(
    client, database, files_settings
):
    await load_demo_data(database, files=files_settings)
    suppliers = await client("{ suppliers { edges { node { code name status } } } }")
    assert [e["node"]["code"] for e in suppliers["suppliers"]["edges"]] == ["BS", "CC", "PP"]
    po = (await client(PO, {"n": f"PO-{YEAR}-0042"}))["purchaseOrder"]
    assert (po["status"], po["paymentStatus"]) == ("RECEIVED", "PAID")
    assert [(lot["lotNumber"], lot["status"], lot["receivedQuantity"]) for lot in po["lots"]] == [
        ("BPC157-PP260315-01", "ACTIVE", 60),
        ("BPC157-PP260315-02", "QUARANTINED", 40),
    ]
    # Received through the PO's 3PL inbound shipment; -01 passed its QC, -02's has started.
    (shipment,) = po["inboundShipments"]
    assert (shipment["status"], shipment["sourceType"], shipment["packageCondition"]) == (
        "RECEIVED",
        "PURCHASE_ORDER",
        "GOOD",
    )
    assert shipment["items"] == [{"expectedQuantity": 100, "receivedQuantity": 100}]
    assert {lot["inboundShipment"]["shipmentNumber"] for lot in po["lots"]} == {
        shipment["shipmentNumber"]
    }
    (passed,), (started,) = (lot["qcInspections"] for lot in po["lots"])
    assert (passed["status"], passed["result"]) == ("COMPLETED", "PASS")
    assert [(i["parameter"], i["testMethod"], i["passes"]) for i in passed["items"]][:2] == [
        ("Purity", "HPLC", True),
        ("Identity", "MS", True),
    ]
    assert (started["status"], started["result"]) == ("IN_PROGRESS", None)
    assert po["total"] == {"amount": "3800.00", "currency": "USD"}
    assert po["supplier"] == {"code": "PP", "name": "PurePeptides Inc."}
    (line,) = po["lines"]
    assert (line["quantityOrdered"], line["unitCost"], line["supplierSku"]) == (
        100,
        {"amount": "38.00"},
        "PP-BPC-5",
    )
    assert (line["product"]["code"], line["variant"]["sku"]) == ("BPC157", "BPC157-5MG")
    (payment,) = po["payments"]
    assert payment["status"] == "CONFIRMED" and payment["amountUsd"] == {"amount": "3800.00"}
    assert payment["crypto"] == {
        "currency": "BTC",
        "amount": "0.04217391",
        "rateUsd": "90100.00",
        "rateSource": "KRAKEN",
        "confirmations": 3,
        "fee": "0.00001200",
        "feeUsd": {"amount": "1.08"},
    }
    overdue = await client(
        "{ purchaseOrders(filter: {overdue: true}) { edges { node { supplier { code } } } } }"
    )
    assert [e["node"]["supplier"]["code"] for e in overdue["purchaseOrders"]["edges"]] == ["CC"]
    drafts = await client(
        "{ purchaseOrders(filter: {statuses: [DRAFT]}) { edges { node { supplier { code } } } } }"
    )
    assert [e["node"]["supplier"]["code"] for e in drafts["purchaseOrders"]["edges"]] == ["BS"]


COA = """query($n: String) { lot(lotNumber: $n) { coas {
  status verified purityPercentage labName labReference analysisDate revision fileKey fileSha256
  purityRecords { test method result }
  file { sha256 contentType public publicUrl }
} } }"""


async def test_the_demo_lot_has_its_verified_coa_public_on_the_storefront(
    client, database, files_settings
):
    await load_demo_data(database, files=files_settings)
    (coa,) = (await client(COA, {"n": "BPC157-PP260315-01"}))["lot"]["coas"]
    assert (coa["status"], coa["verified"], coa["revision"]) == ("VERIFIED", True, 1)
    assert Decimal(coa["purityPercentage"]) == Decimal("98.7")
    assert coa["labName"] == "Analytical Testing Services Inc."
    assert coa["labReference"] == "ATS-2026-00142" and coa["analysisDate"] == "2026-01-18"
    assert coa["fileKey"] == "coa/BPC157-PP260315-01/BPC157-PP260315-01-coa-v1.pdf"
    assert coa["file"]["contentType"] == "application/pdf" and coa["file"]["public"] is True
    assert coa["fileSha256"] == coa["file"]["sha256"]
    assert coa["purityRecords"][0] == {"test": "Purity", "method": "HPLC", "result": "98.7%"}
    # The PDF is served at its public link, to anyone.
    path = coa["file"]["publicUrl"].removeprefix("http://testserver")
    served = await client.anonymous().http.get(path)
    assert served.status_code == 200 and served.content.startswith(b"%PDF-")
    # The storefront shows it for BPC-157, with its active lot only (-02 is in quarantine).
    product = await client(
        '{ products(filter: {search: "BPC157"}) { edges { node { id code } } } }'
    )
    (bpc,) = [e["node"] for e in product["products"]["edges"] if e["node"]["code"] == "BPC157"]
    shown = await client.anonymous()(
        "query($p: ID!) { storefrontCoas(productId: $p) { labReference lots { lotNumber } } }",
        {"p": bpc["id"]},
    )
    assert shown["storefrontCoas"] == [
        {"labReference": "ATS-2026-00142", "lots": [{"lotNumber": "BPC157-PP260315-01"}]}
    ]


DEMO_LABEL = """query($n: String) { lot(lotNumber: $n) { label {
  productName casNumber form purity storage ghsPictograms
} } }"""


async def test_the_demo_lots_label_carries_the_products_data_and_its_coas_purity(
    client, database, files_settings
):
    await load_demo_data(database, files=files_settings)
    label = (await client(DEMO_LABEL, {"n": "BPC157-PP260315-01"}))["lot"]["label"]
    assert label == {
        "productName": "BPC-157",
        "casNumber": "137525-51-0",
        "form": "LYOPHILIZED_POWDER",
        "purity": label["purity"],
        "storage": "-20 °C, desiccated, protect from light",
        "ghsPictograms": [],
    }
    assert Decimal(label["purity"]) == Decimal("98.7")  # its verified COA
    products = await client("{ products(first: 50) { edges { node { code casNumber } } } }")
    cas = {e["node"]["code"]: e["node"]["casNumber"] for e in products["products"]["edges"]}
    assert (cas["BPC157"], cas["TB500"]) == ("137525-51-0", "885340-08-9")
