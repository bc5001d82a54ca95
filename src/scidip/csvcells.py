"""CSV that is safe to open in a spreadsheet: the one place every CSV writer neutralises cells.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``).
Following the OWASP guidance on CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection), such a cell is prefixed with a single
quote, which spreadsheets show as text, and every cell is written by :mod:`csv`, which quotes
separators and quotes inside cells. Our choice: a cell that is a plain number (``-3.5``, ``+2``,
``-1e-05``) is left as it is, so that negative figures stay numbers; a number cannot start a
formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters a spreadsheet reads as the start of a formula (OWASP)."""

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(cell: str) -> str:
    """``cell`` as text a spreadsheet will not evaluate: ``'`` before a formula's first character;
    plain numbers and every other text unchanged."""
    if cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A CSV document (``\\n`` line ends) of text cells, each neutralised, the header too."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([neutralise(c) for c in header])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return buf.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def to_csv(rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    """Rows as CSV, one column per field (``columns``, else the first row's); lists of keys
    joined by '; ', structures as JSON; cells neutralised against formulas. No rows and no
    columns: nothing; no rows: the header alone."""
    if not rows and not columns:
        return ""
    header = columns or list(rows[0])
    return csv_text(header, ([_cell(r.get(k)) for k in header] for r in rows))
