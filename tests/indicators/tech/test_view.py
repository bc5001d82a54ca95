"""The Capability page's one call: the planted truth in a JSON-ready payload."""

from __future__ import annotations

import json

from scidip.indicators.method import MethodName
from scidip.indicators.tech import service
from scidip.indicators.tech.view import capability_view


def test_the_page_payload_holds_leaders_home_sensitivity_and_a_series(planted_store, syn_list):
    service.compute(planted_store, [syn_list])
    view = capability_view(planted_store, "JPN", chart_technology="syn/lead3")
    json.dumps(view)  # JSON-ready
    assert view["meta"]["synthetic"] is True
    assert [d["label"] for d in view["meta"]["definitions"]] == ["syn test (mapping v1)"]
    assert view["options"]["period_end"] == 2020
    assert [(r["tech_key"], r["lead"]) for r in view["leaders"]] == [
        ("syn/lead2", "CHN"), ("syn/lead3", "USA"), ("syn/switch", "CHN"),
    ]  # fmt: skip
    assert [(r["tech_key"], r["rank"]) for r in view["home"]] == [
        ("syn/lead2", 3), ("syn/lead3", 2), ("syn/switch", 2),
    ]  # fmt: skip
    assert [r["changes"] for r in view["sensitivity"]] == [False, False, True]
    assert view["series"] == {
        "technology": "syn/lead3",
        "years": [2016, 2017, 2018, 2019, 2020],
        "countries": {"USA": [75.0] * 5, "JPN": [25.0] * 5, "DEU": [0.0] * 5},
    }
    switched = capability_view(planted_store, "JPN", method=MethodName.nistep,
                               exclude_same_country=True)  # fmt: skip
    assert [r["lead"] for r in switched["leaders"]] == ["CHN", "USA", "USA"]
    assert switched["series"]["technology"] == "syn/lead2"
