"""Customer checkout with Stripe (issue 29): designs; staff notes on orders; checkout sessions, customer payments,
refunds and the Stripe events received; an order's design, garment, image and prompt
(revision 0011, after 0010; created 2026-12-07).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"


def _rebuilding_orders() -> None:
    """SQLite rebuilds `orders` to add or drop a foreign key (copy, drop, rename); with rows
    referencing it (lines, timeline) the drop fails while foreign keys are enforced. Outside
    a transaction (pysqlite runs DDL in autocommit until a DML opens one) enforcement is
    switched off for the rebuild; inside one, where that switch is ignored, the checks are
    deferred to the commit, when the rebuilt table holds every row again."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA foreign_keys = OFF")
        op.execute("PRAGMA defer_foreign_keys = ON")


def _orders_rebuilt() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA foreign_keys = ON")


def upgrade() -> None:
    op.create_table('designs',
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('image_url', sa.String(length=2000), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=True),
    sa.Column('metadata', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.Enum('draft', 'ready', 'archived', name='designstatus', native_enum=False, length=32), server_default='ready', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_designs_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designs'))
    )
    with op.batch_alter_table('designs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_designs_customer_id'), ['customer_id'], unique=False)

    op.create_table('checkout_sessions',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.String(length=255), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('pending', 'open', 'failed', 'completed', 'expired', name='checkoutstatus', native_enum=False, length=32), nullable=False),
    sa.Column('stripe_session_id', sa.String(length=255), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('amount_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_checkout_sessions_customer_id_customers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_checkout_sessions_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkout_sessions')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_checkout_sessions_idempotency_key')),
    sa.UniqueConstraint('order_id', 'attempt', name=op.f('uq_checkout_sessions_order_id_attempt')),
    sa.UniqueConstraint('stripe_session_id', name=op.f('uq_checkout_sessions_stripe_session_id'))
    )
    with op.batch_alter_table('checkout_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkout_sessions_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkout_sessions_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkout_sessions_status'), ['status'], unique=False)

    op.create_table('stripe_webhook_events',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('outcome', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_stripe_webhook_events_order_id_orders'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_webhook_events'))
    )
    with op.batch_alter_table('stripe_webhook_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stripe_webhook_events_order_id'), ['order_id'], unique=False)

    op.create_table('customer_payments',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('checkout_session_id', sa.Uuid(), nullable=True),
    sa.Column('stripe_session_id', sa.String(length=255), nullable=False),
    sa.Column('payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('amount_refunded', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.Enum('paid', 'held', 'partially_refunded', 'refunded', name='paymentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('hold_reason', sa.Text(), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['checkout_session_id'], ['checkout_sessions.id'], name=op.f('fk_customer_payments_checkout_session_id_checkout_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_payments_customer_id_customers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_customer_payments_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_payments')),
    sa.UniqueConstraint('stripe_session_id', name=op.f('uq_customer_payments_stripe_session_id'))
    )
    with op.batch_alter_table('customer_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_payments_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_payments_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_payments_payment_intent_id'), ['payment_intent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_payments_status'), ['status'], unique=False)

    op.create_table('customer_refunds',
    sa.Column('payment_id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('status', sa.Enum('pending', 'succeeded', 'failed', name='refundstatus', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=300), nullable=False),
    sa.Column('stripe_refund_id', sa.String(length=255), nullable=True),
    sa.Column('cancels_order', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_refunds_customer_id_customers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_customer_refunds_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payment_id'], ['customer_payments.id'], name=op.f('fk_customer_refunds_payment_id_customer_payments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_refunds')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_customer_refunds_idempotency_key')),
    sa.UniqueConstraint('stripe_refund_id', name=op.f('uq_customer_refunds_stripe_refund_id'))
    )
    with op.batch_alter_table('customer_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_refunds_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_refunds_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_refunds_payment_id'), ['payment_id'], unique=False)

    op.create_table('order_notes',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.String(length=255), nullable=True),
    sa.Column('author_role', sa.String(length=32), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_notes_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_notes'))
    )
    with op.batch_alter_table('order_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_notes_order_id'), ['order_id'], unique=False)

    _rebuilding_orders()
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('design_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('garment_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('image_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('prompt', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('garment_title', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_orders_design_id'), ['design_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_garment_id'), ['garment_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_orders_garment_id_products'), 'products', ['garment_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_orders_design_id_designs'), 'designs', ['design_id'], ['id'], ondelete='SET NULL')
    _orders_rebuilt()



def downgrade() -> None:
    # The tables that reference orders go first; then orders is rebuilt without the columns.
    with op.batch_alter_table('customer_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_refunds_payment_id'))
        batch_op.drop_index(batch_op.f('ix_customer_refunds_order_id'))
        batch_op.drop_index(batch_op.f('ix_customer_refunds_customer_id'))

    with op.batch_alter_table('order_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_notes_order_id'))

    op.drop_table('order_notes')
    op.drop_table('customer_refunds')
    with op.batch_alter_table('customer_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_payments_status'))
        batch_op.drop_index(batch_op.f('ix_customer_payments_payment_intent_id'))
        batch_op.drop_index(batch_op.f('ix_customer_payments_order_id'))
        batch_op.drop_index(batch_op.f('ix_customer_payments_customer_id'))

    op.drop_table('customer_payments')
    with op.batch_alter_table('stripe_webhook_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stripe_webhook_events_order_id'))

    op.drop_table('stripe_webhook_events')
    with op.batch_alter_table('checkout_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkout_sessions_status'))
        batch_op.drop_index(batch_op.f('ix_checkout_sessions_order_id'))
        batch_op.drop_index(batch_op.f('ix_checkout_sessions_customer_id'))

    op.drop_table('checkout_sessions')
    _rebuilding_orders()
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_design_id_designs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_orders_garment_id_products'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_orders_garment_id'))
        batch_op.drop_index(batch_op.f('ix_orders_design_id'))
        batch_op.drop_column('garment_title')
        batch_op.drop_column('prompt')
        batch_op.drop_column('image_url')
        batch_op.drop_column('garment_id')
        batch_op.drop_column('design_id')
    _orders_rebuilt()

    with op.batch_alter_table('designs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designs_customer_id'))

    op.drop_table('designs')
