"""zaak zonder aanbieder: a pgb aanvraag by its budgethouder names no provider (agb NULL)

Issue 25: a budgethouder applies for meerzorg with a pgb without a zorgaanbieder's AGB
(models/aanvrager.py). The zaak, its clients' rows and their ontwikkeltrajecten then have no
provider: their agb is NULL.

Revision ID: 0015_zaak_zonder_aanbieder
Revises: 0014_brief_mededeling
Create Date: 2026-12-07 04:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_zaak_zonder_aanbieder"
down_revision = "0014_brief_mededeling"
branch_labels = None
depends_on = None

TABELLEN = ("zaak", "client", "ontwikkeltraject")


def upgrade() -> None:
    for tabel in TABELLEN:
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.alter_column("agb", existing_type=sa.String(), nullable=True)


def downgrade() -> None:
    # A provider-less zaak cannot exist without the column being nullable: refuse to lose one.
    for tabel in TABELLEN:
        n = op.get_bind().execute(sa.text(f"SELECT COUNT(*) FROM {tabel} WHERE agb IS NULL"))
        if n.scalar():
            raise RuntimeError(f"{tabel} heeft rijen zonder agb: eerst die zaken afhandelen")
    for tabel in TABELLEN:
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.alter_column("agb", existing_type=sa.String(), nullable=False)
