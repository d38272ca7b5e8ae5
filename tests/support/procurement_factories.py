"""Build procurement data through the public mutations, as a client would.

supplier = await procurement_factories.supplier(admin)               # ACTIVE, a fresh code
product = await procurement_factories.product(admin)                 # with a product code
price = await procurement_factories.price_list(admin, supplier["id"], product["id"])
po = await procurement_factories.draft_po(admin, supplier["id"], [(product["id"], 10)])
po = await procurement_factories.submitted_po(admin, ...)
"""

from __future__ import annotations

import itertools
import string
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support import factories
from tests.support.graphql import GraphQLClient, mutation_document

_seq = itertools.count(1)
ERRORS = "errors { code field message }"

SUPPLIER_FIELDS = """
  id name code status statusReason blockKind version country defaultCurrency
  allowedTransitions
"""
PO_FIELDS = """
  id poNumber status paymentStatus version supplierHold supplierHoldReason cancelReason
  orderedAt expectedAt isOverdue
  subtotal { amount currency } shippingCost { amount } taxAmount { amount }
  total { amount currency }
  lines { id position quantityOrdered quantityReceived supplierSku unitCost { amount currency }
          lineTotal { amount } }
  allowedTransitions
"""
PAYMENT_FIELDS = """
  id idempotencyKey paymentMethod status paidAt confirmedAt failedAt failureReason version
  amountUsd { amount currency }
  crypto { currency amount rateUsd rateSource rateTimestamp network txHash fromAddress
           toAddress confirmations fee feeUsd { amount currency } }
  fiat { reference bank }
"""
PRICE_FIELDS = """
  id supplierSku unitQuantity minimumOrderQuantity effectiveDate expiresAt isActive inEffect
  supplierHold version unitCost { amount currency }
"""

CREATE_SUPPLIER = mutation_document("createSupplier", f"supplier {{ {SUPPLIER_FIELDS} }} {ERRORS}")
UPDATE_SUPPLIER = mutation_document("updateSupplier", f"supplier {{ {SUPPLIER_FIELDS} }} {ERRORS}")
CHANGE_SUPPLIER_STATUS = mutation_document(
    "changeSupplierStatus", f"supplier {{ {SUPPLIER_FIELDS} }} {ERRORS}"
)
DELETE_SUPPLIER = mutation_document("deleteSupplier", f"deletedId {ERRORS}")
CREATE_PRICE_LIST = mutation_document(
    "createSupplierPriceList", f"priceList {{ {PRICE_FIELDS} }} {ERRORS}"
)
UPDATE_PRICE_LIST = mutation_document(
    "updateSupplierPriceList", f"priceList {{ {PRICE_FIELDS} }} {ERRORS}"
)
DELETE_PRICE_LIST = mutation_document("deleteSupplierPriceList", f"deletedId {ERRORS}")
CREATE_PO = mutation_document("createPurchaseOrder", f"purchaseOrder {{ {PO_FIELDS} }} {ERRORS}")
UPDATE_PO = mutation_document("updatePurchaseOrder", f"purchaseOrder {{ {PO_FIELDS} }} {ERRORS}")
ADD_LINE = mutation_document("addPurchaseOrderLine", f"purchaseOrder {{ {PO_FIELDS} }} {ERRORS}")
REMOVE_LINE = mutation_document(
    "removePurchaseOrderLine", f"purchaseOrder {{ {PO_FIELDS} }} {ERRORS}"
)
DELETE_PO = mutation_document("deletePurchaseOrder", f"deletedId {ERRORS}")
SUBMIT_PO = mutation_document("submitPurchaseOrder", f"purchaseOrder {{ {PO_FIELDS} }} {ERRORS}")
CANCEL_PO = mutation_document("cancelPurchaseOrder", f"purchaseOrder {{ {PO_FIELDS} }} {ERRORS}")
TRANSITION_PO = mutation_document(
    "transitionPurchaseOrder", f"purchaseOrder {{ {PO_FIELDS} }} {ERRORS}"
)
RECORD_PAYMENT = mutation_document(
    "recordPurchaseOrderPayment", f"payment {{ {PAYMENT_FIELDS} }} {ERRORS}"
)
CONFIRM_PAYMENT = mutation_document(
    "confirmPurchaseOrderPayment", f"payment {{ {PAYMENT_FIELDS} }} {ERRORS}"
)
FAIL_PAYMENT = mutation_document(
    "failPurchaseOrderPayment", f"payment {{ {PAYMENT_FIELDS} }} {ERRORS}"
)
PURCHASE_ORDER = f"query($id: ID) {{ purchaseOrder(id: $id) {{ {PO_FIELDS} }} }}"
SUPPLIER = f"query($id: ID) {{ supplier(id: $id) {{ {SUPPLIER_FIELDS} }} }}"


def code() -> str:
    """A fresh 2-4 letter supplier code."""
    n = next(_seq)
    letters = string.ascii_uppercase
    return "Q" + letters[(n // 676) % 26] + letters[(n // 26) % 26] + letters[n % 26]


async def supplier(client: GraphQLClient, **values: Any) -> Any:
    n = next(_seq)
    values = {"name": f"Supplier {n}", "code": code(), **values}
    return await client.mutate_ok(CREATE_SUPPLIER, values, "supplier")


async def product(client: GraphQLClient, **values: Any) -> Any:
    """A product with a code and one variant (a PO line takes it without being told)."""
    n = next(_seq)
    made = await factories.product(client, **{"code": f"P{n}", **values})
    variant = await factories.variant(client, made["id"], sku=f"P{n}-5MG", size="5mg")
    return {**made, "variant": variant}


def yesterday() -> str:
    return (datetime.now(UTC) - timedelta(days=1)).isoformat()


async def price_list(
    client: GraphQLClient, supplier_id: str, product_id: str, **values: Any
) -> Any:
    values = {
        "supplierId": supplier_id,
        "productId": product_id,
        "unitCost": "12.50",
        "effectiveDate": yesterday(),
        "supplierSku": f"SKU-{next(_seq)}",
        **values,
    }
    return await client.mutate_ok(CREATE_PRICE_LIST, values, "priceList")


def lines(specs: list[tuple[str, int]], unit_cost: str | None = "10.00") -> list[dict[str, Any]]:
    return [
        {"productId": p, "quantity": q, **({"unitCost": unit_cost} if unit_cost else {})}
        for p, q in specs
    ]


async def draft_po(
    client: GraphQLClient,
    supplier_id: str,
    specs: list[tuple[str, int]],
    unit_cost: str | None = "10.00",
    **values: Any,
) -> Any:
    values = {"supplierId": supplier_id, "lines": lines(specs, unit_cost), **values}
    return await client.mutate_ok(CREATE_PO, values, "purchaseOrder")


async def submitted_po(
    client: GraphQLClient,
    supplier_id: str,
    specs: list[tuple[str, int]],
    unit_cost: str | None = "10.00",
    **values: Any,
) -> Any:
    po = await draft_po(client, supplier_id, specs, unit_cost, **values)
    return await client.mutate_ok(SUBMIT_PO, {"id": po["id"]}, "purchaseOrder")


async def world(client: GraphQLClient) -> tuple[Any, Any]:
    """An active supplier and a product with a price list of it."""
    s = await supplier(client)
    p = await product(client)
    await price_list(client, s["id"], p["id"])
    return s, p


def btc_payment(purchase_order_id: str, key: str = "po-42-btc", **values: Any) -> dict[str, Any]:
    """SPEC §8's PO-2026-0042 payment: $3,800 = 0.04217391 BTC at 90100.00 (kraken)."""
    return {
        "purchaseOrderId": purchase_order_id,
        "idempotencyKey": key,
        "amountUsd": "3800.00",
        "paymentMethod": "CRYPTO",
        "paidAt": "2026-03-10T15:00:00+00:00",
        "crypto": {
            "currency": "BTC",
            "amount": "0.04217391",
            "rateUsd": "90100.00",
            "rateSource": "KRAKEN",
            "rateTimestamp": "2026-03-10T14:59:00+00:00",
            "network": "BITCOIN",
            "txHash": "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
            "fromAddress": "bc1qfromaddress",
            "toAddress": "bc1qtoaddress",
            "confirmations": 3,
            "fee": "0.00001200",
            "feeUsd": "1.08",
        },
        **values,
    }


LOT_FIELDS = """
  id lotNumber supplierLotNumber manufactureDate expirationDate receivedQuantity status
  packageCondition temperatureOnArrival
"""
RECEIVE = mutation_document(
    "receivePurchaseOrder",
    f"purchaseOrder {{ {PO_FIELDS} }} lots {{ {LOT_FIELDS} }} {ERRORS}",
)


async def confirmed_po(
    client: GraphQLClient, supplier_id: str, specs: list[tuple[str, int]], **values: Any
) -> Any:
    po = await submitted_po(client, supplier_id, specs, **values)
    return await client.mutate_ok(
        TRANSITION_PO, {"id": po["id"], "status": "CONFIRMED"}, "purchaseOrder"
    )


def received(po: dict[str, Any], *quantities: int, **values: Any) -> dict[str, Any]:
    """receivePurchaseOrder's input: `quantities[i]` of line i, arrived in GOOD condition
    unless told (the PO's inbound shipment is received with its condition, BR-41)."""
    return {
        "purchaseOrderId": po["id"],
        "packageCondition": "GOOD",
        "lines": [
            {"lineId": line["id"], "quantity": q, "supplierLotNumber": f"SUP-{next(_seq)}"}
            for line, q in zip(po["lines"], quantities, strict=False)
            if q
        ],
        **values,
    }
