"""A synthetic registry at any size: bilateral agreements among states with successions.

For measuring the registry at the size of a large foreign ministry (``benchmarks/
registry_scale.py``) and for testing that fast answers agree with the coverage rule over random
registries (``tests/registry/agreement/test_coverage_index.py``). Deterministic: the same sizes
and seed write the same files.

Every kind of agreement action appears, at every precision: signatures known to the day, the
month or the year; entries into force, some known only as "no later than"; fixed terms and their
extensions; terminations; supersessions for one party; successions (a successor state taking up
its predecessor's agreement), including along chains of successors. The states are real ISO 3166
codes (the registry accepts no other), the facts about them are invented; the dataset says so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pycountry
import yaml

from scidip.registry.party.models import SuccessionKind

HOME = "JPN"
SOURCE = "synthetic-registry"


@dataclass(frozen=True)
class Sizes:
    """How big a synthetic registry is."""

    agreements: int = 5000
    states: int = 250
    successions: int = 1000

    def scaled(self, factor: float) -> Sizes:
        """The same shape, ``factor`` times the size (at least 2 states, 1 agreement)."""
        return Sizes(
            max(1, round(self.agreements * factor)),
            max(2, round(self.states * factor)),
            round(self.successions * factor),
        )


def state_codes(count: int) -> list[str]:
    """``count`` codes of states: the home party first, then ISO 3166-1 alpha-3 codes, then
    ISO 3166-3 codes of former states, each group in alphabetical order."""
    current = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 != HOME)
    former = sorted(c.alpha_4 for c in pycountry.historic_countries)
    codes = [HOME, *current, *former]
    if count > len(codes):
        raise ValueError(f"at most {len(codes)} states have ISO 3166 codes, not {count}")
    return codes[:count]


def _partial(rng: random.Random, day: date, *, not_after: float = 0.0) -> str:
    """``day`` written at a random precision, sometimes as "no later than"."""
    roll = rng.random()
    text = day.isoformat() if roll < 0.6 else day.isoformat()[:7] if roll < 0.8 else str(day.year)
    return ".." + text if rng.random() < not_after else text


def _day(rng: random.Random, first_year: int, last_year: int) -> date:
    start = date(first_year, 1, 1)
    return start + timedelta(days=rng.randrange((date(last_year, 12, 31) - start).days + 1))


class _Generator:
    def __init__(self, sizes: Sizes, seed: int) -> None:
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.codes = state_codes(sizes.states)
        # A state's place in history: later states may succeed earlier ones, never the reverse
        # (so the successions have no cycle); the home party succeeds and is succeeded by none.
        others = self.codes[1:]
        self.rng.shuffle(others)
        self.order = others
        self.born = {c: 1900 + (i * 120) // max(1, len(others)) for i, c in enumerate(others)}
        self.successions: list[dict[str, Any]] = []
        self.successors: dict[str, list[tuple[str, str | None]]] = {}
        self.ceased: dict[str, str] = {}

    def succession_graph(self) -> None:
        rng, order = self.rng, self.order
        pairs: set[tuple[int, int]] = set()
        possible = len(order) * (len(order) - 1) // 2
        while len(pairs) < min(self.sizes.successions, possible):
            i, j = sorted(rng.sample(range(len(order)), 2))
            pairs.add((i, j))
        for n, (i, j) in enumerate(sorted(pairs)):
            predecessor, successor = order[i], order[j]
            when = (
                None
                if rng.random() < 0.05
                else _partial(rng, _day(rng, *[self.born[successor]] * 2))
            )
            kind = rng.choice(list(SuccessionKind))
            record = {"key": f"syn-succ-{n:05d}", "predecessor": predecessor}
            record.update(successor=successor, kind=kind.value)
            if when is not None:
                record["date"] = when
            self.successions.append(record)
            self.successors.setdefault(predecessor, []).append((successor, when))
            if kind is SuccessionKind.dissolution and when is not None:
                self.ceased.setdefault(predecessor, when.lstrip("."))

    def parties(self) -> list[dict[str, Any]]:
        records = []
        for code in self.codes:
            record: dict[str, Any] = {"key": code, "kind": "state"}
            if code != HOME and self.born[code] > 1960 and self.rng.random() < 0.5:
                record["existed_from"] = str(self.born[code])
            if code in self.ceased:
                record["existed_until"] = self.ceased[code]
            record["sources"] = [{"source": SOURCE}]
            records.append(record)
        return records

    def agreements(self) -> list[dict[str, Any]]:
        rng = self.rng
        partners = [rng.choice(self.order) for _ in range(self.sizes.agreements)]
        by_partner: dict[str, list[str]] = {}
        keys = [f"syn-agr-{n:05d}" for n in range(self.sizes.agreements)]
        for key, partner in zip(keys, partners, strict=True):
            by_partner.setdefault(partner, []).append(key)
        records = []
        for key, partner in zip(keys, partners, strict=True):
            signed = _day(rng, max(1950, self.born[partner]), 2024)
            actions: list[dict[str, Any]] = [
                {"kind": "signature", "party": HOME, "taken": _partial(rng, signed)},
                {"kind": "signature", "party": partner, "taken": _partial(rng, signed)},
            ]
            in_force = signed + timedelta(days=rng.randrange(0, 3 * 365))
            term = rng.random() < 0.3
            if rng.random() < 0.92:
                action = {
                    "kind": "entry_into_force",
                    "effective": _partial(rng, in_force, not_after=0.1),
                }
                if term:
                    until = in_force.replace(year=in_force.year + 5, month=1, day=1)
                    action["until"] = _partial(rng, until)
                    for n in range(rng.choice((0, 1, 1, 2))):
                        later = until.replace(year=until.year + 5 * (n + 1))
                        taken = until.replace(year=until.year + 5 * n) - timedelta(days=30)
                        actions.append(
                            {
                                "kind": "extension",
                                "taken": _partial(rng, taken),
                                "until": _partial(rng, later),
                            }
                        )
                actions.insert(2, action)
            if rng.random() < 0.056:
                ended = in_force + timedelta(days=rng.randrange(365, 30 * 365))
                actions.append({"kind": "termination", "effective": _partial(rng, ended)})
            others = [k for k in by_partner[partner] if k != key]
            if others and rng.random() < 0.026:
                ended = in_force + timedelta(days=rng.randrange(365, 20 * 365))
                replaced_by = rng.choice(others)
                actions.append(
                    {
                        "kind": "supersession",
                        "party": partner,
                        "replaced_by": replaced_by,
                        "effective": _partial(rng, ended),
                    }
                )
            actions.extend(self._successions(partner, 0))
            records.append(
                {
                    "key": key,
                    "title": f"Agreement {key[8:]} on scientific and technological cooperation",
                    "kind": rng.choice(("agreement", "arrangement", "memorandum")),
                    "sensitivity": rng.choices(("public", "internal", "restricted"), (95, 3, 2))[0],
                    "sources": [{"source": SOURCE}],
                    "actions": actions,
                }
            )
        return records

    def _successions(self, predecessor: str, depth: int) -> list[dict[str, Any]]:
        """Successors taking up the agreement, and their successors in turn (a chain)."""
        actions = []
        for successor, when in self.successors.get(predecessor, []):
            if self.rng.random() >= 0.03 * (3 if depth else 1) or depth > 3:
                continue
            action = {"kind": "succession", "party": successor, "via": predecessor}
            if when is not None:
                action["effective"] = when
            actions.append(action)
            actions.extend(self._successions(successor, depth + 1))
        return actions


def write_registry(folder: Path, sizes: Sizes = Sizes(), seed: int = 0) -> Path:
    """Write a synthetic registry of ``sizes`` as a dataset folder (``scidip load FOLDER``)."""
    generator = _Generator(sizes, seed)
    generator.succession_graph()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"synthetic-{sizes.agreements}x{sizes.states}x{sizes.successions}-{seed}"
    files: dict[str, Any] = {
        "dataset.yaml": {
            "name": name,
            "title": "A synthetic registry (invented facts) for measuring and testing",
            "home_party": HOME,
        },
        "sources.yaml": [
            {"key": SOURCE, "title": "SciDip's synthetic registry generator (invented facts)"}
        ],
        "parties.yaml": generator.parties(),
        "successions.yaml": generator.successions,
        "agreements.yaml": generator.agreements(),
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for file, data in files.items():
        with (folder / file).open("w", encoding="utf-8") as out:
            yaml.dump(data, out, Dumper=dumper, sort_keys=False, allow_unicode=True, width=200)
    return folder
