"""an engagement's number (the 6th meeting of a board) and mode (in person, online, hybrid); a
membership's note

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("engagement") as batch:
        batch.add_column(
            sa.Column(
                "number",
                sa.Integer(),
                nullable=True,
                comment="Ordinal of a numbered meeting (the 6th meeting of a board...).",
            )
        )
        batch.add_column(
            sa.Column(
                "mode",
                sa.Enum(
                    "in_person",
                    "online",
                    "hybrid",
                    name="meetingmode",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
                comment="in_person, online or hybrid, where the source says.",
            )
        )
    with op.batch_alter_table("membership") as batch:
        batch.add_column(
            sa.Column("note", sa.Text(), nullable=True, comment="Why the dates are what they are.")
        )


def downgrade() -> None:
    with op.batch_alter_table("membership") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("engagement") as batch:
        batch.drop_column("mode")
        batch.drop_column("number")
