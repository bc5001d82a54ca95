"""the change stamp that every write raises (read caches key their answers by it)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    stamp = op.create_table(
        "change_stamp",
        sa.Column("id", sa.Integer(), nullable=False, comment="Always 1."),
        sa.Column(
            "value",
            sa.BigInteger(),
            nullable=False,
            comment="Raised by every committed transaction that changes records.",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_stamp")),
    )
    op.bulk_insert(stamp, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("change_stamp")
