"""The numbered list of sources a report cites, built as records are used."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from scidip.dates import PartialDate
from scidip.db.base import Record, Sensitivity
from scidip.registry.access import allowed
from scidip.registry.record import citations, find
from scidip.registry.source.service import SOURCE


@dataclass(frozen=True)
class SourceEntry:
    """One source in a report's list, with the number statements cite it by."""

    number: int
    key: str
    title: str
    publisher: str | None
    url: str | None
    published: PartialDate | None
    locators: tuple[str, ...]


@dataclass
class SourceBook:
    """Numbers sources in order of first citation; hides those above the reader's clearance."""

    session: Session
    clearance: Sensitivity
    _numbers: dict[str, int] = field(default_factory=dict)
    _entries: dict[str, SourceEntry] = field(default_factory=dict)
    _locators: dict[str, list[str]] = field(default_factory=dict)
    highest: Sensitivity = Sensitivity.public
    """The highest sensitivity of what the report states: every record cited (every statement
    cites the records it is made from) and every source listed: the report's marking."""

    def mark(self, sensitivity: Sensitivity) -> None:
        """Raise the report's marking to ``sensitivity`` if it is higher."""
        if sensitivity.rank > self.highest.rank:
            self.highest = sensitivity

    def cite(self, table: str, *records: Record | None) -> list[int]:
        """The numbers of the sources the ``records`` (of ``table``) cite, sorted."""
        found: set[int] = set()
        for record in records:
            if record is None or record.id is None:
                continue
            self.mark(record.sensitivity)
            for citation in citations(self.session, table, record.id):
                number = self._number(citation.source, citation.locator)
                if number is not None:
                    found.add(number)
        return sorted(found)

    def cite_keys(self, keys: list[str]) -> list[int]:
        """The numbers of sources named by key."""
        return sorted(n for k in keys if (n := self._number(k, "")) is not None)

    def cite_json(self, cited: list[dict[str, str]]) -> list[int]:
        """The numbers of sources cited as ``[{source, locator}]`` (agreement actions keep their
        citations so)."""
        found = {self._number(c["source"], c.get("locator") or "") for c in cited}
        return sorted(n for n in found if n is not None)

    def _number(self, key: str, locator: str) -> int | None:
        if key not in self._numbers:
            source = find(self.session, SOURCE, key)
            if source is None or not allowed(source.sensitivity, self.clearance):
                return None
            self.mark(source.sensitivity)
            self._numbers[key] = len(self._numbers) + 1
            self._locators[key] = []
            self._entries[key] = SourceEntry(
                self._numbers[key],
                key,
                source.title,
                source.publisher,
                source.url,
                source.published,
                (),
            )
        if locator and locator not in self._locators[key]:
            self._locators[key].append(locator)
        return self._numbers[key]

    def entries(self) -> list[SourceEntry]:
        """Every source cited so far, by number, with the locators cited."""
        return [
            SourceEntry(
                e.number,
                e.key,
                e.title,
                e.publisher,
                e.url,
                e.published,
                tuple(sorted(self._locators[e.key])),
            )
            for e in sorted(self._entries.values(), key=lambda e: e.number)
        ]
