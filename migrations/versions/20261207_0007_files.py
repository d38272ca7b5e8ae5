"""Files: one row per stored upload (its object is in the storage backend, keyed by purpose
and content hash); a job photo points at its file, photos added before keep their URL
(revision 0007, after 0006; created 2026-12-07).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table('files',
    sa.Column('purpose', sa.Enum('job_photo', 'qc_photo', 'coa', 'document', name='filepurpose', native_enum=False, length=32), nullable=False),
    sa.Column('retention', sa.Enum('orphans_pruned', 'kept_forever', name='retention', native_enum=False, length=32), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sa.Enum('image/jpeg', 'image/png', 'image/webp', 'application/pdf', name='contenttype', native_enum=False, length=32), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('uploaded_by', sa.String(length=64), nullable=True),
    sa.Column('thumbnail_key', sa.String(length=200), nullable=True),
    sa.Column('thumbnail_size', sa.Integer(), nullable=True),
    sa.Column('public', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_files'))
    )
    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_files_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_files_storage_key'), ['storage_key'], unique=False)
        batch_op.create_index('ix_files_unattached', ['attached_at', 'created_at'], unique=False)

    with op.batch_alter_table('job_photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_id', sa.Uuid(), nullable=True))
        batch_op.alter_column('url',
               existing_type=sa.VARCHAR(length=500),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_job_photos_file_id'), ['file_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_job_photos_file_id_files'), 'files', ['file_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(op.f('ck_job_photos_url_or_file'), 'url IS NOT NULL OR file_id IS NOT NULL')



def downgrade() -> None:
    # Photos that exist only as uploads have nothing to keep without the files table.
    op.execute('DELETE FROM job_photos WHERE url IS NULL')
    with op.batch_alter_table('job_photos', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_job_photos_url_or_file'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_job_photos_file_id_files'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_job_photos_file_id'))
        batch_op.alter_column('url',
               existing_type=sa.VARCHAR(length=500),
               nullable=False)
        batch_op.drop_column('file_id')

    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.drop_index('ix_files_unattached')
        batch_op.drop_index(batch_op.f('ix_files_storage_key'))
        batch_op.drop_index(batch_op.f('ix_files_sha256'))

    op.drop_table('files')
