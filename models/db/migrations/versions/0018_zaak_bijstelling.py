"""zaak bijstelling: the request's term and the applicant's consent (issue 26 point 1)

R §10 bijstellen: the beoordelaar asks for an adjustment with a term; the beslistermijn is
suspended only with the applicant's consent (Awb 4:15 lid 2 sub a). Existing zaken have no
recorded bijstelling: NULL.

Revision ID: 0018_zaak_bijstelling
Revises: 0014_brief_mededeling
Create Date: 2026-12-07 04:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_zaak_bijstelling"
down_revision = "0014_brief_mededeling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bijstelling", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.drop_column("bijstelling")
