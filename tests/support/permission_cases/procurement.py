"""Procurement rows of the permission matrix (issue 27 item 11, checked against SPEC §4):
viewing procurement is superadmin, admin, ops, finance and readonly; managing suppliers,
price lists and purchase orders is admin and ops; recording and confirming PO payments is
admin and finance. Unit costs and totals are cost data (A O F); a supplier's tax ID is tax
data (A F)."""

from __future__ import annotations

from typing import Any

from domain.procurement import LotStatus, PurchaseOrderStatus
from tests.support import procurement_factories as pf
from tests.support import procurement_seeding as seed
from tests.support import seeding
from tests.support.permission_matrix import Case, World, mutation_case


async def _supplier(world: World) -> Any:
    return await pf.supplier(world.admin)


async def _product_id(world: World) -> str:
    """A product with one variant (a PO line takes it; stock is kept per variant)."""
    return str((await pf.product(world.admin))["id"])


async def _draft(world: World) -> Any:
    supplier = await _supplier(world)
    return await pf.draft_po(world.admin, supplier["id"], [(await _product_id(world), 2)])


async def _submitted(world: World) -> Any:
    supplier = await _supplier(world)
    return await pf.submitted_po(world.admin, supplier["id"], [(await _product_id(world), 2)])


async def _id_of(make: Any, world: World) -> dict[str, Any]:
    return {"id": (await make(world))["id"]}


async def _pending_payment(world: World) -> Any:
    po = await _submitted(world)
    return await world.admin.mutate_ok(
        pf.RECORD_PAYMENT, pf.btc_payment(po["id"], key=f"k{pf.code()}"), "payment"
    )


async def _price_list(world: World) -> Any:
    return await pf.price_list(world.admin, (await _supplier(world))["id"], world.product["id"])


async def _po_lookup(world: World) -> dict[str, Any]:
    return {"id": (await _submitted(world))["id"]}


async def _supplier_lookup(world: World) -> dict[str, Any]:
    return {"id": (await _supplier(world))["id"]}


async def _price_lookup(world: World) -> dict[str, Any]:
    price = await _price_list(world)
    return {"id": price["id"]}


async def _effective(world: World) -> dict[str, Any]:
    supplier = await _supplier(world)
    await pf.price_list(world.admin, supplier["id"], world.product["id"])
    return {"s": supplier["id"], "p": world.product["id"]}


PO_Q = "query($id: ID) { purchaseOrder(id: $id) { %s } }"
SUPPLIER_Q = "query($id: ID) { supplier(id: $id) { %s } }"
VIEW, MANAGE, PAY, COSTS, TAX = "UAOFR", "UAO", "UAF", "UAOF", "UAF"


async def _with(make: Any, world: World, **values: Any) -> dict[str, Any]:
    return {"id": (await make(world))["id"], **values}


async def _supplier_with_price(world: World) -> dict[str, Any]:
    supplier = await _supplier(world)
    await pf.price_list(world.admin, supplier["id"], world.product["id"])
    return {"id": supplier["id"]}


async def _new_price(world: World) -> dict[str, Any]:
    return {
        "supplierId": (await _supplier(world))["id"],
        "productId": world.product["id"],
        "unitCost": "3.00",
        "effectiveDate": pf.yesterday(),
    }


async def _new_po(world: World) -> dict[str, Any]:
    return {
        "supplierId": (await _supplier(world))["id"],
        "lines": pf.lines([(await _product_id(world), 1)]),
    }


async def _new_line(world: World) -> dict[str, Any]:
    draft = await _draft(world)
    return {
        "purchaseOrderId": draft["id"],
        "productId": world.product["id"],
        "quantity": 1,
        "unitCost": "1.00",
    }


async def _line_of_draft(world: World) -> dict[str, Any]:
    draft = await _draft(world)
    return {"id": draft["lines"][0]["id"]}


async def _empty_draft(world: World) -> dict[str, Any]:
    supplier = await _supplier(world)
    return {"id": (await pf.draft_po(world.admin, supplier["id"], []))["id"]}


async def _new_payment(world: World) -> dict[str, Any]:
    po = await _submitted(world)
    return pf.btc_payment(po["id"], key=f"new-{pf.code()}")


async def _confirmed(world: World) -> Any:
    supplier = await _supplier(world)
    return await pf.confirmed_po(world.admin, supplier["id"], [(await _product_id(world), 2)])


async def _lot_lookup(world: World) -> dict[str, Any]:
    lots = await world.admin.mutate_ok(pf.RECEIVE, pf.received(await _confirmed(world), 1), "lots")
    return {"id": lots[0]["id"]}


async def _recall(world: World) -> dict[str, Any]:
    """An ACTIVE lot to recall (QC moves are made by inspections, not `transitionLot`)."""
    database = world.database
    supplier = await seed.supplier(database)
    product = await seed.product(database)
    order = await seed.purchase_order(
        database, supplier.id, product.id, PurchaseOrderStatus.RECEIVED
    )
    lot = await seed.lot(database, order, LotStatus.ACTIVE)
    return {"id": seeding.gid(lot), "status": "RECALLED", "reason": "supplier recall"}


async def _received_input(world: World) -> dict[str, Any]:
    return pf.received(await _confirmed(world), 1)


CASES: list[Case] = [
    Case("Query.suppliers", "{ suppliers { totalCount } }", VIEW),
    Case("Query.supplier", SUPPLIER_Q % "code", VIEW, _supplier_lookup),
    Case("Query.supplierPriceLists", "{ supplierPriceLists { totalCount } }", VIEW),
    Case("Query.purchaseOrders", "{ purchaseOrders { totalCount } }", VIEW),
    Case("Query.purchaseOrder", PO_Q % "poNumber", VIEW, _po_lookup),
    Case(
        "Query.effectivePrice",
        "query($s: ID!, $p: ID!) { effectivePrice(supplierId: $s, productId: $p) { id } }",
        VIEW,
        _effective,
    ),
    Case("Query.auditLog", "{ auditLog { totalCount } }", VIEW),
    Case(
        "Query.procurementDashboard",
        "{ procurementDashboard { lotsAwaitingQc purchaseOrders { open } } }",
        VIEW,
    ),
    Case("Query.lot", "query($id: ID) { lot(id: $id) { lotNumber } }", VIEW, _lot_lookup),
    Case("Supplier.taxId", SUPPLIER_Q % "taxId", TAX, _supplier_lookup),
    Case("PurchaseOrder.subtotal", PO_Q % "subtotal { amount }", COSTS, _po_lookup),
    Case("PurchaseOrder.shippingCost", PO_Q % "shippingCost { amount }", COSTS, _po_lookup),
    Case("PurchaseOrder.taxAmount", PO_Q % "taxAmount { amount }", COSTS, _po_lookup),
    Case("PurchaseOrder.total", PO_Q % "total { amount }", COSTS, _po_lookup),
    Case("PurchaseOrderLine.unitCost", PO_Q % "lines { unitCost { amount } }", COSTS, _po_lookup),
    Case("PurchaseOrderLine.lineTotal", PO_Q % "lines { lineTotal { amount } }", COSTS, _po_lookup),
    Case(
        "SupplierPriceList.unitCost",
        "query($id: ID) { supplier(id: $id) { priceLists { edges { node { unitCost { amount } }"
        " } } } }",
        COSTS,
        _supplier_with_price,
    ),
    mutation_case("createSupplier", MANAGE, lambda w: {"name": "S", "code": pf.code()}),
    mutation_case("updateSupplier", MANAGE, lambda w: _with(_supplier, w, notes="n")),
    mutation_case(
        "changeSupplierStatus",
        MANAGE,
        lambda w: _with(_supplier, w, status="INACTIVE", reason="paused"),
    ),
    mutation_case("deleteSupplier", MANAGE, lambda w: _id_of(_supplier, w)),
    mutation_case(
        "createSupplierPriceList",
        MANAGE,
        lambda w: _new_price(w),
    ),
    mutation_case("updateSupplierPriceList", MANAGE, lambda w: _with(_price_list, w, unitCost="9")),
    mutation_case("deleteSupplierPriceList", MANAGE, lambda w: _id_of(_price_list, w)),
    mutation_case("createPurchaseOrder", MANAGE, lambda w: _new_po(w)),
    mutation_case("updatePurchaseOrder", MANAGE, lambda w: _with(_draft, w, notes="n")),
    mutation_case("addPurchaseOrderLine", MANAGE, lambda w: _new_line(w)),
    mutation_case("removePurchaseOrderLine", MANAGE, lambda w: _line_of_draft(w)),
    mutation_case("deletePurchaseOrder", MANAGE, lambda w: _empty_draft(w)),
    mutation_case("submitPurchaseOrder", MANAGE, lambda w: _id_of(_draft, w)),
    mutation_case("cancelPurchaseOrder", MANAGE, lambda w: _with(_draft, w, reason="no")),
    mutation_case(
        "transitionPurchaseOrder", MANAGE, lambda w: _with(_submitted, w, status="CONFIRMED")
    ),
    mutation_case("receivePurchaseOrder", MANAGE, lambda w: _received_input(w)),
    mutation_case("transitionLot", MANAGE, lambda w: _recall(w)),
    mutation_case("recordPurchaseOrderPayment", PAY, lambda w: _new_payment(w)),
    mutation_case("confirmPurchaseOrderPayment", PAY, lambda w: _id_of(_pending_payment, w)),
    mutation_case(
        "failPurchaseOrderPayment", PAY, lambda w: _with(_pending_payment, w, reason="bounced")
    ),
]
