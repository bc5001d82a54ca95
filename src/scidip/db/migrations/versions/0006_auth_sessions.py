"""server-side sessions, token expiry, login throttle, source addresses, password policy state

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:40:00

Existing API tokens get an expiry 90 days after this upgrade; page sessions made before it
(signed cookies naming a user) stop working: their users log in again.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "digest",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of the cookie's session token, hex.",
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "expires_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="After this the session is refused.",
        ),
        sa.Column("address", sa.String(length=64), nullable=False, comment="Where it logged in."),
        sa.Column("agent", sa.String(length=200), nullable=False, comment="Browser (User-Agent)."),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["web_user.id"],
            name=op.f("fk_web_session_user_id_web_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("digest", name=op.f("uq_web_session_digest")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "web_login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, comment="Failures in a row."),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "blocked_until",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="No password is checked for this key before then.",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_web_login_throttle")),
    )

    with op.batch_alter_table("web_login_attempt", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "address",
                sa.String(length=64),
                nullable=False,
                server_default="",
                comment="Source address.",
            )
        )
        batch_op.add_column(
            sa.Column(
                "checked",
                sa.Boolean(),
                nullable=False,
                server_default=sa.true(),
                comment="False when the throttle refused it unchecked.",
            )
        )

    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "password_changed_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="Last change or reset of the password.",
            )
        )
        batch_op.add_column(
            sa.Column(
                "bootstrap",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
                comment="The first admin, made by the server with a printed password: disabled "
                "once another admin exists, unless its password was changed.",
            )
        )

    with op.batch_alter_table("web_api_token", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "expires_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="After this the token is refused.",
            )
        )
    token = sa.table("web_api_token", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(token.update().values(expires_at=datetime.now(UTC) + timedelta(days=90)))
    with op.batch_alter_table("web_api_token", schema=None) as batch_op:
        batch_op.alter_column(
            "expires_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )

    # The first admin made by `scidip serve` before this version: called admin, made with a
    # printed password. It is marked so that it is disabled once another admin exists.
    user = sa.table("web_user", sa.column("username", sa.String), sa.column("bootstrap"))
    op.execute(user.update().where(user.c.username == "admin").values(bootstrap=True))


def downgrade() -> None:
    with op.batch_alter_table("web_api_token", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.drop_column("bootstrap")
        batch_op.drop_column("password_changed_at")
    with op.batch_alter_table("web_login_attempt", schema=None) as batch_op:
        batch_op.drop_column("checked")
        batch_op.drop_column("address")
    op.drop_table("web_login_throttle")
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_user_id"))
    op.drop_table("web_session")
