"""contact bevinding: the finding of a periodic contact with a client at home (N 2025)

Revision ID: 0006_contact_bevinding
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_contact_bevinding"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Contacts recorded before this revision have no bevinding (NULL), not a guessed one.
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bevinding", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("bevinding")
