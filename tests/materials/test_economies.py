"""Economies: countries by ISO3, BACI code or name; the EU-27; user groups."""

from __future__ import annotations

import pytest

from scidip.errors import InvalidData, NotFound
from scidip.materials.economies import (
    EU27,
    Country,
    CountryIndex,
    all_importers,
    parse_groups,
    resolve_economy,
)
from scidip.materials.service import Context

INDEX = CountryIndex(
    [Country(56, "Belgium", "BEL"), Country(58, "Belgium-Luxembourg (...1998)", "BEL"),
     Country(392, "Japan", "JPN"), Country(410, "Rep. of Korea", "KOR"),
     Country(490, "Other Asia, nes", "TWN"), Country(276, "Germany", "DEU")]
)  # fmt: skip


def test_lookup_by_iso3_code_or_name() -> None:
    assert INDEX.find("jpn").baci_code == 392
    assert INDEX.find("410").iso3 == "KOR"
    assert INDEX.find("Rep. of Korea").baci_code == 410
    assert INDEX.find("TWN").name == "Other Asia, nes"
    assert INDEX.find("BEL").baci_code == 56  # the current country, not the historical one
    with pytest.raises(NotFound):
        INDEX.find("Atlantis")


def test_eu27_has_27_members_and_takes_those_present() -> None:
    assert len(EU27) == 27
    eu = resolve_economy("EU", INDEX)
    assert (eu.code, eu.members, eu.is_group) == ("EU27", (56, 276), True)


def test_user_groups() -> None:
    groups = parse_groups(["NE Asia=JPN, KOR,TWN"])
    assert groups == {"NE Asia": ["JPN", "KOR", "TWN"]}
    econ = resolve_economy("NE Asia", INDEX, groups)
    assert (econ.code, econ.members) == ("NE Asia", (392, 410, 490))
    with pytest.raises(InvalidData):
        parse_groups(["JPN,KOR"])


def test_a_country_is_an_economy_of_one() -> None:
    econ = resolve_economy("Japan", INDEX)
    assert (econ.code, econ.name, econ.members, econ.is_group) == ("JPN", "Japan", (392,), False)


def test_all_importers_of_the_store(ctx: Context) -> None:
    codes = [e.code for e in all_importers(ctx.con, ctx.index)]
    assert codes == ["FRA", "DEU", "JPN", "USA"]


def test_historical_codes_are_resolved_with_their_dates() -> None:
    with pytest.raises(InvalidData) as err:
        resolve_economy("58", INDEX)
    assert str(err.value) == (
        "'58' is BACI 58, Belgium-Luxembourg, which existed until 1998; the store's production "
        "data start later: use BEL (Belgium, BACI 56)"
    )
    assert INDEX.find("58").until == 1998 and INDEX.find("56").until is None


def test_names_read_as_latin_1_are_repaired() -> None:
    from scidip.materials.economies import repair_text

    assert [repair_text(t) for t in ("TÃ¼rkiye", "CÃ´te d'Ivoire", "Türkiye", "Japan")] == [
        "Türkiye", "Côte d'Ivoire", "Türkiye", "Japan",
    ]  # fmt: skip
