"""bezwaar details: adviescommissie and its advice (Awb 7:13), invitation and verslag of the hoorzitting
(7:4, 7:7), kostenvergoeding (7:15)

Issue 26 point 10. Existing procedures had no adviescommissie (false), no invitation date
recorded, no verslag and no request for costs (NULL).

Revision ID: 0017_bezwaar_details
Revises: 0014_brief_mededeling
Create Date: 2026-12-07 04:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_bezwaar_details"
down_revision = "0014_brief_mededeling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bezwaar", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("adviescommissie", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("advies_commissie", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("uitgenodigd_op", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("verslag", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("kostenvergoeding", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bezwaar", schema=None) as batch_op:
        batch_op.drop_column("kostenvergoeding")
        batch_op.drop_column("verslag")
        batch_op.drop_column("uitgenodigd_op")
        batch_op.drop_column("advies_commissie")
        batch_op.drop_column("adviescommissie")
