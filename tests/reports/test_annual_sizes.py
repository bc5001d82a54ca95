"""A body's dated sizes in the annual chapter: the sizes a source reports at dates up to the
year's end, each with its source; the undated size only where none is dated."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from scidip.registry.body.schemas import SizeIn
from scidip.registry.body.service import ORGANISATION
from scidip.registry.record import get, snapshot, update
from scidip.reports.context.annual import build_annual
from scidip.reports.render import ReportFormat, render_report


def _board_line(mofa: Session, year: int) -> str:
    report = build_annual(mofa, "JPN", year, date(2026, 1, 31), chart=False)
    text = render_report("annual", ReportFormat.md, a=report).decode()
    return next(line for line in text.splitlines() if "Advisory Board for Promoting" in line)


def test_dated_sizes_up_to_the_years_end(mofa: Session) -> None:
    with mofa.begin_nested() as savepoint:
        board = get(mofa, ORGANISATION, "advisory-board")
        data = snapshot(mofa, ORGANISATION, board).model_copy(
            update={
                "sizes": [
                    SizeIn.model_validate(
                        dict(members=20, as_of="2020-09", sources=[{"source": "bluebook-2023"}])
                    ),
                    SizeIn.model_validate(
                        dict(members=22, as_of="2023-04", sources=[{"source": "bluebook-2023"}])
                    ),
                ]
            }
        )
        update(mofa, ORGANISATION, "advisory-board", data, board.version, "test")
        lines = {year: _board_line(mofa, year) for year in (2021, 2023)}
        savepoint.rollback()
    assert "Members reported: 20 (September 2020)." in lines[2021]
    assert "22" not in lines[2021].split("Members reported:")[1].split(".")[0]
    assert "Members reported: 20 (September 2020), 22 (April 2023)." in lines[2023]
