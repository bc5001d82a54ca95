"""what the format can say (#13 item 4): two-sided partial dates (a lower bound beside "no later
than"), a committee meeting's last day and note, an engagement's note, a post's names in other
languages, a body's dated sizes, published figures of committee meetings and members, and the
datasets loaded with their home party (#13 item 6). Existing rows keep their values: the new
columns are empty (no lower bound, no other names, no sizes), and no stored date changes meaning.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every partial date of the schema at 0007, by table (frozen here: the models may change later).
PARTIAL_DATES = {
    "party": ("existed_from", "existed_until"),
    "published_figure": ("as_of",),
    "source": ("published",),
    "agreement_action": ("taken", "effective", "until"),
    "coverage_span": ("since", "ends"),
    "organisation": ("founded", "dissolved"),
    "succession": ("date",),
    "committee_meeting": ("date",),
    "engagement": ("date", "end"),
    "membership": ("start", "end"),
    "post": ("created",),
    "action_item": ("due",),
    "appointment": ("start", "end"),
    "document": ("date",),
    "document_follow_up": ("date",),
}
_OLD_METRICS = ("agreements", "states", "organisations")
_NEW_METRICS = (*_OLD_METRICS, "committee_meetings", "members")
_METRIC_CHECK = "ck_published_figure_figuremetric"


def _lower_bound(name: str) -> list[sa.Column[object]]:
    return [
        sa.Column(
            f"{name}_not_before", sa.Date(), nullable=True, comment="Lower bound: its first day."
        ),
        sa.Column(f"{name}_not_before_precision", sa.String(5), nullable=True),
    ]


def _metric(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values, name="figuremetric", native_enum=False, create_constraint=False, length=32
    )


def _in(values: tuple[str, ...]) -> str:
    return "metric IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    for table, names in PARTIAL_DATES.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                for column in _lower_bound(name):
                    batch.add_column(column)
    with op.batch_alter_table("committee_meeting") as batch:
        batch.add_column(
            sa.Column(
                "end_on",
                sa.Date(),
                nullable=True,
                comment="Last day (inclusive), for a meeting over several days.",
            )
        )
        batch.add_column(sa.Column("end_precision", sa.String(5), nullable=True))
        batch.add_column(sa.Column("end_not_after", sa.Boolean(), nullable=True))
        for column in _lower_bound("end"):
            batch.add_column(column)
        batch.add_column(
            sa.Column("note", sa.Text(), nullable=True, comment="What the source adds.")
        )
    with op.batch_alter_table("engagement") as batch:
        batch.add_column(
            sa.Column(
                "note",
                sa.Text(),
                nullable=True,
                comment="What the source adds: attending ministers, why a date is what it is...",
            )
        )
    with op.batch_alter_table("post") as batch:
        batch.add_column(
            sa.Column(
                "other_names",
                sa.JSON(),
                nullable=False,
                server_default="[]",
                comment="The post's name in other languages: [{name, lang}].",
            )
        )
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(
            sa.Column(
                "sizes",
                sa.JSON(),
                nullable=False,
                server_default="[]",
                comment="Its size at dates: [{members, as_of, note, sources}].",
            )
        )
    with op.batch_alter_table("published_figure") as batch:
        batch.add_column(
            sa.Column(
                "organisation_id",
                sa.Integer(),
                sa.ForeignKey(
                    "organisation.id", name="fk_published_figure_organisation_id_organisation"
                ),
                nullable=True,
                comment="members: the body whose members are counted.",
            )
        )
        batch.drop_constraint(op.f(_METRIC_CHECK), type_="check")
        batch.alter_column(
            "metric",
            existing_type=_metric(_OLD_METRICS),
            type_=_metric(_NEW_METRICS),
            existing_nullable=False,
            comment="agreements, states, organisations, committee_meetings or members",
            existing_comment="agreements, states or organisations",
        )
        batch.create_check_constraint(op.f(_METRIC_CHECK), _in(_NEW_METRICS))
    op.create_table(
        "dataset",
        sa.Column("name", sa.String(160), primary_key=True, comment="Its short name."),
        sa.Column(
            "title", sa.Text(), nullable=False, comment="What it holds (its manifest's title)."
        ),
        sa.Column(
            "home_party",
            sa.String(8),
            nullable=False,
            comment="Code of the party whose registry it is (its manifest's home_party).",
        ),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_dataset"),
    )


def downgrade() -> None:
    op.drop_table("dataset")
    with op.batch_alter_table("published_figure") as batch:
        batch.drop_constraint(op.f(_METRIC_CHECK), type_="check")
        batch.alter_column(
            "metric",
            existing_type=_metric(_NEW_METRICS),
            type_=_metric(_OLD_METRICS),
            existing_nullable=False,
            comment="agreements, states or organisations",
        )
        batch.create_check_constraint(op.f(_METRIC_CHECK), _in(_OLD_METRICS))
        batch.drop_constraint(
            "fk_published_figure_organisation_id_organisation", type_="foreignkey"
        )
        batch.drop_column("organisation_id")
    with op.batch_alter_table("organisation") as batch:
        batch.drop_column("sizes")
    with op.batch_alter_table("post") as batch:
        batch.drop_column("other_names")
    with op.batch_alter_table("engagement") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("committee_meeting") as batch:
        for suffix in ("on", "precision", "not_after", "not_before", "not_before_precision"):
            batch.drop_column(f"end_{suffix}")
        batch.drop_column("note")
    for table, names in PARTIAL_DATES.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.drop_column(f"{name}_not_before_precision")
                batch.drop_column(f"{name}_not_before")
