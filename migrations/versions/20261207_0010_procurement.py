"""Procurement (issue 27): suppliers (tax ID encrypted: `tax_id_encrypted` holds a Fernet
token, plain TEXT here), their price lists, purchase orders with lines and payments (crypto
amounts and rates as the exact decimal strings given), and the lots received from them.
One idempotency key per PO's payment.
(revision 0010, after 0009; created 2026-12-07).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.create_table('suppliers',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=255), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('website', sa.String(length=255), nullable=True),
    sa.Column('address_line1', sa.String(length=200), nullable=True),
    sa.Column('address_line2', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('state', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), server_default='US', nullable=False),
    sa.Column('payment_terms', sa.String(length=50), nullable=True),
    sa.Column('default_lead_time_days', sa.Integer(), server_default='14', nullable=False),
    sa.Column('default_currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('account_number', sa.String(length=64), nullable=True),
    sa.Column('tax_id_encrypted', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('active', 'inactive', 'suspended', 'blocked', name='supplierstatus', native_enum=False, length=32), server_default='active', nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_by', sa.String(length=64), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('block_kind', sa.Enum('quality', 'business', name='blockkind', native_enum=False, length=32), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('code', name=op.f('uq_suppliers_code'))
    )
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suppliers_status'), ['status'], unique=False)

    op.create_table('purchase_orders',
    sa.Column('po_number', sa.String(length=32), nullable=True),
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'confirmed', 'partially_shipped', 'shipped', 'partially_received', 'received', 'closed', 'cancelled', name='purchaseorderstatus', native_enum=False, length=32), server_default='draft', nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('subtotal', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('shipping_cost', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('tax_amount', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('payment_status', sa.Enum('unpaid', 'partially_paid', 'paid', name='paymentstatus', native_enum=False, length=32), server_default='unpaid', nullable=False),
    sa.Column('supplier_reference', sa.String(length=100), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('supplier_hold', sa.Enum('flagged', 'blocked', name='supplierhold', native_enum=False, length=32), nullable=True),
    sa.Column('supplier_hold_reason', sa.Text(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id_suppliers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders')),
    sa.UniqueConstraint('po_number', name=op.f('uq_purchase_orders_po_number'))
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_orders_payment_status'), ['payment_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_order_payments',
    sa.Column('purchase_order_id', sa.Uuid(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('amount_usd', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('payment_method', sa.Enum('crypto', 'wire', 'ach', 'check', 'credit_card', 'other', name='popaymentmethod', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'failed', name='popaymentstatus', native_enum=False, length=32), server_default='pending', nullable=False),
    sa.Column('crypto_currency', sa.String(length=10), nullable=True),
    sa.Column('crypto_amount', sa.String(length=40), nullable=True),
    sa.Column('crypto_rate_usd', sa.String(length=40), nullable=True),
    sa.Column('crypto_rate_source', sa.Enum('coinbase', 'kraken', 'coingecko', 'btcpay', name='cryptoratesource', native_enum=False, length=32), nullable=True),
    sa.Column('crypto_rate_timestamp', sa.DateTime(timezone=True), nullable=True),
    sa.Column('crypto_tx_hash', sa.String(length=128), nullable=True),
    sa.Column('crypto_network', sa.Enum('bitcoin', 'ethereum', 'lightning', 'solana', 'tron', name='cryptonetwork', native_enum=False, length=32), nullable=True),
    sa.Column('crypto_from_address', sa.String(length=128), nullable=True),
    sa.Column('crypto_to_address', sa.String(length=128), nullable=True),
    sa.Column('crypto_confirmations', sa.Integer(), nullable=True),
    sa.Column('crypto_fee', sa.String(length=40), nullable=True),
    sa.Column('crypto_fee_usd', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('fiat_reference', sa.String(length=100), nullable=True),
    sa.Column('fiat_bank', sa.String(length=200), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('amount_usd > 0', name=op.f('ck_purchase_order_payments_amount_positive')),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_payments_purchase_order_id_purchase_orders'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_payments')),
    sa.UniqueConstraint('purchase_order_id', 'idempotency_key', name=op.f('uq_purchase_order_payments_purchase_order_id_idempotency_key'))
    )
    with op.batch_alter_table('purchase_order_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_payments_purchase_order_id'), ['purchase_order_id'], unique=False)

    op.create_table('supplier_price_lists',
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('supplier_sku', sa.String(length=100), nullable=True),
    sa.Column('unit_cost', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('unit_quantity', sa.String(length=32), nullable=True),
    sa.Column('minimum_order_quantity', sa.Integer(), server_default='1', nullable=False),
    sa.Column('effective_date', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('supplier_hold', sa.Enum('flagged', 'blocked', name='supplierhold', native_enum=False, length=32), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('minimum_order_quantity > 0', name=op.f('ck_supplier_price_lists_moq_positive')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_supplier_price_lists_unit_cost_not_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_supplier_price_lists_product_id_products'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_price_lists_supplier_id_suppliers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_price_lists'))
    )
    with op.batch_alter_table('supplier_price_lists', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_price_lists_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ix_supplier_price_lists_supplier_product', ['supplier_id', 'product_id'], unique=False)

    op.create_table('purchase_order_lines',
    sa.Column('purchase_order_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=True),
    sa.Column('price_list_id', sa.Uuid(), nullable=True),
    sa.Column('quantity_ordered', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('quantity_received', sa.Integer(), server_default='0', nullable=False),
    sa.Column('supplier_sku', sa.String(length=100), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('quantity_ordered > 0', name=op.f('ck_purchase_order_lines_quantity_ordered_positive')),
    sa.CheckConstraint('quantity_received >= 0', name=op.f('ck_purchase_order_lines_quantity_received_not_negative')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_purchase_order_lines_unit_cost_not_negative')),
    sa.ForeignKeyConstraint(['price_list_id'], ['supplier_price_lists.id'], name=op.f('fk_purchase_order_lines_price_list_id_supplier_price_lists'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_purchase_order_lines_product_id_products'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_purchase_order_id_purchase_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_purchase_order_lines_variant_id_variants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_lines'))
    )
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_price_list_id'), ['price_list_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_purchase_order_id'), ['purchase_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_variant_id'), ['variant_id'], unique=False)

    # Lots (BR-39, BR-41): regulatory records, never deleted.
    op.create_table('lots',
    sa.Column('lot_number', sa.String(length=40), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('purchase_order_id', sa.Uuid(), nullable=False),
    sa.Column('po_line_id', sa.Uuid(), nullable=False),
    sa.Column('supplier_lot_number', sa.String(length=100), nullable=True),
    sa.Column('manufacture_date', sa.Date(), nullable=True),
    sa.Column('expiration_date', sa.Date(), nullable=True),
    sa.Column('received_quantity', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by', sa.String(length=64), nullable=True),
    sa.Column('package_condition', sa.Enum('GOOD', 'DAMAGED', 'TAMPERED', name='packagecondition', native_enum=False, length=32), nullable=True),
    sa.Column('temperature_on_arrival', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('status', sa.Enum('pending', 'quarantined', 'active', 'rejected', 'expired', 'recalled', name='lotstatus', native_enum=False, length=32), server_default='pending', nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('supplier_hold', sa.Enum('flagged', 'blocked', name='supplierhold', native_enum=False, length=32), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('expiration_date IS NULL OR manufacture_date IS NULL OR expiration_date > manufacture_date', name=op.f('ck_lots_expires_after_made')),
    sa.CheckConstraint('received_quantity > 0', name=op.f('ck_lots_received_positive')),
    sa.ForeignKeyConstraint(['po_line_id'], ['purchase_order_lines.id'], name=op.f('fk_lots_po_line_id_purchase_order_lines'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_lots_product_id_products'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_lots_purchase_order_id_purchase_orders'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_lots_supplier_id_suppliers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_lots_variant_id_variants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lots')),
    sa.UniqueConstraint('lot_number', name=op.f('uq_lots_lot_number'))
    )
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lots_expiration_date'), ['expiration_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_po_line_id'), ['po_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_purchase_order_id'), ['purchase_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_variant_id'), ['variant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lots_variant_id'))
        batch_op.drop_index(batch_op.f('ix_lots_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_lots_status'))
        batch_op.drop_index(batch_op.f('ix_lots_purchase_order_id'))
        batch_op.drop_index(batch_op.f('ix_lots_product_id'))
        batch_op.drop_index(batch_op.f('ix_lots_po_line_id'))
        batch_op.drop_index(batch_op.f('ix_lots_expiration_date'))

    op.drop_table('lots')

    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_variant_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_purchase_order_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_product_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_price_list_id'))

    op.drop_table('purchase_order_lines')
    with op.batch_alter_table('supplier_price_lists', schema=None) as batch_op:
        batch_op.drop_index('ix_supplier_price_lists_supplier_product')
        batch_op.drop_index(batch_op.f('ix_supplier_price_lists_product_id'))

    op.drop_table('supplier_price_lists')
    with op.batch_alter_table('purchase_order_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_payments_purchase_order_id'))

    op.drop_table('purchase_order_payments')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_orders_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_status'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_payment_status'))

    op.drop_table('purchase_orders')
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suppliers_status'))

    op.drop_table('suppliers')
