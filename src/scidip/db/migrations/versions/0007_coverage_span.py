"""coverage spans: how each agreement covers each party that acts under it, whatever the date
(the first half of the coverage rule, kept with the agreement's actions), filled in for the
agreements already recorded

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 21:00:00
"""

from collections.abc import Sequence
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _partial_date(name: str, comment: str | None = None) -> list[sa.Column[Any]]:
    return [
        sa.Column(f"{name}_on", sa.Date(), nullable=True, comment=comment),
        sa.Column(f"{name}_precision", sa.String(5), nullable=True),
        sa.Column(f"{name}_not_after", sa.Boolean(), nullable=True),
    ]


def upgrade() -> None:
    span = op.create_table(
        "coverage_span",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "agreement_id",
            sa.Integer(),
            sa.ForeignKey("agreement.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("how", sa.String(10), nullable=False, comment="direct or succession."),
        sa.Column(
            "via_id",
            sa.Integer(),
            sa.ForeignKey("party.id"),
            nullable=True,
            comment="Succession: the predecessor.",
        ),
        *_partial_date("since", "When coverage starts."),
        *_partial_date("ends", "The earliest end the agreement's actions give (exclusive)."),
        sa.Column(
            "end_kind", sa.String(12), nullable=True, comment="termination, supersession or lapse."
        ),
        sa.Column(
            "replaced_by_id",
            sa.Integer(),
            sa.ForeignKey("agreement.id"),
            nullable=True,
            comment="Supersession: the replacing agreement.",
        ),
    )
    op.create_index("ix_coverage_span_agreement_id", "coverage_span", ["agreement_id"])
    op.create_index("ix_coverage_span_party_id", "coverage_span", ["party_id"])
    _fill(span)


def _fill(span: sa.Table) -> None:
    """The spans of the agreements already recorded, by the rule's own function."""
    from scidip.dates import PartialDate
    from scidip.registry.agreement.models import ActionKind
    from scidip.registry.agreement.rule import Act, spans

    def when(on: Any, precision: Any, not_after: Any) -> Any:
        return PartialDate.from_parts(on, precision, not_after)

    rows = op.get_bind().execute(
        sa.text(
            "SELECT agreement_id, kind, party_id, effective_on, effective_precision,"
            " effective_not_after, taken_on, taken_precision, taken_not_after, until_on,"
            " until_precision, until_not_after, via_id, replaced_by_id"
            " FROM agreement_action ORDER BY agreement_id, position, id"
        ).columns(  # read as dates on SQLite too, where they are stored as text
            **{f"{d}_on": sa.Date() for d in ("effective", "taken", "until")},
            **{f"{d}_not_after": sa.Boolean() for d in ("effective", "taken", "until")},
        )
    )
    values = []
    for agreement_id, actions in groupby(rows, key=lambda r: r[0]):
        acts = [
            Act(
                ActionKind(r[1]), r[2], when(*r[3:6]) or when(*r[6:9]), when(*r[9:12]), r[12], r[13]
            )
            for r in actions
        ]
        for s in spans(acts):
            row = {"agreement_id": agreement_id, "party_id": s.party, "how": s.how}
            row.update(via_id=s.via, end_kind=s.end_kind, replaced_by_id=s.replaced_by)
            for name, value in (("since", s.since), ("ends", s.end)):
                first, precision, not_after = (
                    value.__composite_values__()[:3] if value else (None,) * 3
                )
                row.update(
                    {f"{name}_on": first, f"{name}_precision": precision},
                    **{f"{name}_not_after": not_after},
                )
            values.append(row)
    if values:
        op.bulk_insert(span, values)


def downgrade() -> None:
    op.drop_index("ix_coverage_span_party_id", "coverage_span")
    op.drop_index("ix_coverage_span_agreement_id", "coverage_span")
    op.drop_table("coverage_span")
