"""brief mededeling: a letter that is no besluit (besluit_id NULL)

Issue 25: a client-side indiener of a bezwaar hears every step of it (Awb 7:12 lid 2) by a
letter to its party, like the besluiten's; such a notice belongs to no besluit.

Revision ID: 0014_brief_mededeling
Revises: 0013_bezwaar_indieners
Create Date: 2026-12-07 02:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_brief_mededeling"
down_revision = "0013_bezwaar_indieners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("brief", schema=None) as batch_op:
        batch_op.alter_column("besluit_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute(
        "DELETE FROM notificatie WHERE brief_id IN (SELECT id FROM brief WHERE besluit_id IS NULL)"
    )
    op.execute("DELETE FROM brief WHERE besluit_id IS NULL")
    with op.batch_alter_table("brief", schema=None) as batch_op:
        batch_op.alter_column("besluit_id", existing_type=sa.Integer(), nullable=False)
