"""COAs (issue 27 items 8 and 9): certificates of analysis with their stored PDF (SHA-256,
key coa/{lot}/{lot}-coa-v{N}.pdf), status, revision chain and retention, and the lots each
covers (lot_coas, many to many). Never deleted: every foreign key RESTRICTs.
(revision 0014, after 0012; created 2026-12-07).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table('coas',
    sa.Column('file_id', sa.Uuid(), nullable=False),
    sa.Column('file_key', sa.String(length=200), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('purity_percentage', sa.Numeric(precision=6, scale=3), nullable=True),
    sa.Column('analysis_date', sa.Date(), nullable=True),
    sa.Column('lab_name', sa.String(length=200), nullable=True),
    sa.Column('lab_reference', sa.String(length=100), nullable=True),
    sa.Column('purity_records', _JSON, nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'verified', 'expired', 'superseded', 'rejected', name='coastatus', native_enum=False, length=32), server_default='draft', nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), server_default='1', nullable=False),
    sa.Column('revises_id', sa.Uuid(), nullable=True),
    sa.Column('superseded_by', sa.Uuid(), nullable=True),
    sa.Column('retention_until', sa.Date(), nullable=False),
    sa.Column('verified', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('verified_by', sa.String(length=64), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('purity_percentage IS NULL OR (purity_percentage >= 0 AND purity_percentage <= 100)', name=op.f('ck_coas_purity_is_a_percentage')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_coas_revision_positive')),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], name=op.f('fk_coas_file_id_files'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['revises_id'], ['coas.id'], name=op.f('fk_coas_revises_id_coas'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['superseded_by'], ['coas.id'], name=op.f('fk_coas_superseded_by_coas'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coas')),
    sa.UniqueConstraint('file_key', name=op.f('uq_coas_file_key'))
    )
    with op.batch_alter_table('coas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coas_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coas_lab_reference'), ['lab_reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_coas_revises_id'), ['revises_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coas_status'), ['status'], unique=False)

    op.create_table('lot_coas',
    sa.Column('lot_id', sa.Uuid(), nullable=False),
    sa.Column('coa_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['coa_id'], ['coas.id'], name=op.f('fk_lot_coas_coa_id_coas'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_lot_coas_lot_id_lots'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_coas')),
    sa.UniqueConstraint('lot_id', 'coa_id', name=op.f('uq_lot_coas_lot_id_coa_id'))
    )
    with op.batch_alter_table('lot_coas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_coas_coa_id'), ['coa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lot_coas_lot_id'), ['lot_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lot_coas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_coas_lot_id'))
        batch_op.drop_index(batch_op.f('ix_lot_coas_coa_id'))

    op.drop_table('lot_coas')
    with op.batch_alter_table('coas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coas_status'))
        batch_op.drop_index(batch_op.f('ix_coas_revises_id'))
        batch_op.drop_index(batch_op.f('ix_coas_lab_reference'))
        batch_op.drop_index(batch_op.f('ix_coas_file_id'))

    op.drop_table('coas')
