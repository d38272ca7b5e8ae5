"""`financeChanged`: invoices, payments and credit refunds as they commit; a manufacturer's
portal follows its own."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from auth.access import deny_not_owned
from auth.permissions import Permission
from db.publications.finance import ALL_FINANCE, manufacturer_finance_channel
from schema.context import request_context
from schema.finance.types import CreditRefund, Invoice, Payment
from schema.node import visibility
from schema.realtime.events import ChangeEvent, committed_node, event_fields
from schema.realtime.messages import MessageGroup
from schema.realtime.subscribing import AfterCursor, after_cursor, global_pk

INVOICES_TABLE = "invoices"
REFUNDS_TABLE = "credit_refunds"


@strawberry.type(description="An invoice, a payment or a credit refund was created or changed.")
class FinanceChange(ChangeEvent):
    invoice: Invoice | None = strawberry.field(
        description="The invoice as this change left it (table `invoices`)."
    )
    payment: Payment | None = strawberry.field(
        description="The payment as this change left it (table `manufacturer_payments`)."
    )
    credit_refund: CreditRefund | None = strawberry.field(
        description="The credit refund as this change left it (table `credit_refunds`)."
    )


async def _finance_changes(
    info: Info[Any, Any], group: MessageGroup, manufacturer_id: str | None, after: str | None
) -> AsyncGenerator[FinanceChange, None]:
    invoices, payments = visibility(info, Invoice), visibility(info, Payment)
    refunds = visibility(info, CreditRefund)
    wanted = global_pk(manufacturer_id, "Manufacturer") if manufacturer_id is not None else None
    if invoices.restricted:
        if wanted not in (None, invoices.owner_id) or invoices.owner_id is None:
            actor = request_context(info).actor
            raise deny_not_owned(actor, Permission.VIEW_INVOICES, info.path.as_list())
        wanted = invoices.owner_id
    channel = ALL_FINANCE if wanted is None else manufacturer_finance_channel(wanted)
    async for record in group.changes(channel, after_cursor(after)):
        if record.table == INVOICES_TABLE:
            invoice = await committed_node(
                info, Invoice, invoices, record.entity_id, record, as_committed=True
            )
            if invoice is None:
                continue
            yield FinanceChange(
                invoice=invoice,
                payment=None,
                credit_refund=None,
                **event_fields(info, record, Invoice, invoice),
            )
        elif record.table == REFUNDS_TABLE:
            refund = await committed_node(
                info, CreditRefund, refunds, record.entity_id, record, as_committed=True
            )
            if refund is None:
                continue
            yield FinanceChange(
                invoice=None,
                payment=None,
                credit_refund=refund,
                **event_fields(info, record, CreditRefund, refund),
            )
        else:
            payment = await committed_node(
                info, Payment, payments, record.entity_id, record, as_committed=True
            )
            if payment is None:
                continue
            yield FinanceChange(
                invoice=None,
                payment=payment,
                credit_refund=None,
                **event_fields(info, record, Payment, payment),
            )


@strawberry.type
class FinanceSubscription:
    @strawberry.subscription(
        description="Invoices, payments and credit refunds as they are created and change: one "
        "manufacturer's (`manufacturerId`; a manufacturer follows its own, another's is "
        "FORBIDDEN) or all. `after` resumes from an event's cursor."
    )
    async def finance_changed(
        self,
        info: Info[Any, Any],
        manufacturer_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Follow this manufacturer's invoices and payments."),
        ] = None,
        after: AfterCursor = None,
    ) -> AsyncGenerator[FinanceChange, None]:
        group = MessageGroup(info)
        async for event in group.sent(_finance_changes(info, group, manufacturer_id, after)):
            yield event
