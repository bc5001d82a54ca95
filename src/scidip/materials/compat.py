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

# Status, reason and notes of a grid row computed in the peer's mode (columns of
# scidip.materials.grid), as SQL over that row.
PEER_STATUS = "CASE WHEN g.hhi IS NULL OR g.bad_gov IS NOT NULL THEN 'refused' ELSE 'ok' END"
PEER_REASON = """CASE
  WHEN g.hhi IS NULL
    THEN 'geopolrisk-py 2.0.1 divides by zero in HHI (no production) and stops its batch'
  WHEN g.bad_gov IS NOT NULL
    THEN printf('geopolrisk-py 2.0.1 raises ValueError on governance text ''None'' of %s '
                || 'and stops its batch', array_to_string(g.bad_gov, ', '))
  ELSE '' END"""
PEER_NOTES = """list_filter([
  CASE WHEN g.nan_gov IS NOT NULL OR isnan(g.score)
       THEN printf('peer''s score is NaN: governance text ''nan'' for %s',
                   coalesce(array_to_string(g.nan_gov, ', '), '')) END,
  CASE WHEN g.imports_t = 0 THEN 'peer reports 0: no recorded imports' END
  ], lambda x: x IS NOT NULL)"""
