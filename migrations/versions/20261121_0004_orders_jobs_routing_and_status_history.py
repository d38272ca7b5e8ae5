"""Orders, manufacturing jobs, routing decisions, notifications and status history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 00:21:48.604517
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('customers',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('company', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers'))
    )
    op.create_table('reference_sequences',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'year', name=op.f('pk_reference_sequences'))
    )
    op.create_table('status_history',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('entity_type', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=False),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('actor_type', sa.Enum('user', 'api_key', 'anonymous', 'system', 'scheduled_job', name='actortype', native_enum=False, length=32), nullable=False),
    sa.Column('actor_role', sa.String(length=32), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('context', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_history'))
    )
    with op.batch_alter_table('status_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_history_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_history_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('orders',
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'approved', 'in_production', 'fulfilled', 'canceled', name='orderstatus', native_enum=False, length=32), server_default='draft', nullable=False),
    sa.Column('priority', sa.Enum('rush', 'standard', 'hold', name='orderpriority', native_enum=False, length=32), server_default='standard', nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('metadata', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('production_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fulfilled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('canceled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('routed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_orders_customer_id_customers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('reference', name=op.f('uq_orders_reference'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_status'), ['status'], unique=False)

    op.create_table('fulfillment_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=50), nullable=False),
    sa.Column('order_status', sa.Enum('draft', 'submitted', 'approved', 'in_production', 'fulfilled', 'canceled', name='orderstatus', native_enum=False, length=32), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('metadata', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_fulfillment_events_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_events'))
    )
    with op.batch_alter_table('fulfillment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fulfillment_events_order_id'), ['order_id'], unique=False)

    op.create_table('manufacturing_jobs',
    sa.Column('job_number', sa.String(length=32), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('product_family_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('NEW', 'ACCEPTED', 'IN_PRODUCTION', 'QC', 'READY_TO_SHIP', 'SHIPPED', 'DECLINED', 'PENDING_ASSIGNMENT', name='jobstatus', native_enum=False, length=32), server_default='NEW', nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('estimated_completion_date', sa.Date(), nullable=True),
    sa.Column('progress_percent', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('qc_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('qc_passed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ready_to_ship_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tracking_number', sa.String(length=100), nullable=True),
    sa.Column('shipping_carrier', sa.Enum('DHL', 'FedEx', 'UPS', 'USPS', 'Aramex', 'Other', name='shippingcarrier', native_enum=False, length=32), nullable=True),
    sa.Column('routed_by', sa.Enum('auto', 'manual', 'fallback', name='routedby', native_enum=False, length=32), nullable=False),
    sa.Column('routing_source', sa.Enum('variant_default', 'product_override', 'category_override', 'family_default', 'family_assignment', 'unassigned', name='manufacturersource', native_enum=False, length=32), nullable=True),
    sa.Column('routing_reason', sa.Text(), nullable=True),
    sa.Column('original_manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('replaces_job_id', sa.Uuid(), nullable=True),
    sa.Column('quoted_cost', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('actual_cost', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('decoration_type', sa.Enum('dtg', 'screen', 'embroidery', 'sublimation', 'heat_transfer', 'cut_sew', name='technique', native_enum=False, length=32), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('customer_notes', sa.Text(), nullable=True),
    sa.Column('artwork_url', sa.String(length=500), nullable=True),
    sa.Column('decline_reason', sa.Enum('materials', 'capacity', 'timeline', 'quality_concerns', 'other', name='declinereason', native_enum=False, length=32), nullable=True),
    sa.Column('decline_notes', sa.Text(), nullable=True),
    sa.Column('has_open_issue', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('on_hold', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('progress_percent IS NULL OR (progress_percent BETWEEN 0 AND 100)', name=op.f('ck_manufacturing_jobs_progress_range')),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturers.id'], name=op.f('fk_manufacturing_jobs_manufacturer_id_manufacturers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_manufacturing_jobs_order_id_orders'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['original_manufacturer_id'], ['manufacturers.id'], name=op.f('fk_manufacturing_jobs_original_manufacturer_id_manufacturers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_family_id'], ['product_families.id'], name=op.f('fk_manufacturing_jobs_product_family_id_product_families'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaces_job_id'], ['manufacturing_jobs.id'], name=op.f('fk_manufacturing_jobs_replaces_job_id_manufacturing_jobs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manufacturing_jobs')),
    sa.UniqueConstraint('job_number', name=op.f('uq_manufacturing_jobs_job_number'))
    )
    with op.batch_alter_table('manufacturing_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manufacturing_jobs_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_manufacturing_jobs_manufacturer_id'), ['manufacturer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_manufacturing_jobs_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_manufacturing_jobs_product_family_id'), ['product_family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_manufacturing_jobs_status'), ['status'], unique=False)

    op.create_table('job_issues',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.Enum('materials_defect', 'equipment_failure', 'design_problem', 'capacity', 'other', name='issuetype', native_enum=False, length=32), nullable=False),
    sa.Column('severity', sa.Enum('low', 'medium', 'high', 'critical', name='issueseverity', native_enum=False, length=32), nullable=False),
    sa.Column('impact', sa.Enum('minor_delay', 'major_delay', 'cannot_complete', name='issueimpact', native_enum=False, length=32), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('holds_job', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('reported_by', sa.String(length=64), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['manufacturing_jobs.id'], name=op.f('fk_job_issues_job_id_manufacturing_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_issues'))
    )
    with op.batch_alter_table('job_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_issues_job_id'), ['job_id'], unique=False)

    op.create_table('job_notes',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=True),
    sa.Column('author_role', sa.Enum('manufacturer', 'admin', 'customer', name='noteauthorrole', native_enum=False, length=32), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['manufacturing_jobs.id'], name=op.f('fk_job_notes_job_id_manufacturing_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_notes'))
    )
    with op.batch_alter_table('job_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_notes_job_id'), ['job_id'], unique=False)

    op.create_table('job_photos',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('thumbnail_url', sa.String(length=500), nullable=True),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('stage', sa.Enum('cutting', 'sewing', 'printing', 'qc', 'packing', 'other', name='photostage', native_enum=False, length=32), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['manufacturing_jobs.id'], name=op.f('fk_job_photos_job_id_manufacturing_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_photos'))
    )
    with op.batch_alter_table('job_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_photos_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_photos_stage'), ['stage'], unique=False)

    op.create_table('notifications',
    sa.Column('audience', sa.Enum('manufacturer', 'admin', name='notificationaudience', native_enum=False, length=32), nullable=False),
    sa.Column('manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('type', sa.Enum('new_job', 'due_soon', 'overdue', 'note_added', 'payment_received', 'job_reassigned', 'pending_assignment', 'routed_to_backup', 'job_declined', 'credit_warning', 'issue_reported', 'status_changed', name='notificationtype', native_enum=False, length=32), nullable=False),
    sa.Column('priority', sa.Enum('low', 'normal', 'high', name='notificationpriority', native_enum=False, length=32), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('is_read', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['manufacturing_jobs.id'], name=op.f('fk_notifications_job_id_manufacturing_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturers.id'], name=op.f('fk_notifications_manufacturer_id_manufacturers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_notifications_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_manufacturer_id'), ['manufacturer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_order_id'), ['order_id'], unique=False)

    op.create_table('routing_decisions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('product_family_id', sa.Uuid(), nullable=True),
    sa.Column('manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('previous_manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('routed_by', sa.Enum('auto', 'manual', 'fallback', name='routedby', native_enum=False, length=32), nullable=False),
    sa.Column('source', sa.Enum('variant_default', 'product_override', 'category_override', 'family_default', 'family_assignment', 'unassigned', name='manufacturersource', native_enum=False, length=32), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('candidates', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('warnings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('actor_role', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['manufacturing_jobs.id'], name=op.f('fk_routing_decisions_job_id_manufacturing_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturers.id'], name=op.f('fk_routing_decisions_manufacturer_id_manufacturers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_routing_decisions_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['previous_manufacturer_id'], ['manufacturers.id'], name=op.f('fk_routing_decisions_previous_manufacturer_id_manufacturers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_family_id'], ['product_families.id'], name=op.f('fk_routing_decisions_product_family_id_product_families'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_decisions'))
    )
    with op.batch_alter_table('routing_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routing_decisions_decided_at'), ['decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_routing_decisions_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_routing_decisions_order_id'), ['order_id'], unique=False)

    op.create_table('order_items',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('size', sa.String(length=20), nullable=False),
    sa.Column('technique', sa.Enum('dtg', 'screen', 'embroidery', 'sublimation', 'heat_transfer', 'cut_sew', name='technique', native_enum=False, length=32), server_default='dtg', nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('metadata', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_items_quantity_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_items_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_order_items_variant_id_variants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_items'))
    )
    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_items_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_items_variant_id'), ['variant_id'], unique=False)

    op.create_table('manufacturing_job_items',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('order_item_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['manufacturing_jobs.id'], name=op.f('fk_manufacturing_job_items_job_id_manufacturing_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_item_id'], ['order_items.id'], name=op.f('fk_manufacturing_job_items_order_item_id_order_items'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manufacturing_job_items')),
    sa.UniqueConstraint('job_id', 'order_item_id', name=op.f('uq_manufacturing_job_items_job_id_order_item_id'))
    )
    with op.batch_alter_table('manufacturing_job_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manufacturing_job_items_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_manufacturing_job_items_order_item_id'), ['order_item_id'], unique=False)

    with op.batch_alter_table('manufacturers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_limit', sa.Numeric(precision=12, scale=2), server_default='10000.00', nullable=False))
        batch_op.add_column(sa.Column('current_balance', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('credit_hold_enabled', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('payment_standing', sa.Enum('good', 'warning', 'delinquent', name='paymentstanding', native_enum=False, length=32), server_default='good', nullable=False))

    _make_append_only()


def downgrade() -> None:
    _drop_append_only_guards()
    with op.batch_alter_table('manufacturing_job_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_manufacturing_job_items_order_item_id'))
        batch_op.drop_index(batch_op.f('ix_manufacturing_job_items_job_id'))

    op.drop_table('manufacturing_job_items')
    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_items_variant_id'))
        batch_op.drop_index(batch_op.f('ix_order_items_order_id'))

    op.drop_table('order_items')
    with op.batch_alter_table('routing_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routing_decisions_order_id'))
        batch_op.drop_index(batch_op.f('ix_routing_decisions_job_id'))
        batch_op.drop_index(batch_op.f('ix_routing_decisions_decided_at'))

    op.drop_table('routing_decisions')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_order_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_manufacturer_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_job_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('job_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_photos_stage'))
        batch_op.drop_index(batch_op.f('ix_job_photos_job_id'))

    op.drop_table('job_photos')
    with op.batch_alter_table('job_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_notes_job_id'))

    op.drop_table('job_notes')
    with op.batch_alter_table('job_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_issues_job_id'))

    op.drop_table('job_issues')
    with op.batch_alter_table('manufacturing_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_manufacturing_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_manufacturing_jobs_product_family_id'))
        batch_op.drop_index(batch_op.f('ix_manufacturing_jobs_order_id'))
        batch_op.drop_index(batch_op.f('ix_manufacturing_jobs_manufacturer_id'))
        batch_op.drop_index(batch_op.f('ix_manufacturing_jobs_due_date'))

    op.drop_table('manufacturing_jobs')
    with op.batch_alter_table('fulfillment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fulfillment_events_order_id'))

    op.drop_table('fulfillment_events')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_status'))
        batch_op.drop_index(batch_op.f('ix_orders_customer_id'))

    op.drop_table('orders')
    with op.batch_alter_table('status_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_history_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_status_history_entity_id'))

    op.drop_table('status_history')
    op.drop_table('reference_sequences')
    op.drop_table('customers')
    # Last: on SQLite this rebuilds the table, which the jobs' foreign keys would block.
    with op.batch_alter_table('manufacturers', schema=None) as batch_op:
        batch_op.drop_column('payment_standing')
        batch_op.drop_column('credit_hold_enabled')
        batch_op.drop_column('current_balance')
        batch_op.drop_column('credit_limit')


# Timelines and histories are facts: rows are inserted, never changed (like audit_log).
_APPEND_ONLY = ("fulfillment_events", "status_history", "routing_decisions")


def _make_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION reject_row_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for table in _APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION reject_row_change()"
            )
    else:
        for table in _APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def _drop_append_only_guards() -> None:
    postgresql_ = op.get_bind().dialect.name == "postgresql"
    for table in _APPEND_ONLY:
        if postgresql_:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
    if postgresql_:
        op.execute("DROP FUNCTION IF EXISTS reject_row_change()")
