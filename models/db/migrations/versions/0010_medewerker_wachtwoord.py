"""medewerker wachtwoord: an Argon2id hash for the dashboard login (deployments/gateway.py)

Revises 0002, not 0001: the medewerker table is created in 0002, so this branch must come
after it (a branch of its own, so it does not depend on the other helpers' revisions).

Revision ID: 0010_medewerker_wachtwoord
Revises: 0002
Create Date: 2026-12-01 16:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_medewerker_wachtwoord"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Staff registered before this revision have no password: they cannot log in until
    # `meerzorg medewerker registreer --id X --rol R --wachtwoord` sets one.
    with op.batch_alter_table("medewerker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wachtwoord_hash", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("medewerker", schema=None) as batch_op:
        batch_op.drop_column("wachtwoord_hash")
