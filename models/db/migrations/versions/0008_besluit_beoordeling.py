"""besluit beoordeling: the assessment behind a besluit (R §10 criteria, perspectief)

Revision ID: 0008_besluit_beoordeling
Revises: 0001
Create Date: 2026-12-01 16:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_besluit_beoordeling"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Besluiten taken before this revision recorded no criteria or perspectief: empty.
    with op.batch_alter_table("besluit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("beoordeling", sa.JSON(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    with op.batch_alter_table("besluit", schema=None) as batch_op:
        batch_op.drop_column("beoordeling")
