"""ingebrekestelling: the ingebrekestelling and its dwangsom (Awb 4:17-4:18)

Issue 26 point 4: an ingebrekestelling received after the beslistermijn starts a dwangsom two
weeks later; it stops at the besluit on the aanvraag (or after 42 days) and a besluit fixes
it. One row per zaak (models/db/tables_dwangsom.py).

Revision ID: 0016_ingebrekestelling
Revises: 0014_brief_mededeling
Create Date: 2026-12-07 04:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_ingebrekestelling"
down_revision = "0014_brief_mededeling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingebrekestelling",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zaak", sa.String(), sa.ForeignKey("zaak.key"), nullable=False, unique=True),
        sa.Column("ontvangen", sa.Date(), nullable=False),
        sa.Column("beslistermijn", sa.Date(), nullable=False),
        sa.Column("dwangsom_start", sa.Date(), nullable=False),
        sa.Column("geregistreerd_op", sa.Date(), nullable=False),
        sa.Column("geregistreerd_door", sa.String(), nullable=False),
        sa.Column("besluit_id", sa.Integer(), sa.ForeignKey("besluit.id"), nullable=True),
        sa.Column("besluit_op", sa.Date(), nullable=True),
        sa.Column("besluit_soort", sa.String(), nullable=True),
        sa.Column("vastgesteld_besluit", sa.Integer(), sa.ForeignKey("besluit.id"), nullable=True),
        sa.Column("gestopt_op", sa.Date(), nullable=True),
        sa.Column("dagen", sa.Integer(), nullable=True),
        sa.Column("bedrag", sa.Integer(), nullable=True),
        sa.Column("geen_dwangsom", sa.String(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("ingebrekestelling")
