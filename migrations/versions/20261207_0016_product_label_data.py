"""A product's vial-label data (issue 27 item 10, seed 002 §10.1): CAS number, form,
storage conditions and GHS pictograms as nullable columns of products (revision 0016, after
0015; created 2026-12-07). The form is stored as VARCHAR (a new value needs no DDL).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cas_number", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("form", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("storage_conditions", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column(
                "ghs_pictograms",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("ghs_pictograms")
        batch_op.drop_column("storage_conditions")
        batch_op.drop_column("form")
        batch_op.drop_column("cas_number")
