"""Inbound shipments with their items, QC inspections with their lines and photos, and the
issues failed goods raise (revision 0009, after 0008; created 2026-12-07).

A shipment's source and an inspection's subject are a kind and an id (no foreign key), so
procurement's purchase orders and lots join as new kinds without a redesign; the owner
(the manufacturer) is copied onto shipments and inspections for manufacturers' reads.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"



def upgrade() -> None:
    op.create_table('inbound_shipments',
    sa.Column('shipment_number', sa.String(length=32), nullable=False),
    sa.Column('source_type', sa.Enum('MANUFACTURING_JOB', name='inboundsourcetype', native_enum=False, length=32), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('fulfillment_center_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('EXPECTED', 'IN_TRANSIT', 'DELIVERED', 'RECEIVED', 'INSPECTING', 'STOCKED', 'ISSUE', name='inboundstatus', native_enum=False, length=32), nullable=False),
    sa.Column('carrier', sa.Enum('DHL', 'FedEx', 'UPS', 'USPS', 'Aramex', 'Other', name='shippingcarrier', native_enum=False, length=32), nullable=True),
    sa.Column('tracking_number', sa.String(length=100), nullable=True),
    sa.Column('tracking_url', sa.String(length=500), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expected_arrival', sa.Date(), nullable=True),
    sa.Column('in_transit_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_by', sa.String(length=64), nullable=True),
    sa.Column('inspection_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stocked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issue_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('package_condition', sa.Enum('GOOD', 'DAMAGED', 'TAMPERED', name='packagecondition', native_enum=False, length=32), nullable=True),
    sa.Column('temperature_on_arrival', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('lost_flagged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('temperature_on_arrival IS NULL OR temperature_on_arrival BETWEEN -100 AND 100', name=op.f('ck_inbound_shipments_temperature_range')),
    sa.ForeignKeyConstraint(['fulfillment_center_id'], ['fulfillment_centers.id'], name=op.f('fk_inbound_shipments_fulfillment_center_id_fulfillment_centers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturers.id'], name=op.f('fk_inbound_shipments_manufacturer_id_manufacturers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_shipments')),
    sa.UniqueConstraint('shipment_number', name=op.f('uq_inbound_shipments_shipment_number'))
    )
    with op.batch_alter_table('inbound_shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_shipments_expected_arrival'), ['expected_arrival'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_shipments_fulfillment_center_id'), ['fulfillment_center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_shipments_manufacturer_id'), ['manufacturer_id'], unique=False)
        batch_op.create_index('ix_inbound_shipments_source', ['source_type', 'source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_shipments_status'), ['status'], unique=False)

    op.create_table('qc_inspections',
    sa.Column('inspection_number', sa.String(length=32), nullable=False),
    sa.Column('subject_type', sa.Enum('INBOUND_SHIPMENT', name='qcsubjecttype', native_enum=False, length=32), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('PENDING', 'IN_PROGRESS', 'COMPLETED', name='qcstatus', native_enum=False, length=32), nullable=False),
    sa.Column('result', sa.Enum('PASS', 'PASS_WITH_NOTES', 'HOLD', 'FAIL_REWORK', 'FAIL_REJECT', name='qcresult', native_enum=False, length=32), nullable=True),
    sa.Column('checklist', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('inspector', sa.String(length=64), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("(status = 'COMPLETED') = (result IS NOT NULL)", name=op.f('ck_qc_inspections_result_when_completed')),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturers.id'], name=op.f('fk_qc_inspections_manufacturer_id_manufacturers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qc_inspections')),
    sa.UniqueConstraint('inspection_number', name=op.f('uq_qc_inspections_inspection_number'))
    )
    with op.batch_alter_table('qc_inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qc_inspections_manufacturer_id'), ['manufacturer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qc_inspections_status'), ['status'], unique=False)
        batch_op.create_index('ix_qc_inspections_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('inbound_issues',
    sa.Column('shipment_id', sa.Uuid(), nullable=False),
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('result', sa.Enum('PASS', 'PASS_WITH_NOTES', 'HOLD', 'FAIL_REWORK', 'FAIL_REJECT', name='qcresult', native_enum=False, length=32), nullable=False),
    sa.Column('failed_quantity', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('resolution', sa.Enum('REWORK', 'CREDIT', 'REPLACE', 'PARTIAL_ACCEPT', name='inboundissueresolution', native_enum=False, length=32), nullable=True),
    sa.Column('resolution_notes', sa.Text(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['qc_inspections.id'], name=op.f('fk_inbound_issues_inspection_id_qc_inspections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturers.id'], name=op.f('fk_inbound_issues_manufacturer_id_manufacturers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['shipment_id'], ['inbound_shipments.id'], name=op.f('fk_inbound_issues_shipment_id_inbound_shipments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_issues'))
    )
    with op.batch_alter_table('inbound_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_issues_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_issues_manufacturer_id'), ['manufacturer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_issues_shipment_id'), ['shipment_id'], unique=False)

    op.create_table('qc_inspection_lines',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('subject_line_id', sa.Uuid(), nullable=False),
    sa.Column('passed_quantity', sa.Integer(), nullable=False),
    sa.Column('failed_quantity', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('passed_quantity >= 0 AND failed_quantity >= 0', name=op.f('ck_qc_inspection_lines_verdict_not_negative')),
    sa.ForeignKeyConstraint(['inspection_id'], ['qc_inspections.id'], name=op.f('fk_qc_inspection_lines_inspection_id_qc_inspections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qc_inspection_lines'))
    )
    with op.batch_alter_table('qc_inspection_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qc_inspection_lines_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qc_inspection_lines_subject_line_id'), ['subject_line_id'], unique=False)

    op.create_table('qc_photos',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('file_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('OVERVIEW', 'DEFECT', 'COMPARISON', name='qcphotokind', native_enum=False, length=32), nullable=False),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], name=op.f('fk_qc_photos_file_id_files'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['inspection_id'], ['qc_inspections.id'], name=op.f('fk_qc_photos_inspection_id_qc_inspections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qc_photos'))
    )
    with op.batch_alter_table('qc_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qc_photos_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qc_photos_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('inbound_shipment_items',
    sa.Column('shipment_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('source_line_id', sa.Uuid(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('expected_quantity', sa.Integer(), nullable=False),
    sa.Column('received_quantity', sa.Integer(), nullable=True),
    sa.Column('passed_quantity', sa.Integer(), server_default='0', nullable=False),
    sa.Column('failed_quantity', sa.Integer(), server_default='0', nullable=False),
    sa.Column('qc_notes', sa.Text(), nullable=True),
    sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('inspected_by', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('expected_quantity > 0', name=op.f('ck_inbound_shipment_items_expected_positive')),
    sa.CheckConstraint('passed_quantity >= 0 AND failed_quantity >= 0', name=op.f('ck_inbound_shipment_items_verdict_not_negative')),
    sa.CheckConstraint('received_quantity IS NULL OR received_quantity >= 0', name=op.f('ck_inbound_shipment_items_received_not_negative')),
    sa.ForeignKeyConstraint(['shipment_id'], ['inbound_shipments.id'], name=op.f('fk_inbound_shipment_items_shipment_id_inbound_shipments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_inbound_shipment_items_variant_id_variants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_shipment_items'))
    )
    with op.batch_alter_table('inbound_shipment_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_shipment_items_shipment_id'), ['shipment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_shipment_items_variant_id'), ['variant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('inbound_shipment_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_shipment_items_variant_id'))
        batch_op.drop_index(batch_op.f('ix_inbound_shipment_items_shipment_id'))

    op.drop_table('inbound_shipment_items')
    with op.batch_alter_table('qc_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qc_photos_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_qc_photos_file_id'))

    op.drop_table('qc_photos')
    with op.batch_alter_table('qc_inspection_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qc_inspection_lines_subject_line_id'))
        batch_op.drop_index(batch_op.f('ix_qc_inspection_lines_inspection_id'))

    op.drop_table('qc_inspection_lines')
    with op.batch_alter_table('inbound_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_issues_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_inbound_issues_manufacturer_id'))
        batch_op.drop_index(batch_op.f('ix_inbound_issues_inspection_id'))

    op.drop_table('inbound_issues')
    with op.batch_alter_table('qc_inspections', schema=None) as batch_op:
        batch_op.drop_index('ix_qc_inspections_subject')
        batch_op.drop_index(batch_op.f('ix_qc_inspections_status'))
        batch_op.drop_index(batch_op.f('ix_qc_inspections_manufacturer_id'))

    op.drop_table('qc_inspections')
    with op.batch_alter_table('inbound_shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_shipments_status'))
        batch_op.drop_index('ix_inbound_shipments_source')
        batch_op.drop_index(batch_op.f('ix_inbound_shipments_manufacturer_id'))
        batch_op.drop_index(batch_op.f('ix_inbound_shipments_fulfillment_center_id'))
        batch_op.drop_index(batch_op.f('ix_inbound_shipments_expected_arrival'))

    op.drop_table('inbound_shipments')
