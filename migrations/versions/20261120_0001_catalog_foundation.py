"""Catalog foundation: families, manufacturers, categories, products, variants, audit log.

Revision ID: 0001
Revises: 
Create Date: 2026-11-20 23:22:07.731528
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('actor_type', sa.Enum('user', 'anonymous', 'system', 'scheduled_job', name='actortype', native_enum=False, length=32), nullable=False),
    sa.Column('actor_role', sa.String(length=32), nullable=True),
    sa.Column('actor_ip', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=500), nullable=True),
    sa.Column('action', sa.Enum('created', 'updated', 'deleted', 'soft_deleted', 'deactivated', 'status_changed', 'verified', name='auditaction', native_enum=False, length=32), nullable=False),
    sa.Column('entity_type', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('field_name', sa.String(length=64), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('context', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_entity_type'), ['entity_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('manufacturers',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('primary_contact_whatsapp', sa.String(length=32), nullable=True),
    sa.Column('secondary_email', sa.String(length=255), nullable=True),
    sa.Column('secondary_phone', sa.String(length=32), nullable=True),
    sa.Column('website', sa.String(length=255), nullable=True),
    sa.Column('capabilities', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('certifications', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('payment_terms', sa.Enum('NET30', 'NET60', '50_50', '30_70', 'COD', 'PREPAY', name='paymentterms', native_enum=False, length=32), server_default='NET30', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('avg_lead_time_days', sa.Integer(), nullable=True),
    sa.Column('max_concurrent_jobs', sa.Integer(), nullable=True),
    sa.Column('max_monthly_capacity', sa.Integer(), nullable=True),
    sa.Column('current_monthly_load', sa.Integer(), server_default='0', nullable=False),
    sa.Column('accepting_orders', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('onboarding_status', sa.Enum('pending', 'documents_required', 'in_review', 'approved', 'active', 'suspended', 'terminated', name='onboardingstatus', native_enum=False, length=32), server_default='pending', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manufacturers'))
    )
    op.create_table('product_families',
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('default_manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('backup_manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('target_cost_min', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('target_cost_max', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('lead_time_days', sa.Integer(), server_default='21', nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('image_url', sa.String(length=500), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['backup_manufacturer_id'], ['manufacturers.id'], name=op.f('fk_product_families_backup_manufacturer_id_manufacturers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['default_manufacturer_id'], ['manufacturers.id'], name=op.f('fk_product_families_default_manufacturer_id_manufacturers'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_families')),
    sa.UniqueConstraint('code', name=op.f('uq_product_families_code'))
    )
    with op.batch_alter_table('product_families', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_families_backup_manufacturer_id'), ['backup_manufacturer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_families_default_manufacturer_id'), ['default_manufacturer_id'], unique=False)

    op.create_table('categories',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('product_family_id', sa.Uuid(), nullable=True),
    sa.Column('manufacturer_override_id', sa.Uuid(), nullable=True),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['manufacturer_override_id'], ['manufacturers.id'], name=op.f('fk_categories_manufacturer_override_id_manufacturers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_family_id'], ['product_families.id'], name=op.f('fk_categories_product_family_id_product_families'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categories_manufacturer_override_id'), ['manufacturer_override_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_categories_product_family_id'), ['product_family_id'], unique=False)

    op.create_table('product_family_manufacturers',
    sa.Column('product_family_id', sa.Uuid(), nullable=False),
    sa.Column('manufacturer_id', sa.Uuid(), nullable=False),
    sa.Column('priority', sa.Integer(), server_default='1', nullable=False),
    sa.Column('can_sublimate', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('can_embroider', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('can_screen_print', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('can_dtg', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('can_cut_sew', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('can_heat_transfer', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('moq', sa.Integer(), nullable=True),
    sa.Column('cost_per_unit', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('lead_time_days', sa.Integer(), nullable=True),
    sa.Column('payment_terms', sa.Enum('NET30', 'NET60', '50_50', '30_70', 'COD', 'PREPAY', name='paymentterms', native_enum=False, length=32), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturers.id'], name=op.f('fk_product_family_manufacturers_manufacturer_id_manufacturers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_family_id'], ['product_families.id'], name=op.f('fk_product_family_manufacturers_product_family_id_product_families'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_family_manufacturers')),
    sa.UniqueConstraint('product_family_id', 'manufacturer_id', name=op.f('uq_product_family_manufacturers_product_family_id_manufacturer_id'))
    )
    with op.batch_alter_table('product_family_manufacturers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_family_manufacturers_manufacturer_id'), ['manufacturer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_family_manufacturers_product_family_id'), ['product_family_id'], unique=False)

    op.create_table('products',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=True),
    sa.Column('sku', sa.String(length=100), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('product_family_id', sa.Uuid(), nullable=True),
    sa.Column('product_category_id', sa.Uuid(), nullable=True),
    sa.Column('manufacturer_override_id', sa.Uuid(), nullable=True),
    sa.Column('unit_cost', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['manufacturer_override_id'], ['manufacturers.id'], name=op.f('fk_products_manufacturer_override_id_manufacturers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_category_id'], ['categories.id'], name=op.f('fk_products_product_category_id_categories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_family_id'], ['product_families.id'], name=op.f('fk_products_product_family_id_product_families'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('code', name=op.f('uq_products_code')),
    sa.UniqueConstraint('sku', name=op.f('uq_products_sku'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_manufacturer_override_id'), ['manufacturer_override_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_product_category_id'), ['product_category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_product_family_id'), ['product_family_id'], unique=False)

    op.create_table('variants',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('sku', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('size', sa.String(length=20), nullable=True),
    sa.Column('colour', sa.String(length=50), nullable=True),
    sa.Column('default_manufacturer_id', sa.Uuid(), nullable=True),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['default_manufacturer_id'], ['manufacturers.id'], name=op.f('fk_variants_default_manufacturer_id_manufacturers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_variants_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_variants')),
    sa.UniqueConstraint('sku', name=op.f('uq_variants_sku'))
    )
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_variants_default_manufacturer_id'), ['default_manufacturer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_variants_product_id'), ['product_id'], unique=False)


    _make_audit_log_append_only()

def downgrade() -> None:
    _drop_audit_log_guards()
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_variants_product_id'))
        batch_op.drop_index(batch_op.f('ix_variants_default_manufacturer_id'))

    op.drop_table('variants')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_product_family_id'))
        batch_op.drop_index(batch_op.f('ix_products_product_category_id'))
        batch_op.drop_index(batch_op.f('ix_products_manufacturer_override_id'))

    op.drop_table('products')
    with op.batch_alter_table('product_family_manufacturers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_family_manufacturers_product_family_id'))
        batch_op.drop_index(batch_op.f('ix_product_family_manufacturers_manufacturer_id'))

    op.drop_table('product_family_manufacturers')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_categories_product_family_id'))
        batch_op.drop_index(batch_op.f('ix_categories_manufacturer_override_id'))

    op.drop_table('categories')
    with op.batch_alter_table('product_families', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_families_default_manufacturer_id'))
        batch_op.drop_index(batch_op.f('ix_product_families_backup_manufacturer_id'))

    op.drop_table('product_families')
    op.drop_table('manufacturers')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_entity_type'))
        batch_op.drop_index(batch_op.f('ix_audit_log_entity_id'))

    op.drop_table('audit_log')


# The audit log is append-only in the database itself (SPEC §1.10), not only in the code.
_AUDIT_GUARD_MESSAGE = "audit_log is append-only"


def _make_audit_log_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{_AUDIT_GUARD_MESSAGE}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{_AUDIT_GUARD_MESSAGE}'); END"
            )


def _drop_audit_log_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
