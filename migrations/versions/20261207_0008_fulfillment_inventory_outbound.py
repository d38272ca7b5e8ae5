"""The 3PL: fulfillment centers, inventory levels keyed (center, variant, lot) with their
append-only ledger and adjustments, outbound shipments and their items
(revision 0008, after 0007; created 2026-12-07).

The level's invariants are CHECK constraints as well as code (on hand >= 0,
0 <= reserved <= on hand, incoming >= 0); the key's lot is nullable, so it is two partial
unique indexes (a plain one would let NULL lots repeat); the ledger is append-only like the
other histories (0004's trigger function on PostgreSQL, a trigger per table on SQLite).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table('fulfillment_centers',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address_line1', sa.String(length=200), nullable=True),
    sa.Column('address_line2', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('operating_hours', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('capabilities', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('carrier_preferences', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_centers')),
    sa.UniqueConstraint('code', name=op.f('uq_fulfillment_centers_code'))
    )
    with op.batch_alter_table('fulfillment_centers', schema=None) as batch_op:
        batch_op.create_index('uq_fulfillment_centers_default', ['is_default'], unique=True, postgresql_where=sa.text('is_default'), sqlite_where=sa.text('is_default'))

    op.create_table('outbound_shipments',
    sa.Column('shipment_number', sa.String(length=32), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('fulfillment_center_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('PENDING', 'PICKING', 'PACKING', 'PACKED', 'SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'CANCELED', name='outboundstatus', native_enum=False, length=32), nullable=False),
    sa.Column('proposed', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('carrier', sa.Enum('DHL', 'FedEx', 'UPS', 'USPS', 'Aramex', 'Other', name='shippingcarrier', native_enum=False, length=32), nullable=True),
    sa.Column('tracking_number', sa.String(length=100), nullable=True),
    sa.Column('tracking_url', sa.String(length=500), nullable=True),
    sa.Column('weight_kg', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('length_cm', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('width_cm', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('height_cm', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('shipping_cost', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('picking_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('packed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('canceled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['fulfillment_center_id'], ['fulfillment_centers.id'], name=op.f('fk_outbound_shipments_fulfillment_center_id_fulfillment_centers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_outbound_shipments_order_id_orders'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_shipments')),
    sa.UniqueConstraint('shipment_number', name=op.f('uq_outbound_shipments_shipment_number'))
    )
    with op.batch_alter_table('outbound_shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_shipments_fulfillment_center_id'), ['fulfillment_center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_shipments_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_shipments_status'), ['status'], unique=False)

    op.create_table('inventory_levels',
    sa.Column('fulfillment_center_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('lot_id', sa.Uuid(), nullable=True),
    sa.Column('on_hand', sa.Integer(), server_default='0', nullable=False),
    sa.Column('reserved', sa.Integer(), server_default='0', nullable=False),
    sa.Column('incoming', sa.Integer(), server_default='0', nullable=False),
    sa.Column('bin_location', sa.String(length=50), nullable=True),
    sa.Column('reorder_point', sa.Integer(), nullable=True),
    sa.Column('max_threshold', sa.Integer(), nullable=True),
    sa.Column('cost_per_unit', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('last_counted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_movement_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('incoming >= 0', name=op.f('ck_inventory_levels_incoming_not_negative')),
    sa.CheckConstraint('on_hand >= 0', name=op.f('ck_inventory_levels_on_hand_not_negative')),
    sa.CheckConstraint('reserved >= 0 AND reserved <= on_hand', name=op.f('ck_inventory_levels_reserved_within_on_hand')),
    sa.ForeignKeyConstraint(['fulfillment_center_id'], ['fulfillment_centers.id'], name=op.f('fk_inventory_levels_fulfillment_center_id_fulfillment_centers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_inventory_levels_variant_id_variants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_levels'))
    )
    with op.batch_alter_table('inventory_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_levels_fulfillment_center_id'), ['fulfillment_center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_levels_variant_id'), ['variant_id'], unique=False)
        batch_op.create_index('uq_inventory_levels_lot', ['fulfillment_center_id', 'variant_id', 'lot_id'], unique=True, postgresql_where=sa.text('lot_id IS NOT NULL'), sqlite_where=sa.text('lot_id IS NOT NULL'))
        batch_op.create_index('uq_inventory_levels_no_lot', ['fulfillment_center_id', 'variant_id'], unique=True, postgresql_where=sa.text('lot_id IS NULL'), sqlite_where=sa.text('lot_id IS NULL'))

    op.create_table('inventory_adjustments',
    sa.Column('level_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('COUNT_CORRECTION', 'DAMAGE_LOSS', 'SAMPLE_DEMO_USE', 'CUSTOMER_RETURN', 'THEFT', 'SYSTEM_ERROR', name='adjustmentreason', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('PENDING_APPROVAL', 'APPLIED', 'REJECTED', name='adjustmentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('requested_by', sa.String(length=64), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('quantity <> 0', name=op.f('ck_inventory_adjustments_quantity_not_zero')),
    sa.ForeignKeyConstraint(['level_id'], ['inventory_levels.id'], name=op.f('fk_inventory_adjustments_level_id_inventory_levels'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_adjustments'))
    )
    with op.batch_alter_table('inventory_adjustments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_adjustments_level_id'), ['level_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_adjustments_status'), ['status'], unique=False)

    op.create_table('inventory_transactions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('level_id', sa.Uuid(), nullable=False),
    sa.Column('fulfillment_center_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('lot_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.Enum('STOCK_IN', 'RESERVE', 'UNRESERVE', 'PICK', 'ADJUSTMENT', 'INCOMING', name='ledgerkind', native_enum=False, length=32), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('on_hand_change', sa.Integer(), nullable=False),
    sa.Column('reserved_change', sa.Integer(), nullable=False),
    sa.Column('incoming_change', sa.Integer(), nullable=False),
    sa.Column('on_hand_after', sa.Integer(), nullable=False),
    sa.Column('reserved_after', sa.Integer(), nullable=False),
    sa.Column('incoming_after', sa.Integer(), nullable=False),
    sa.Column('reference_type', sa.Enum('INBOUND_SHIPMENT', 'OUTBOUND_SHIPMENT', 'ORDER', 'ADJUSTMENT', 'PURCHASE_ORDER', 'LOT', name='ledgerreference', native_enum=False, length=32), nullable=False),
    sa.Column('reference_id', sa.Uuid(), nullable=True),
    sa.Column('reason_code', sa.Enum('COUNT_CORRECTION', 'DAMAGE_LOSS', 'SAMPLE_DEMO_USE', 'CUSTOMER_RETURN', 'THEFT', 'SYSTEM_ERROR', name='adjustmentreason', native_enum=False, length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('performed_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['fulfillment_center_id'], ['fulfillment_centers.id'], name=op.f('fk_inventory_transactions_fulfillment_center_id_fulfillment_centers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['level_id'], ['inventory_levels.id'], name=op.f('fk_inventory_transactions_level_id_inventory_levels'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_inventory_transactions_variant_id_variants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_transactions'))
    )
    with op.batch_alter_table('inventory_transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_transactions_fulfillment_center_id'), ['fulfillment_center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_transactions_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_inventory_transactions_level_time', ['level_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_transactions_reference_id'), ['reference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_transactions_variant_id'), ['variant_id'], unique=False)
    _make_ledger_append_only()

    op.create_table('outbound_shipment_items',
    sa.Column('shipment_id', sa.Uuid(), nullable=False),
    sa.Column('order_item_id', sa.Uuid(), nullable=False),
    sa.Column('level_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('picked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('picked_by', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_outbound_shipment_items_quantity_positive')),
    sa.ForeignKeyConstraint(['level_id'], ['inventory_levels.id'], name=op.f('fk_outbound_shipment_items_level_id_inventory_levels'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_item_id'], ['order_items.id'], name=op.f('fk_outbound_shipment_items_order_item_id_order_items'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['shipment_id'], ['outbound_shipments.id'], name=op.f('fk_outbound_shipment_items_shipment_id_outbound_shipments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_shipment_items'))
    )
    with op.batch_alter_table('outbound_shipment_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_shipment_items_level_id'), ['level_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_shipment_items_order_item_id'), ['order_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_shipment_items_shipment_id'), ['shipment_id'], unique=False)



def downgrade() -> None:
    _drop_ledger_guard()
    with op.batch_alter_table('outbound_shipment_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_shipment_items_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_outbound_shipment_items_order_item_id'))
        batch_op.drop_index(batch_op.f('ix_outbound_shipment_items_level_id'))

    op.drop_table('outbound_shipment_items')
    with op.batch_alter_table('inventory_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_transactions_variant_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_transactions_reference_id'))
        batch_op.drop_index('ix_inventory_transactions_level_time')
        batch_op.drop_index(batch_op.f('ix_inventory_transactions_kind'))
        batch_op.drop_index(batch_op.f('ix_inventory_transactions_fulfillment_center_id'))

    op.drop_table('inventory_transactions')
    with op.batch_alter_table('inventory_adjustments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_adjustments_status'))
        batch_op.drop_index(batch_op.f('ix_inventory_adjustments_level_id'))

    op.drop_table('inventory_adjustments')
    with op.batch_alter_table('inventory_levels', schema=None) as batch_op:
        batch_op.drop_index('uq_inventory_levels_no_lot', postgresql_where=sa.text('lot_id IS NULL'), sqlite_where=sa.text('lot_id IS NULL'))
        batch_op.drop_index('uq_inventory_levels_lot', postgresql_where=sa.text('lot_id IS NOT NULL'), sqlite_where=sa.text('lot_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_inventory_levels_variant_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_levels_fulfillment_center_id'))

    op.drop_table('inventory_levels')
    with op.batch_alter_table('outbound_shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_shipments_status'))
        batch_op.drop_index(batch_op.f('ix_outbound_shipments_order_id'))
        batch_op.drop_index(batch_op.f('ix_outbound_shipments_fulfillment_center_id'))

    op.drop_table('outbound_shipments')
    with op.batch_alter_table('fulfillment_centers', schema=None) as batch_op:
        batch_op.drop_index('uq_fulfillment_centers_default', postgresql_where=sa.text('is_default'), sqlite_where=sa.text('is_default'))

    op.drop_table('fulfillment_centers')


def _make_ledger_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER inventory_transactions_append_only BEFORE UPDATE "
            "ON inventory_transactions FOR EACH ROW EXECUTE FUNCTION reject_row_change()"
        )
    else:
        op.execute(
            "CREATE TRIGGER inventory_transactions_no_update BEFORE UPDATE "
            "ON inventory_transactions "
            "BEGIN SELECT RAISE(ABORT, 'inventory_transactions is append-only'); END"
        )


def _drop_ledger_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP TRIGGER IF EXISTS inventory_transactions_append_only ON inventory_transactions"
        )
    else:
        op.execute("DROP TRIGGER IF EXISTS inventory_transactions_no_update")
