"""`viewer`: who the caller is and what it may do, so a client can shape its UI."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from auth.permissions import ROLE_GRANTS, Permission, Role, Scope
from resolvers.ids import encode_id
from schema.context import request_context
from schema.enums import graphql_enum

graphql_enum(
    Permission,
    "What a role may do (SPEC §4). Fields and mutations name the permission they need.",
    {
        Permission.VIEW_FAMILIES: "Read product families and their manufacturer assignments.",
        Permission.EDIT_FAMILIES: "Create, change, deactivate and delete product families.",
        Permission.ASSIGN_MANUFACTURERS: "Assign manufacturers to families.",
        Permission.VIEW_PRODUCTS: "Read categories, products and variants.",
        Permission.EDIT_PRODUCTS: "Create and change categories, products and variants.",
        Permission.ASSIGN_TO_FAMILIES: "Move products into families.",
        Permission.VIEW_COSTS: "Read cost data: unit costs, assignment costs, family pricing.",
        Permission.VIEW_BANK_DETAILS: "Read bank and tax details.",
        Permission.VIEW_MANUFACTURERS: "Read manufacturer profiles.",
        Permission.EDIT_MANUFACTURERS: "Create and change manufacturers.",
        Permission.UPDATE_CAPABILITIES: "Change a manufacturer's capabilities.",
        Permission.VIEW_PAYMENT_TERMS: "Read payment terms.",
        Permission.MANAGE_API_KEYS: "Create, list and revoke partner API keys.",
        Permission.VIEW_ORDERS: "Read orders, their line items and fulfillment timeline.",
        Permission.EDIT_ORDERS: "Create and change draft orders; cancel orders before production.",
        Permission.MANAGE_ORDERS: "Submit, approve and fulfil orders, set priorities, bulk "
        "status changes.",
        Permission.VIEW_JOBS: "Read manufacturing jobs, their notes, photos and issues.",
        Permission.WORK_ON_JOBS: "Move jobs through the workflow; report progress, notes, "
        "photos and issues.",
        Permission.ASSIGN_JOBS: "Route orders and assign or reassign jobs to manufacturers.",
        Permission.VIEW_ROUTING: "Read routing decisions, the pending-assignment queue and "
        "routing history.",
        Permission.VIEW_NOTIFICATIONS: "Read notifications and mark them read.",
        Permission.VIEW_PROCUREMENT: "Read suppliers, price lists, purchase orders and the "
        "procurement audit log (unit costs and payments also need costs:read).",
        Permission.MANAGE_PROCUREMENT: "Create and change suppliers, price lists and purchase "
        "orders; change their statuses.",
        Permission.RECORD_PO_PAYMENTS: "Record purchase order payments and confirm or fail them.",
        Permission.QUARANTINE_LOTS: "Put an active lot back into quarantine, with a reason "
        "(SPEC §9 #18: admins only).",
        Permission.VIEW_FULFILLMENT_CENTERS: "Read fulfillment centers and their stats.",
        Permission.MANAGE_FULFILLMENT_CENTERS: "Create, change and deactivate fulfillment centers.",
        Permission.VIEW_INBOUND: "Read inbound shipments (a manufacturer: its own jobs').",
        Permission.PERFORM_QC: "Inspect inbound shipments and record QC results.",
        Permission.MANAGE_INBOUND: "Expect inbound shipments by hand, move and receive them.",
        Permission.VIEW_INVENTORY: "Read inventory levels, transactions and alerts.",
        Permission.MOVE_INVENTORY: "Record stock movements and request adjustments.",
        Permission.APPROVE_ADJUSTMENTS: "Approve or reject adjustments above the approval "
        "threshold.",
        Permission.VIEW_OUTBOUND: "Read outbound shipments and pick lists.",
        Permission.MANAGE_OUTBOUND: "Create outbound shipments, pick, pack and ship them.",
        Permission.PAY_ORDERS: "Place production orders and pay for them with Stripe Checkout.",
        Permission.VIEW_CUSTOMER_PAYMENTS: "Read customer payments, checkout sessions and refunds.",
        Permission.REFUND_CUSTOMER_PAYMENTS: "Refund customer payments (so cancel paid orders).",
        Permission.VIEW_DESIGNS: "Read designs.",
        Permission.EDIT_DESIGNS: "Create and change designs.",
        Permission.VIEW_INVOICES: "Read manufacturer invoices and their lines.",
        Permission.EDIT_INVOICES: "Create invoices and submit drafts.",
        Permission.APPROVE_INVOICES: "Approve and dispute invoices.",
        Permission.VIEW_PAYMENTS: "Read payments to manufacturers and their allocations.",
        Permission.RECORD_PAYMENTS: "Record and void payments to manufacturers.",
        Permission.VIEW_FINANCIAL_REPORTS: "Read and export the aging and payment-due reports.",
        Permission.ENTER_ACTUAL_COSTS: "Enter what a job actually cost.",
        Permission.VIEW_ACTUAL_COSTS: "Read what a job actually cost.",
    },
)
graphql_enum(
    Scope,
    "Which records a permission covers.",
    {Scope.ALL: "Every record.", Scope.OWN: "Only the caller's own records."},
    name="GrantScope",
)


@strawberry.type(description="A permission the caller holds, and over which records.")
class Grant:
    permission: Permission = strawberry.field(description="The permission.")
    scope: Scope = strawberry.field(description="Every record, or only the caller's own.")


@strawberry.type(description="The caller, as the server authenticated it.")
class Viewer:
    authenticated: bool = strawberry.field(description="Whether credentials were sent.")
    subject: str | None = strawberry.field(
        description="The token's `sub`, or the API key's ID; null when anonymous."
    )
    role: Role | None = strawberry.field(description="The caller's role; null when anonymous.")
    manufacturer_id: strawberry.ID | None = strawberry.field(
        description="The manufacturer a manufacturer user is bound to."
    )
    grants: list[Grant] = strawberry.field(description="Everything the caller may do.")


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="Who is calling and what they may do. Needs no permission.")
    def viewer(self, info: Info[Any, Any]) -> Viewer:
        actor = request_context(info).actor
        grants = ROLE_GRANTS[actor.role] if actor.role else {}
        return Viewer(
            authenticated=actor.authenticated,
            subject=actor.id if actor.authenticated else None,
            role=actor.role,
            manufacturer_id=(
                strawberry.ID(encode_id("Manufacturer", actor.manufacturer_id))
                if actor.manufacturer_id
                else None
            ),
            grants=[Grant(permission=p, scope=s) for p, s in grants.items()],
        )
