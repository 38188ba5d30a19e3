"""bezwaar indieners: several bezwaarschriften against one besluit are one procedure

Issue 25 point 5: every belanghebbende may object to a besluit (Awb 6:7, 7:12); a second
bezwaarschrift against the same besluit joins the open procedure. Each indiener is an
entry of `indieners` (role, client, receipt, in time, gronden or pro forma with its 6:6
term); `clienten` keeps whose besluit it was, so the beslissing op bezwaar reaches their
parties. Existing rows get their one indiener.

Revision ID: 0013_bezwaar_indieners
Revises: 0012_besluit_brief, 0007_bezwaar (a merge: the bezwaar table is 0007's)
Create Date: 2026-12-07 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_bezwaar_indieners"
# A merge of the two branches: the bezwaar table is 0007's. (As `depends_on` it left 0007 a
# head of the scripts that the database no longer listed.)
down_revision = ("0012_besluit_brief", "0007_bezwaar")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bezwaar", schema=None) as batch_op:
        batch_op.add_column(sa.Column("indieners", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("clienten", sa.JSON(), nullable=True))
    bezwaar = sa.table(
        "bezwaar",
        sa.column("id", sa.Integer()),
        sa.column("indiener", sa.String()),
        sa.column("ontvangen", sa.Date()),
        sa.column("verzonden", sa.Date()),
        sa.column("tijdig", sa.Boolean()),
        sa.column("gronden", sa.String()),
        sa.column("verschoonbaar", sa.Boolean()),
        sa.column("indieners", sa.JSON()),
    )
    conn = op.get_bind()
    rijen = conn.execute(
        sa.select(
            bezwaar.c.id,
            bezwaar.c.indiener,
            bezwaar.c.ontvangen,
            bezwaar.c.verzonden,
            bezwaar.c.tijdig,
            bezwaar.c.gronden,
            bezwaar.c.verschoonbaar,
        )
    ).all()
    for r in rijen:
        indiener = {
            "indiener": r.indiener,
            "client_id": None,
            "ontvangen": r.ontvangen.isoformat(),
            "verzonden": r.verzonden.isoformat() if r.verzonden else None,
            "tijdig": bool(r.tijdig),
            "verschoonbaar": r.verschoonbaar,
            "pro_forma": False,
            "gronden": r.gronden or "",
            "gronden_uiterlijk": None,
            "niet_ontvankelijk": False,
        }
        conn.execute(bezwaar.update().where(bezwaar.c.id == r.id).values(indieners=[indiener]))


def downgrade() -> None:
    with op.batch_alter_table("bezwaar", schema=None) as batch_op:
        batch_op.drop_column("clienten")
        batch_op.drop_column("indieners")
