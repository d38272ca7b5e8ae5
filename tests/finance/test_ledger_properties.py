"""Issue 28's property: for any sequence of invoices, approvals, disputes, payments (auto and
manual), overpayments, credit refunds and voids (of payments and of refunds), every
manufacturer's balance is Σ(total - allocated) over its approved and partly paid invoices,
allocations never exceed an invoice's total or a payment's amount, and its credit is the
payments' unallocated amounts less the standing refunds, never negative. Driven through the
API, checked in the tables (tests/support/finance.py `ledger_problems`); and the pure
rules' arithmetic (domain/finance.py)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.engine import Database
from domain import finance
from resolvers.ids import decode_id
from settings import Settings
from tests.support import finance as support
from tests.support.graphql import GraphQLClient

cents = st.integers(min_value=1, max_value=300_000).map(lambda c: Decimal(c).scaleb(-2))

steps = st.lists(
    st.one_of(
        st.tuples(st.just("invoice"), cents, st.booleans(), st.integers(0, 90)),
        st.tuples(st.just("invoice"), cents, st.just(True), st.integers(0, 90)),
        st.tuples(st.just("approve"), st.integers(0, 9)),
        st.tuples(st.just("dispute"), st.integers(0, 9)),
        st.tuples(st.just("pay"), cents),
        st.tuples(
            st.just("pay_manual"),
            cents,
            st.lists(st.tuples(st.integers(0, 9), cents), min_size=1, max_size=3),
        ),
        st.tuples(st.just("void"), st.integers(0, 9)),
        st.tuples(st.just("void"), st.integers(0, 9)),
        # Refunds: any amount (refused beyond the credit) or a share of the credit held.
        st.tuples(st.just("refund"), cents),
        st.tuples(st.just("refund_share"), st.integers(1, 100)),
        st.tuples(st.just("refund_share"), st.integers(1, 100)),
        st.tuples(st.just("void_refund"), st.integers(0, 9)),
    ),
    min_size=4,
    max_size=14,
)


class Run:
    """One sequence of steps against a fresh manufacturer, as finance would make them."""

    def __init__(self, admin: GraphQLClient) -> None:
        self.admin = admin
        self.fin = support.finance_client(admin)
        self.invoices: list[str] = []
        self.payments: list[str] = []
        self.refunds: list[str] = []

    async def play(self, sequence: list[tuple[Any, ...]]) -> uuid.UUID:
        # With an early-payment discount (BR-27): invoices dated within 10 days of a
        # payment are settled for 98%.
        maker = await support.manufacturer(
            self.admin,
            creditLimit="9999999.00",
            earlyPaymentDays=10,
            earlyPaymentDiscount="2.00",
        )
        self.maker = maker["id"]
        for step in sequence:
            await getattr(self, step[0])(*step[1:])
        return decode_id(self.maker)[1]

    def _pick(self, ids: list[str], index: int) -> str | None:
        return ids[index % len(ids)] if ids else None

    async def invoice(self, total: Decimal, approve: bool, age: int) -> None:
        made = await support.invoice(self.fin, self.maker, total, dated=age, approve=approve)
        self.invoices.append(made["id"])

    async def approve(self, index: int) -> None:
        if (chosen := self._pick(self.invoices, index)) is not None:
            await self.fin.mutate(
                support.TRANSITION_INVOICE, {"input": {"id": chosen, "status": "APPROVED"}}
            )

    async def dispute(self, index: int) -> None:
        if (chosen := self._pick(self.invoices, index)) is not None:
            await self.fin.mutate(
                support.TRANSITION_INVOICE,
                {"input": {"id": chosen, "status": "DISPUTED", "disputeReason": "Short count"}},
            )

    async def pay(self, amount: Decimal) -> None:
        self._paid(await support.pay(self.fin, self.maker, amount))

    async def pay_manual(self, amount: Decimal, shares: list[tuple[int, Decimal]]) -> None:
        if not self.invoices:
            return
        allocations = [
            {"invoiceId": self._pick(self.invoices, i), "amount": str(a)} for i, a in shares
        ]
        self._paid(await support.pay(self.fin, self.maker, amount, allocations=allocations))

    async def void(self, index: int) -> None:
        if (chosen := self._pick(self.payments, index)) is not None:
            await self.fin.mutate(
                support.VOID_PAYMENT, {"input": {"id": chosen, "voidReason": "Returned"}}
            )

    async def refund(self, amount: Decimal) -> None:
        payload = await support.refund(self.fin, self.maker, amount)
        if payload["creditRefund"] is not None:
            self.refunds.append(payload["creditRefund"]["id"])

    async def refund_share(self, percent: int) -> None:
        held = Decimal((await support.account(self.fin, self.maker))["creditBalance"]["amount"])
        share = finance.cents(held * percent / 100)
        if share > 0:
            payload = await support.refund(self.fin, self.maker, share)
            assert payload["errors"] == [], (held, share, payload["errors"])
            self.refunds.append(payload["creditRefund"]["id"])

    async def void_refund(self, index: int) -> None:
        if (chosen := self._pick(self.refunds, index)) is not None:
            await self.fin.mutate(
                support.VOID_CREDIT_REFUND, {"input": {"id": chosen, "voidReason": "Came back"}}
            )

    def _paid(self, payload: Any) -> None:
        if payload["payment"] is not None:
            self.payments.append(payload["payment"]["id"])


def test_the_ledger_reconciles_after_any_sequence(settings: Settings) -> None:
    settings = replace(
        settings,
        limits=replace(settings.limits, rate_per_minute=10**12, anonymous_rate_per_minute=10**12),
    )
    loop = asyncio.new_event_loop()
    admin = GraphQLClient.for_settings(settings)
    database = Database(settings.database_url, encryption_keys=settings.encryption_keys)

    @settings_for_ci
    @given(steps)
    def check(sequence: list[tuple[Any, ...]]) -> None:
        maker = loop.run_until_complete(Run(admin).play(sequence))
        problems = loop.run_until_complete(support.ledger_problems(database, maker))
        assert problems == [], (sequence, problems)

    try:
        check()
    finally:
        loop.run_until_complete(database.dispose())
        loop.run_until_complete(admin.__aexit__(None, None, None))
        loop.close()


settings_for_ci = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# -- the pure rules ----------------------------------------------------------------------------


@given(cents, st.lists(cents, max_size=8))
def test_oldest_first_allocation_never_exceeds_the_payment_or_an_invoice(
    amount: Decimal, owed: list[Decimal]
) -> None:
    payables = [finance.Payable(uuid.uuid4(), o) for o in owed]
    allocations = finance.allocate_oldest_first(amount, payables)
    applied = sum((a for _, a in allocations), finance.ZERO)
    assert applied == min(amount, sum(owed, finance.ZERO))
    for (invoice_id, applied_here), payable in zip(allocations, payables, strict=False):
        # Oldest first: the allocations are a prefix of the payables, each fully paid but
        # perhaps the last.
        assert invoice_id == payable.invoice_id and 0 < applied_here <= payable.outstanding
    assert all(a == p.outstanding for (_, a), p in zip(allocations[:-1], payables, strict=False))


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6))
def test_cents_rounds_half_up_once(value: Decimal) -> None:
    rounded = finance.cents(value)
    assert rounded == rounded.quantize(finance.CENT)
    assert abs(value - rounded) <= Decimal("0.005")
    assert finance.cents(rounded) == rounded
    # Half-up (away from zero) at exactly half a cent.
    if (value * 1000) % 10 == 5 and value == value.quantize(Decimal("0.001")):
        assert abs(rounded) > abs(value)


@given(st.integers(-400, 400), st.integers(0, 30))
def test_standing_follows_days_past_due_with_grace(days: int, grace: int) -> None:
    due = date(2026, 6, 1)
    dpd = finance.days_past_due(due + timedelta(days=days), due, grace)
    assert dpd == days - grace
    expected = "good" if dpd < 1 else "warning" if dpd <= 30 else "delinquent"
    assert finance.standing(dpd).value == expected
    assert finance.needs_credit_hold(dpd) == (dpd >= 60)


@given(st.integers(-400, 400))
def test_every_day_has_one_aging_bucket(days: int) -> None:
    due = date(2026, 6, 1)
    bucket = finance.aging_bucket(due + timedelta(days=days), due)
    bounds = {
        finance.AgingBucket.CURRENT: (-(10**6), 0),
        finance.AgingBucket.DAYS_1_30: (1, 30),
        finance.AgingBucket.DAYS_31_60: (31, 60),
        finance.AgingBucket.DAYS_61_90: (61, 90),
        finance.AgingBucket.DAYS_90_PLUS: (91, 10**6),
    }
    low, high = bounds[bucket]
    assert low <= days <= high


@given(st.dates(), st.dates(), st.integers(0, 365), st.sampled_from(list(finance.TERMS_DAYS)))
def test_terms_and_discounts_hold_at_the_ends_of_the_calendar(
    invoiced: date, paid: date, window: int, terms: Any
) -> None:
    due = finance.due_date(invoiced, terms)
    assert due >= invoiced
    discounted = finance.amount_due(Decimal("100.00"), invoiced, paid, window, Decimal("2.00"))
    assert discounted == (
        Decimal("98.00") if (paid - invoiced).days <= window else Decimal("100.00")
    )
