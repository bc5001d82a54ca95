"""Trade codes of the minor metals in each revision of the Harmonized System, and what the
bundled trade data can and cannot see of them.

BACI publishes one data set per HS revision (HS 1992, 1996, 2002, 2007, 2012, 2017, 2022); the
store holds BACI's **HS 1992** edition (V202401b), in which every year's trade, whatever revision
the reporters used, is expressed in HS 1992 codes by CEPII's conversion tables. Six-digit codes
are the finest level BACI has. Several minor metals have no six-digit code of their own: they
share a "basket" subheading of heading 81.12 with other metals, and national tariff lines (eight
or ten digits, e.g. the US HTS 8112.92.10 for gallium and 8112.92.60 for germanium) that separate
them are not in BACI. Where a basket code is all there is, trade cannot tell the metal's flows
from the others', and the methods fall back on global supply (see :mod:`scidip.materials.risk`
and :mod:`scidip.materials.eu`), saying so next to the number.

The table below is SciDip's reading of the WCO's nomenclature editions and correlation tables for
the unwrought metal, waste and scrap, and powders (its main traded forms).
"""

from __future__ import annotations

from dataclasses import dataclass

BUNDLED_REVISION = "HS 1992"
"""The revision of the bundled trade data (BACI HS92 V202401b): every year in HS 1992 codes."""

REVISIONS = ("HS 1992", "HS 1996", "HS 2002", "HS 2007", "HS 2012", "HS 2017", "HS 2022")
"""The HS revisions BACI publishes, oldest first."""


@dataclass(frozen=True)
class HSCodes:
    """A material's six-digit codes in a span of HS revisions (``first`` to ``last``).

    ``shared_with`` names the other metals in the same subheadings (empty where the codes are the
    material's own).
    """

    first: str
    last: str
    codes: tuple[str, ...]
    shared_with: tuple[str, ...] = ()
    note: str = ""

    @property
    def own(self) -> bool:
        """Whether the codes identify the material alone."""
        return not self.shared_with

    def covers(self, revision: str) -> bool:
        """Whether ``revision`` is in the span."""
        return (
            REVISIONS.index(self.first) <= REVISIONS.index(revision) <= REVISIONS.index(self.last)
        )


_BASKET_92 = ("8112.91", "8112.99")
_BASKET_07 = ("8112.92", "8112.99")
_OLD_BASKET = ("gallium", "hafnium", "indium", "niobium", "rhenium", "thallium")
_HS02_BASKET = ("gallium", "hafnium", "indium", "niobium", "rhenium")
_HS07_BASKET = ("gallium", "germanium", "hafnium", "indium", "niobium", "rhenium", "vanadium")
_HS22_BASKET = ("gallium", "germanium", "indium", "niobium", "vanadium")


def _others(metal: str, basket: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(m for m in basket if m != metal)


def _basket_metal(metal: str) -> list[HSCodes]:
    """Codes of a metal that has never had a subheading of its own (gallium, indium)."""
    return [
        HSCodes("HS 1992", "HS 1996", _BASKET_92, _others(metal, _OLD_BASKET)),
        HSCodes("HS 2002", "HS 2002", _BASKET_92, _others(metal, _HS02_BASKET),
                "thallium moved to 8112.51-59"),
        HSCodes("HS 2007", "HS 2017", _BASKET_07, _others(metal, _HS07_BASKET),
                "germanium (8112.30) and vanadium (8112.40) moved into the basket"),
        HSCodes("HS 2022", "HS 2022", _BASKET_07, _others(metal, _HS22_BASKET),
                "hafnium (8112.31/39) and rhenium (8112.41/49) moved out"),
    ]  # fmt: skip


HS_BY_REVISION: dict[str, list[HSCodes]] = {
    "Gallium": _basket_metal("gallium"),
    "Indium": _basket_metal("indium"),
    "Germanium": [
        HSCodes("HS 1992", "HS 2002", ("8112.30",)),
        HSCodes(
            "HS 2007",
            "HS 2017",
            _BASKET_07,
            _others("germanium", _HS07_BASKET),
            "8112.30 deleted; BACI's HS 1992 edition holds in 8112.30 only the trade of "
            "reporters still on HS 2002 or earlier (none after 2016)",
        ),
        HSCodes("HS 2022", "HS 2022", _BASKET_07, _others("germanium", _HS22_BASKET)),
        HSCodes("HS 1992", "HS 2022", ("2825.60",), ("zirconium dioxide",), "germanium oxides"),
    ],
    "Rhenium": [
        HSCodes("HS 1992", "HS 1996", _BASKET_92, _others("rhenium", _OLD_BASKET)),
        HSCodes("HS 2002", "HS 2002", _BASKET_92, _others("rhenium", _HS02_BASKET)),
        HSCodes("HS 2007", "HS 2017", _BASKET_07, _others("rhenium", _HS07_BASKET)),
        HSCodes("HS 2022", "HS 2022", ("8112.41", "8112.49")),
    ],
    "Vanadium": [
        HSCodes("HS 1992", "HS 2002", ("8112.40",), (), "unwrought vanadium"),
        HSCodes(
            "HS 2007",
            "HS 2017",
            _BASKET_07,
            _others("vanadium", _HS07_BASKET),
            "unwrought vanadium joined the basket",
        ),
        HSCodes("HS 2022", "HS 2022", _BASKET_07, _others("vanadium", _HS22_BASKET)),
        HSCodes(
            "HS 1992",
            "HS 2022",
            ("2825.30", "7202.92"),
            (),
            "vanadium oxides; ferro-vanadium (in the bundled data)",
        ),
    ],
    "Beryllium": [
        HSCodes("HS 1992", "HS 1996", ("8112.11", "8112.19")),
        HSCodes(
            "HS 2002",
            "HS 2022",
            ("8112.12", "8112.13", "8112.19"),
            (),
            "8112.11 split into unwrought/powders (8112.12) and waste and scrap (8112.13)",
        ),
    ],
    "Bismuth": [
        HSCodes("HS 1992", "HS 2017", ("8106.00",)),
        HSCodes(
            "HS 2022",
            "HS 2022",
            ("8106.10", "8106.90"),
            (),
            "split by purity (more than 99.99 % bismuth, other)",
        ),
    ],
}
"""Six-digit codes of the minor metals per HS revision (unwrought, waste and scrap, powders;
oxides and ferro-alloys where they are the main traded form)."""


def in_bundled_revision(material: str) -> list[HSCodes]:
    """The material's codes in :data:`BUNDLED_REVISION` (empty when the table has none)."""
    return [c for c in HS_BY_REVISION.get(material, []) if c.covers(BUNDLED_REVISION)]


def untraced_reason(material: str, hs_codes: tuple[int, ...], year: int | None = None) -> str:
    """Why the bundled trade data cannot identify ``material``'s flows (in ``year``, where its
    HS 1992 code has no trade that year), in one sentence for the user."""
    mine = in_bundled_revision(material)
    if not hs_codes:
        basket = [c for c in mine if not c.own]
        if basket:
            c = basket[0]
            return (
                f"the bundled trade data ({BUNDLED_REVISION}, six digits) has no code of its own "
                f"for {material.lower()}: it is traded in {'/'.join(c.codes)} together with "
                f"{', '.join(c.shared_with)}"
            )
        return f"the bundled trade data has no HS code for {material.lower()}"
    codes = ", ".join(str(c) for c in hs_codes)
    later = [c for c in HS_BY_REVISION.get(material, []) if not c.own and not c.covers("HS 1992")]
    when = f" in {year}" if year is not None else ""
    if later:
        c = later[0]
        return (
            f"BACI records no trade in HS92 {codes}{when}: since {c.first} {material.lower()} "
            f"is traded in {'/'.join(c.codes)} with {', '.join(c.shared_with)}"
        )
    return f"BACI records no trade at all in HS {codes}{when}"
