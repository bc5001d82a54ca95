"""Compatibility with geopolrisk-py 2.0.1: what it does, quirk by quirk, and where it stops.

The peer's arithmetic is reproduced by the ``geopolrisk-py-2.0.1`` fragments of
:mod:`scidip.materials.grid`. From its source (``geopolrisk/assessment/*.py``):

- trade quantities ``q`` that are NULL become 0 and the row's value is kept (price inflated);
- an exporter's governance is the text its SQL sub-query finds in ``baci.db``'s own
  ``Normalized`` table by BACI code; no row or ``NA`` gives 0.5 (Taiwan, code 490, has none);
  the text ``nan`` gives NaN (the score is NaN); the text ``None`` raises and stops the batch;
- exporters inside the importing region (a country is a region of one) weigh 0;
- HHI uses production truncated to integers (``astype(int)``);
- the economy's own production is its first row in the commodity table; ``kg`` is divided by
  1000, every other unit (``Mio m3`` for natural gas) is added to tonnes unconverted;
- WTA = 0 when imports plus production are 0; price = 0 when imports are 0; hence a silent
  score of 0 for materials with no recorded imports (germanium after 2016);
- CF = score × price / 0.409412948.

Where the peer stops a batch (``gprs_calc`` breaks at the first error and returns what it has),
SciDip refuses that one combination with the reason and answers the others.
"""

from __future__ import annotations

import math
from typing import Any

from scidip.materials.economies import CountryIndex


def explain_peer(row: dict[str, Any], index: CountryIndex) -> tuple[str, str, list[str]]:
    """``(status, reason, notes)`` of one grid row computed in the peer's mode."""
    if row["hhi"] is None:
        return (
            "refused",
            "geopolrisk-py 2.0.1 divides by zero in HHI (no production) and stops its batch",
            [],
        )
    if row["bad_gov"]:
        who = ", ".join(index.label(int(c)) for c in row["bad_gov"])
        return (
            "refused",
            f"geopolrisk-py 2.0.1 raises ValueError on governance text 'None' of {who} "
            "and stops its batch",
            [],
        )
    notes: list[str] = []
    if row["nan_gov"] or (row["score"] is not None and math.isnan(row["score"])):
        who = ", ".join(index.label(int(c)) for c in row["nan_gov"] or [])
        notes.append(f"peer's score is NaN: governance text 'nan' for {who}")
    if row["imports_t"] == 0:
        notes.append("peer reports 0: no recorded imports")
    return "ok", "", notes
