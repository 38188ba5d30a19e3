"""medewerker sessie: the gateway's logins, revoked server-side at logout and password change

A branch after 0010 (the medewerker's password), like 0010 after 0002.

Revision ID: 0011_medewerker_sessie
Revises: 0010_medewerker_wachtwoord
Create Date: 2026-12-02 10:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011_medewerker_sessie"
down_revision = "0010_medewerker_wachtwoord"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Cookies issued before this revision name no session row: those logins end, and the
    # medewerker logs in once more.
    op.create_table(
        "medewerker_sessie",
        sa.Column("sleutel", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("medewerker", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("aangemaakt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("verloopt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["medewerker"], ["medewerker.id"]),
        sa.PrimaryKeyConstraint("sleutel"),
    )
    with op.batch_alter_table("medewerker_sessie", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medewerker_sessie_medewerker"), ["medewerker"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_medewerker_sessie_verloopt"), ["verloopt"], unique=False
        )


def downgrade() -> None:
    op.drop_table("medewerker_sessie")
