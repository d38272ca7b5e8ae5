"""Vial labels (seed 002 §10): a lot's label data (§10.1) in the graph, in a fixed number of
statements for any number of lots, and printVialLabels: a PDF of the §10.2 format's page size
downloaded through its signed link, whose barcode a real decoder reads back as catalog # and
lot #; refusals change nothing."""

from __future__ import annotations

import io
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from auth.permissions import Role
from db.models import AuditLog, Lot, Product, PurchaseOrder, Variant
from domain.catalog import ProductForm
from domain.coas import CoaStatus
from domain.enums import AuditAction
from domain.labels import MAX_COPIES
from domain.procurement import LotStatus, PurchaseOrderStatus
from resolvers.ids import encode_id
from resolvers.procurement import labels
from settings import QueryLimits
from tests.support import coas, seeding
from tests.support import procurement_seeding as seed
from tests.support.db_state import row_counts, snapshot
from tests.support.graphql import GraphQLClient, mutation_document

PRINT = mutation_document(
    "printVialLabels",
    "url fileName pageWidthInches pageHeightInches labelCount errors { code field message }",
)
LABEL = """query($id: ID) { lot(id: $id) { label {
  productName catalogNumber lotNumber quantity expirationDate barcodeValue researchUseOnly company
  casNumber form purity storage ghsPictograms
} } }"""
STORAGE = "-20 °C, desiccated, protect from light"
# Points per inch, as PDF pages measure.
PT = 72


async def _active_lot(database: Any, status: LotStatus = LotStatus.ACTIVE) -> Lot:
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(
        database, supplier.id, product.id, PurchaseOrderStatus.RECEIVED
    )
    return await seed.lot(database, order, status, expiration_date=date(2028, 1, 31))


async def _variant_and_product(database: Any, lot: Lot) -> tuple[Variant, Product]:
    async with database.transaction() as session:
        variant = await session.get(Variant, lot.variant_id)
        product = await session.get(Product, lot.product_id)
    assert variant is not None and product is not None
    return variant, product


async def _download(client: GraphQLClient, url: str) -> bytes:
    response = await client.http.get("/files/" + url.split("/files/", 1)[1])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/pdf")
    return response.content


def _barcodes(pdf: bytes, page: int) -> list[tuple[str, str]]:
    """The barcodes a decoder finds on a page rendered at 300 dpi, a label printer's
    resolution: (format, text)."""
    document = pypdfium2.PdfDocument(pdf)
    image = document[page].render(scale=300 / PT).to_pil()
    return [(found.format.name, found.text) for found in zxingcpp.read_barcodes(image)]


async def test_a_lot_shows_its_vial_label_data(client, database):
    lot = await _active_lot(database)
    variant, product = await _variant_and_product(database, lot)

    data = await client(LABEL, {"id": seeding.gid(lot)})

    assert data["lot"]["label"] == {
        "productName": product.name,
        "catalogNumber": variant.sku,
        "lotNumber": lot.lot_number,
        "quantity": variant.title,
        "expirationDate": "2028-01-31",
        "barcodeValue": f"{variant.sku}|{lot.lot_number}",
        "researchUseOnly": "FOR RESEARCH USE ONLY",
        "company": "Research Relay · research-relay.com",
        # No label data in the catalog and no COA: absent, not invented.
        "casNumber": None,
        "form": None,
        "purity": None,
        "storage": None,
        "ghsPictograms": [],
    }


async def _with_label_data(database: Any, lot: Lot, pictograms: list[str] | None = None) -> None:
    async with database.transaction() as session:
        product = await session.get(Product, lot.product_id)
        assert product is not None
        product.cas_number = "137525-51-0"
        product.form = ProductForm.LYOPHILIZED_POWDER
        product.storage_conditions = STORAGE
        product.ghs_pictograms = pictograms


async def test_the_label_shows_the_products_data_and_the_verified_coas_purity(client, database):
    lot = await _active_lot(database)
    await _with_label_data(database, lot, ["GHS02", "GHS07"])
    # Only a verified COA counts; of several, the newest analysis (not the newest upload).
    await coas.coa(
        database,
        [lot],
        CoaStatus.VERIFIED,
        purity_percentage=Decimal("99.450"),
        analysis_date=date(2026, 11, 2),
    )
    await coas.coa(
        database,
        [lot],
        CoaStatus.VERIFIED,
        purity_percentage=Decimal("98.100"),
        analysis_date=date(2026, 10, 1),
    )
    await coas.coa(
        database,
        [lot],
        CoaStatus.DRAFT,
        purity_percentage=Decimal("99.900"),
        analysis_date=date(2026, 12, 1),
    )
    await coas.coa(
        database,
        [lot],
        CoaStatus.REJECTED,
        purity_percentage=Decimal("99.800"),
        analysis_date=date(2026, 12, 2),
    )

    label = (await client(LABEL, {"id": seeding.gid(lot)}))["lot"]["label"]

    assert label["casNumber"] == "137525-51-0"
    assert label["form"] == "LYOPHILIZED_POWDER"
    assert Decimal(label["purity"]) == Decimal("99.45")
    assert label["storage"] == STORAGE
    assert label["ghsPictograms"] == ["GHS02", "GHS07"]


@pytest.mark.parametrize(
    "status", [CoaStatus.DRAFT, CoaStatus.REJECTED, CoaStatus.SUPERSEDED], ids=lambda s: s.value
)
async def test_a_lot_without_a_verified_coa_has_no_purity(client, database, status):
    lot = await _active_lot(database)
    await coas.coa(database, [lot], status, purity_percentage=Decimal("99.5"))
    label = (await client(LABEL, {"id": seeding.gid(lot)}))["lot"]["label"]
    assert label["purity"] is None


LOTS_WITH_LABELS = """{ purchaseOrders(first: 100) { edges { node {
  lots { lotNumber label { productName catalogNumber quantity barcodeValue casNumber purity } }
} } } }"""


async def _label_statements(make_client: Any) -> tuple[int, list[dict[str, Any]]]:
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        body = await client.raw(LOTS_WITH_LABELS)
    assert "errors" not in body, body.get("errors")
    lots = [lot for edge in body["data"]["purchaseOrders"]["edges"] for lot in edge["node"]["lots"]]
    return body["extensions"]["debug"]["sqlStatements"], lots


async def _lot_with_a_verified_coa(database: Any, status: LotStatus = LotStatus.ACTIVE) -> None:
    lot = await _active_lot(database, status)
    await _with_label_data(database, lot)
    await coas.coa(database, [lot], CoaStatus.VERIFIED)


async def test_labels_of_60_lots_run_the_statements_of_10(database, make_client):
    for _ in range(5):
        await _lot_with_a_verified_coa(database)
        await _active_lot(database, LotStatus.QUARANTINED)
    with_10, lots = await _label_statements(make_client)
    assert len(lots) == 10

    for _ in range(25):
        await _lot_with_a_verified_coa(database)
        await _active_lot(database, LotStatus.PENDING)
    with_60, lots = await _label_statements(make_client)
    assert len(lots) == 60
    assert all(lot["label"]["barcodeValue"].endswith("|" + lot["lotNumber"]) for lot in lots)
    # Half the lots have a verified COA (its purity) and a CAS number: read, not skipped.
    assert sum(lot["label"]["purity"] is not None for lot in lots) == 30
    assert sum(lot["label"]["casNumber"] == "137525-51-0" for lot in lots) == 30
    assert with_60 == with_10


FORMATS = [
    # (format, page size in inches, the symbology on it)
    ("SMALL_VIAL", (1.0, 0.5), "QRCode"),
    ("STANDARD_VIAL", (2.0, 1.0), "QRCode"),
    ("BOTTLE", (3.0, 2.0), "Code128"),
]


@pytest.mark.parametrize(("label_format", "inches", "symbology"), FORMATS)
async def test_printed_labels_are_a_pdf_of_the_formats_size_with_a_readable_barcode(
    client, database, label_format, inches, symbology
):
    first, second = await _active_lot(database), await _active_lot(database)
    variants = [(await _variant_and_product(database, lot))[0] for lot in (first, second)]

    payload = await client.as_role(Role.OPS).mutate(
        PRINT,
        {
            "input": {
                "lotIds": [seeding.gid(first), seeding.gid(second)],
                "format": label_format,
                "copies": 2,
            }
        },
    )

    assert payload["errors"] == []
    assert payload["labelCount"] == 4
    assert (payload["pageWidthInches"], payload["pageHeightInches"]) == inches
    assert payload["fileName"].endswith(".pdf") and first.lot_number in payload["fileName"]
    pdf = await _download(client, payload["url"])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 4  # each lot twice, in the order given
    for index, page in enumerate(reader.pages):
        lot, variant = (first, variants[0]) if index < 2 else (second, variants[1])
        box = page.mediabox
        assert (float(box.width), float(box.height)) == (inches[0] * PT, inches[1] * PT)
        text = page.extract_text()
        assert lot.lot_number in text and "EXP 2028-01-31" in text
        if label_format != "SMALL_VIAL":  # the small vial has minimal information only
            assert "FOR RESEARCH USE ONLY" in text and variant.sku in text
        assert _barcodes(pdf, index) == [(symbology, f"{variant.sku}|{lot.lot_number}")]


# What each format prints of the label data: the small vial minimal information only, the
# standard vial the full information, the bottle that and the GHS pictograms (§10.2).
FULL_INFO = ["CAS 137525-51-0", "PURITY 98.7%", "Lyophilized powder", f"STORE {STORAGE}"]
PICTOGRAMS = ["GHS05", "GHS08"]


@pytest.mark.parametrize(
    ("label_format", "printed", "left_off"),
    [
        ("SMALL_VIAL", [], FULL_INFO + PICTOGRAMS),
        ("STANDARD_VIAL", FULL_INFO, PICTOGRAMS),
        ("BOTTLE", FULL_INFO + PICTOGRAMS, []),
    ],
)
async def test_each_format_prints_its_share_of_the_label_data(
    client, database, label_format, printed, left_off
):
    lot = await _active_lot(database)
    await _with_label_data(database, lot, PICTOGRAMS)
    await coas.coa(database, [lot], CoaStatus.VERIFIED, purity_percentage=Decimal("98.700"))
    variant, _ = await _variant_and_product(database, lot)

    payload = await client.mutate(
        PRINT, {"input": {"lotIds": [seeding.gid(lot)], "format": label_format}}
    )

    assert payload["errors"] == []
    pdf = await _download(client, payload["url"])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert lot.lot_number in text
    assert all(line in text for line in printed), text
    assert not any(line in text for line in left_off), text
    # The pictograms leave the barcode readable.
    symbology = "Code128" if label_format == "BOTTLE" else "QRCode"
    assert _barcodes(pdf, 0) == [(symbology, f"{variant.sku}|{lot.lot_number}")]


async def test_a_draft_coas_purity_is_not_printed(client, database):
    lot = await _active_lot(database)
    await coas.coa(database, [lot], CoaStatus.DRAFT, purity_percentage=Decimal("98.700"))
    payload = await client.mutate(
        PRINT, {"input": {"lotIds": [seeding.gid(lot)], "format": "STANDARD_VIAL"}}
    )
    text = PdfReader(io.BytesIO(await _download(client, payload["url"]))).pages[0].extract_text()
    assert lot.lot_number in text and "PURITY" not in text


async def test_printing_records_it_in_each_lots_audit_log(client, database):
    lots = [await _active_lot(database) for _ in range(2)]
    payload = await client.mutate(
        PRINT, {"input": {"lotIds": [seeding.gid(lot) for lot in lots], "format": "BOTTLE"}}
    )
    assert payload["errors"] == [] and payload["labelCount"] == 2

    async with database.transaction() as session:
        entries = (
            await session.scalars(
                select(AuditLog).where(AuditLog.action == AuditAction.LABELS_PRINTED)
            )
        ).all()
    assert sorted(e.entity_id for e in entries) == sorted(lot.id for lot in lots)
    assert all(e.context and e.context["format"] == "bottle" for e in entries)
    assert all(e.context and e.context["copies"] == 1 for e in entries)


async def _refused(client: GraphQLClient, database: Any, values: dict[str, Any]) -> list[Any]:
    before = await snapshot(database)
    payload = await client.mutate(PRINT, {"input": {"format": "STANDARD_VIAL", **values}})
    assert payload["url"] is None and payload["labelCount"] is None
    assert await snapshot(database) == before  # no file row, no audit entry
    return [(e["code"], e["field"]) for e in payload["errors"]]


@pytest.mark.parametrize(
    "status", [s for s in LotStatus if s is not LotStatus.ACTIVE], ids=lambda s: s.value
)
async def test_only_released_lots_get_labels(client, database, status):
    released, held = await _active_lot(database), await _active_lot(database, status)
    errors = await _refused(
        client, database, {"lotIds": [seeding.gid(released), seeding.gid(held)]}
    )
    assert errors == [("VALIDATION", ["input", "lotIds"])]


async def test_an_unknown_lot_is_not_found(client, database):
    lot = await _active_lot(database)
    missing = encode_id("Lot", uuid.uuid4())
    errors = await _refused(client, database, {"lotIds": [seeding.gid(lot), missing]})
    assert errors == [("NOT_FOUND", ["input", "lotIds"])]


@pytest.mark.parametrize("copies", [0, -1, MAX_COPIES + 1])
async def test_copies_are_bounded(client, database, copies):
    lot = await _active_lot(database)
    errors = await _refused(client, database, {"lotIds": [seeding.gid(lot)], "copies": copies})
    assert errors == [("VALIDATION", ["input", "copies"])]


async def test_too_many_labels_in_all_are_refused(client, database):
    lots = [await _active_lot(database) for _ in range(6)]
    errors = await _refused(
        client, database, {"lotIds": [seeding.gid(lot) for lot in lots], "copies": MAX_COPIES}
    )
    assert errors == [("VALIDATION", ["input", "copies"])]


async def test_no_lots_or_another_records_id_is_refused(client, database):
    lot = await _active_lot(database)
    assert await _refused(client, database, {"lotIds": []}) == [("VALIDATION", ["input", "lotIds"])]
    async with database.transaction() as session:
        order = await session.get(PurchaseOrder, lot.purchase_order_id)
    assert order is not None
    errors = await _refused(client, database, {"lotIds": [seeding.gid(order)]})
    assert errors == [("VALIDATION", ["input", "lotIds"])]


async def test_a_lot_recalled_while_its_labels_are_drawn_fails_the_print(
    client, database, monkeypatch
):
    lot = await _active_lot(database)
    read = labels._labels

    async def read_then_recall(reader: Any, pks: Any) -> Any:
        found = await read(reader, pks)
        async with database.transaction() as session:
            row = await session.get(Lot, lot.id)
            assert row is not None
            row.status = LotStatus.RECALLED
        return found

    monkeypatch.setattr(labels, "_labels", read_then_recall)
    before = await row_counts(database)

    payload = await client.mutate(
        PRINT, {"input": {"lotIds": [seeding.gid(lot)], "format": "BOTTLE"}}
    )

    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("VALIDATION", ["input", "lotIds"])
    ]
    assert payload["url"] is None
    after = await row_counts(database)
    # No file row and no audit entry (the recall itself is logged as a change).
    assert {t: after[t] for t in ("files", "audit_log")} == {
        t: before[t] for t in ("files", "audit_log")
    }
