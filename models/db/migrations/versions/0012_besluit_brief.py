"""besluit brief: a besluit's ZGW-shaped dates, its letters per addressee, bekendmaking

Issue 25: every besluit reaches its addressees as a letter (PDF in the case database), and
its bezwaar term counts from the day each letter was made known (Awb 3:41, 6:8).

Revision ID: 0012_besluit_brief
Revises: 0008_besluit_beoordeling
Create Date: 2026-12-07 01:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012_besluit_brief"
down_revision = "0008_besluit_beoordeling"
branch_labels = None
depends_on = None

_BESLUIT = (
    sa.Column("soort", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""),
    sa.Column(
        "rechtsmiddel", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="bezwaar"
    ),
    sa.Column("ingangsdatum", sa.Date(), nullable=True),
    sa.Column("vervaldatum", sa.Date(), nullable=True),
    sa.Column("vervalreden", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column("verzenddatum", sa.Date(), nullable=True),
    sa.Column("bekendgemaakt_op", sa.Date(), nullable=True),
    sa.Column("uiterlijke_reactiedatum", sa.Date(), nullable=True),
)


def upgrade() -> None:
    with op.batch_alter_table("besluit", schema=None) as batch_op:
        for kolom in _BESLUIT:
            batch_op.add_column(kolom)
    with op.batch_alter_table("notificatie", schema=None) as batch_op:
        batch_op.add_column(sa.Column("brief_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_notificatie_brief_id"), ["brief_id"], unique=False)
    op.create_table(
        "brief",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("besluit_id", sa.Integer(), nullable=False),
        sa.Column("zaak", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rollen", sa.JSON(), nullable=False),
        sa.Column("client_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("kanaal", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("doel", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("naam", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("adres", sa.JSON(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("bekendgemaakt_op", sa.Date(), nullable=True),
        sa.Column("uiterlijke_reactiedatum", sa.Date(), nullable=True),
        sa.Column("aangemaakt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["besluit_id"], ["besluit.id"]),
        sa.ForeignKeyConstraint(["zaak"], ["zaak.key"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("brief", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_brief_besluit_id"), ["besluit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_brief_zaak"), ["zaak"], unique=False)
        batch_op.create_index(batch_op.f("ix_brief_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("brief")
    with op.batch_alter_table("notificatie", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notificatie_brief_id"))
        batch_op.drop_column("brief_id")
    with op.batch_alter_table("besluit", schema=None) as batch_op:
        for kolom in reversed(_BESLUIT):
            batch_op.drop_column(kolom.name)
