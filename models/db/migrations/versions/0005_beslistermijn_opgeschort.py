"""beslistermijn opgeschort: the days a zaak waited in herstel (Awb 4:15)

Revision ID: 0005
Revises: 0001
Create Date: 2026-12-01 15:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing zaken were never suspended: 0 days.
    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("opgeschort_dagen", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.drop_column("opgeschort_dagen")
