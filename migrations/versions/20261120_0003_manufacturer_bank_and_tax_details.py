"""Manufacturer bank and tax details: bank account, routing and tax ID encrypted at rest.

The `*_encrypted` columns hold Fernet tokens (db.encryption), so they are plain TEXT here.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-20 23:56:14.977896
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('manufacturers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bank_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('bank_account_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('bank_routing_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('tax_id_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('preferred_payment_method', sa.Enum('wire', 'ach', 'check', 'paypal', 'credit_on_account', name='manufacturerpaymentmethod', native_enum=False, length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('manufacturers', schema=None) as batch_op:
        batch_op.drop_column('preferred_payment_method')
        batch_op.drop_column('tax_id_encrypted')
        batch_op.drop_column('bank_routing_encrypted')
        batch_op.drop_column('bank_account_encrypted')
        batch_op.drop_column('bank_name')
