"""werkbak claim: who picked up a zaak's wait, and each login's saved werkbak filter

Issue 27: the assessor's werkbak. A branch after 0014 (the app upgrades to "heads").

Revision ID: 0022_werkbak_claim
Revises: 0014_brief_mededeling
Create Date: 2026-12-07 04:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0022_werkbak_claim"
down_revision = "0014_brief_mededeling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "taak_claim",
        sa.Column("taak", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("wacht_key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("houder", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sinds", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actief", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["houder"], ["medewerker.id"]),
        sa.PrimaryKeyConstraint("taak"),
    )
    with op.batch_alter_table("taak_claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taak_claim_houder"), ["houder"], unique=False)
    op.create_table(
        "werkbak_filter",
        sa.Column("medewerker", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("filter", sa.JSON(), nullable=False),
        sa.Column("bijgewerkt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["medewerker"], ["medewerker.id"]),
        sa.PrimaryKeyConstraint("medewerker"),
    )


def downgrade() -> None:
    op.drop_table("werkbak_filter")
    op.drop_table("taak_claim")
