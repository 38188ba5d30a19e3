"""aanbieder api: provider keys, idempotent submissions, webhook subscriptions and events

Issue 28: the provider's own authenticated channel.

Revision ID: 0023_aanbieder_api
Revises: 0014_brief_mededeling
Create Date: 2026-12-07 04:40:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0023_aanbieder_api"
down_revision = "0014_brief_mededeling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aanbieder_sleutel",
        sa.Column("sleutel_id", sa.String(length=32), primary_key=True),
        sa.Column("agb", sa.String(length=8), sa.ForeignKey("zorgaanbieder.agb"), nullable=False),
        sa.Column("sleutel_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("aangemaakt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("aangemaakt_door", sa.String(), nullable=False),
        sa.Column("ingetrokken_op", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ingetrokken_door", sa.String(), nullable=True),
    )
    op.create_index("ix_aanbieder_sleutel_agb", "aanbieder_sleutel", ["agb"])
    op.create_table(
        "api_idempotentie",
        sa.Column("agb", sa.String(length=8), primary_key=True),
        sa.Column("sleutel", sa.String(length=128), primary_key=True),
        sa.Column("verzoek_hash", sa.String(length=64), nullable=False),
        sa.Column("zaak", sa.String(length=20), sa.ForeignKey("zaak.key"), nullable=False),
        sa.Column("aangemaakt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_table(
        "abonnement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agb", sa.String(length=8), sa.ForeignKey("zorgaanbieder.agb"), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("geheim", sa.String(length=128), nullable=False),
        sa.Column("aangemaakt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("aangemaakt_door", sa.String(), nullable=False),
        sa.Column("opgezegd_op", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    )
    op.create_index("ix_abonnement_agb", "abonnement", ["agb"])
    op.create_table(
        "webhookbericht",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("abonnement_id", sa.Integer(), sa.ForeignKey("abonnement.id"), nullable=False),
        sa.Column("gebeurtenis", sa.String(length=40), nullable=False),
        sa.Column("zaak", sa.String(length=20), nullable=True),
        sa.Column("inhoud", sa.JSON(), nullable=False),
        sa.Column("aangemaakt", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("verzonden_op", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("laatste_fout", sa.String(), nullable=True),
    )
    op.create_index("ix_webhookbericht_abonnement_id", "webhookbericht", ["abonnement_id"])
    op.create_index("ix_webhookbericht_status", "webhookbericht", ["status"])


def downgrade() -> None:
    op.drop_table("webhookbericht")
    op.drop_table("abonnement")
    op.drop_table("api_idempotentie")
    op.drop_table("aanbieder_sleutel")
