"""What checkout's nodes and lists read from."""

from __future__ import annotations

from sqlalchemy import FromClause

from db.models import CheckoutSession, CustomerPayment, CustomerRefund

CHECKOUT_SESSIONS: FromClause = CheckoutSession.__table__
CUSTOMER_PAYMENTS: FromClause = CustomerPayment.__table__
CUSTOMER_REFUNDS: FromClause = CustomerRefund.__table__
