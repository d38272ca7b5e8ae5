"""Finance's lists run a fixed number of SQL statements whatever their size (API.md
"Lists"): invoices with their manufacturer, lines, jobs and payments; payments with their
allocations and invoices; credit refunds with their manufacturer and history."""

from __future__ import annotations

from tests.support import finance
from tests.support.finance import invoice, pay, refund
from tests.support.graphql import GraphQLClient
from tests.support.sql_counting import count_sql

INVOICES = """{ invoices(first: 50) { totalCount edges { node {
  invoiceNumber totalAmount { amount } manufacturer { name }
  lines { description job { jobNumber } }
  allocations { amountApplied { amount } payment { paymentDate status } }
  statusHistory { toStatus } allowedTransitions } } } }"""
PAYMENTS = """{ payments(first: 50) { totalCount edges { node {
  amount { amount } manufacturer { name }
  allocations { amountApplied { amount } invoice { invoiceNumber status } } } } } }"""
REFUNDS = """{ creditRefunds(first: 50) { totalCount edges { node {
  amount { amount } reference manufacturer { name creditBalance { amount } }
  statusHistory { toStatus } allowedTransitions } } } }"""


async def test_the_lists_are_a_fixed_number_of_statements(client: GraphQLClient) -> None:
    fin = finance.finance_client(client)
    counts = []
    for size in (1, 6):
        for _ in range(size):
            maker = await finance.manufacturer(client)
            for age in (30, 10):
                await invoice(fin, maker["id"], "100.00", dated=age)
            await pay(fin, maker["id"], "150.00")
            await pay(fin, maker["id"], "80.00")  # nothing left to pay: credit
            await refund(fin, maker["id"], "30.00")
        async with count_sql() as invoices:
            await fin(INVOICES)
        async with count_sql() as payments:
            await fin(PAYMENTS)
        async with count_sql() as refunds:
            await fin(REFUNDS)
        counts.append((invoices.count, payments.count, refunds.count))
    assert counts[0] == counts[1], counts
