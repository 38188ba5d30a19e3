"""geval: the cases of the simple kinds and their timers

Issue 24: a new simple case kind is one package (models/soorten/<naam>/); its cases live in
these two tables, its own data as JSON with a schema version.

Revision ID: 0024_geval
Revises: 0023_aanbieder_api
Create Date: 2026-12-07 07:20:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0024_geval"
down_revision = "0023_aanbieder_api"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "geval",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("soort", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("wacht_op", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("wacht_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("stap", sa.Integer(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("gegevens", sa.JSON(), nullable=False),
        sa.Column("schema_versie", sa.Integer(), nullable=False),
        sa.Column("laatste_fout", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("flow_run_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("aangemaakt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("bijgewerkt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_geval_soort_status", "geval", ["soort", "status"])
    op.create_index("ix_geval_wacht_op", "geval", ["wacht_op"])
    op.create_index("ix_geval_flow_run_id", "geval", ["flow_run_id"])
    op.create_table(
        "geval_termijn",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sleutel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("geval_id", sa.Integer(), sa.ForeignKey("geval.id"), nullable=False),
        sa.Column("geval_soort", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("soort", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("voor_status", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("gevuurd_op", sa.Date(), nullable=True),
        sa.UniqueConstraint("sleutel"),
    )
    op.create_index("ix_geval_termijn_geval_id", "geval_termijn", ["geval_id"])
    op.create_index("ix_geval_termijn_due", "geval_termijn", ["geval_soort", "status", "datum"])


def downgrade() -> None:
    op.drop_table("geval_termijn")
    op.drop_table("geval")
