"""Finance: credit refunds, paying a manufacturer's credit balance back (issue 28 item 3)
(revision 0013, after 0012; created 2026-12-07).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.create_table('credit_refunds',
    sa.Column('manufacturer_id', sa.Uuid(), nullable=False),
    sa.Column('refund_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('RECORDED', 'VOIDED', name='creditrefundstatus', native_enum=False, length=32), nullable=False),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=255), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_credit_refunds_positive')),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturers.id'], name=op.f('fk_credit_refunds_manufacturer_id_manufacturers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_refunds')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_credit_refunds_idempotency_key'))
    )
    with op.batch_alter_table('credit_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_refunds_manufacturer_id'), ['manufacturer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_refunds_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('credit_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_refunds_status'))
        batch_op.drop_index(batch_op.f('ix_credit_refunds_manufacturer_id'))

    op.drop_table('credit_refunds')
