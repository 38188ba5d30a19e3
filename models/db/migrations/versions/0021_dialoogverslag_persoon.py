"""dialoog verslag and persoon: the CCE's presence at the meerzorgdialoog, its verslag as a
letter to the provider, and the pseudonymous client identity (issue 26, points 7 and 11)

- dialoog.cce_aanwezig (R §10: the dialoog is held with the CCE);
- dialoog_verslag: the verslag's PDF, carried by one outbox row to the provider;
- persoon (keyed by HMAC-SHA256 of the BSN) and client_persoon (each client row's persoon),
  filled for the existing client rows (models/db/persoon.py), so a client's CCE history
  follows her to another provider.

Revision ID: 0021_dialoogverslag_persoon
Revises: 0014_brief_mededeling
Create Date: 2026-12-07 04:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_dialoogverslag_persoon"
# Also after 0004 (the dialoog table), another head of the tree: a merge point.
down_revision = ("0014_brief_mededeling", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dialoog", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cce_aanwezig", sa.Boolean(), nullable=True))
    op.create_table(
        "dialoog_verslag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialoog_id", sa.Integer(), nullable=False),
        sa.Column("notificatie", sa.String(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dialoog_id"], ["dialoog.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dialoog_id"),
        sa.UniqueConstraint("notificatie"),
    )
    op.create_table(
        "persoon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sleutel", sa.String(length=64), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sleutel"),
    )
    op.create_table(
        "client_persoon",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("persoon_id", sa.Integer(), nullable=False),
        # No foreign key to client: SQLite rebuilds `client` for a column change (batch
        # mode), and a reference from here would make that DROP TABLE fail on a filled table.
        sa.ForeignKeyConstraint(["persoon_id"], ["persoon.id"]),
        sa.PrimaryKeyConstraint("client_id"),
    )
    op.create_index("ix_client_persoon_persoon_id", "client_persoon", ["persoon_id"])
    # The backfill: every existing client row gets its persoon (the key from the settings).
    from models.db.persoon import koppel_ontbrekende

    koppel_ontbrekende(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_client_persoon_persoon_id", table_name="client_persoon")
    op.drop_table("client_persoon")
    op.drop_table("persoon")
    op.drop_table("dialoog_verslag")
    with op.batch_alter_table("dialoog", schema=None) as batch_op:
        batch_op.drop_column("cce_aanwezig")
