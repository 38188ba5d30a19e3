"""bezwaar: the bezwaarschrift and its handling (Awb 6-7), the beslistermijn's extension (4:14)

Revision ID: 0007_bezwaar
Revises: 0006_contact_bevinding
Create Date: 2026-12-01 16:30:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007_bezwaar"
down_revision = "0006_contact_bevinding"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing zaken were never extended: 0 days.
    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("verlengd_dagen", sa.Integer(), nullable=False, server_default="0")
        )
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "bezwaar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zaak", text(), nullable=False),
        sa.Column("besluit_id", sa.Integer(), nullable=False),
        sa.Column("besluit_datum", sa.Date(), nullable=False),
        sa.Column("ontvangen", sa.Date(), nullable=False),
        sa.Column("verzonden", sa.Date(), nullable=True),
        sa.Column("tijdig", sa.Boolean(), nullable=False),
        sa.Column("gronden", text(), nullable=False),
        sa.Column("indiener", text(), nullable=False),
        sa.Column("uiterlijk", sa.Date(), nullable=False),
        sa.Column("verdaagd", sa.Boolean(), nullable=False),
        sa.Column("verdaging_reden", text(), nullable=True),
        sa.Column("terug_status", text(), nullable=False),
        sa.Column("betrokken", sa.JSON(), nullable=False),
        sa.Column("behandelaar", text(), nullable=True),
        sa.Column("verschoonbaar", sa.Boolean(), nullable=True),
        sa.Column("verschoonbaar_onderbouwing", text(), nullable=True),
        sa.Column("hoorzitting_op", sa.Date(), nullable=True),
        sa.Column("afzien_grond", text(), nullable=True),
        sa.Column("uitkomst", text(), nullable=True),
        sa.Column("onderbouwing", text(), nullable=True),
        sa.Column("beslist_op", sa.Date(), nullable=True),
        sa.Column("heropend_ronde", sa.Integer(), nullable=True),
        sa.Column("geregistreerd", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["besluit_id"], ["besluit.id"]),
        sa.ForeignKeyConstraint(["zaak"], ["zaak.key"]),
        sa.PrimaryKeyConstraint("id"),
        # Awb: one bezwaar per besluit.
        sa.UniqueConstraint("besluit_id"),
    )
    with op.batch_alter_table("bezwaar", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bezwaar_zaak"), ["zaak"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bezwaar", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bezwaar_zaak"))
    op.drop_table("bezwaar")
    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.drop_column("verlengd_dagen")
