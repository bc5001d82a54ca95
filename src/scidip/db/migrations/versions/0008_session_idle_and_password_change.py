"""idle session timeout (web_session.last_seen_at), forced password change (web_user flag)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 00:00:00

Existing sessions count as last used when they were opened: one idle longer than the timeout
is refused at its next use. No user is flagged here: whether a stored password keeps the
policy is known only from its plain text, so the flag is set at the user's next login
(:func:`scidip.auth.service.authenticate`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "last_seen_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="Last use (kept to within a minute); idle longer than the idle "
                "timeout, the session is refused.",
            )
        )
    session = sa.table(
        "web_session",
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("last_seen_at", sa.DateTime(timezone=True)),
    )
    op.execute(session.update().values(last_seen_at=session.c.created_at))
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.alter_column(
            "last_seen_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
                comment="Set when the password in use fails the current policy (found at "
                "login) or was set by an admin: until changed, the user may do nothing but "
                "change it.",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
