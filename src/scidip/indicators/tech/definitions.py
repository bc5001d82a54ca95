"""Technologies as versioned, editable definitions: one YAML file per technology list.

A file names its list (``list``), the list's edition, SciDip's mapping ``version``, its
``source`` (citation, address, how the names were checked) and its ``coverage`` (``complete``, or
what is left out and why), and holds ``technologies``: each an ``id`` (unique in the file), a
``name`` and a query — OpenAlex ``subfields`` (ASJC codes), ``topics`` (``T…``) and
``keywords`` (OpenAlex keyword ids, :func:`scidip.indicators.openalex.keyword_id`). **A work
belongs to a technology when its primary topic or any of its topics is in ``topics``, or lies
in one of ``subfields``, or it carries one of ``keywords``** (:func:`scidip.indicators.tech.
match.technology_works` applies this rule). ``crosswalk`` names the same or overlapping
technologies of other lists (``list/id``); the crosswalk is read both ways.

The lists shipped with SciDip are in this package's ``definitions/`` folder (docs/tech.md
documents each mapping); ``--definitions FILE`` adds a user's file, which replaces a shipped list
of the same ``list`` name. Every result carries :attr:`TechList.label` (list, edition, version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from scidip.errors import InvalidData

_LIST_KEYS = {"list", "title", "edition", "version", "source", "coverage", "mapping"}
_QUERY_KEYS = ("subfields", "topics", "keywords")
_TECH_KEYS = {"id", "name", "name_ja", "kind", "crosswalk", *_QUERY_KEYS}


@dataclass(frozen=True)
class Technology:
    """One technology of a list: a named query over topics, subfields and keywords."""

    list_id: str
    id: str
    name: str
    subfields: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    kind: str = "technology"
    name_ja: str | None = None
    crosswalk: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``list/id``: unique over all lists."""
        return f"{self.list_id}/{self.id}"


@dataclass(frozen=True)
class TechList:
    """A technology list as one file defines it."""

    list_id: str
    title: str
    edition: str
    version: str
    source: dict[str, str]
    coverage: str
    mapping: str
    technologies: tuple[Technology, ...] = field(default_factory=tuple)
    path: str = ""

    @property
    def label(self) -> str:
        """What every result names: ``us-cet 2024-02 (mapping v1)``."""
        return f"{self.list_id} {self.edition} (mapping v{self.version})"


def _line(text: str, index: int) -> int:
    """The 1-based line of ``technologies[index]`` in the YAML ``text`` (1 if not found)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            is_list = key.value == "technologies" and isinstance(value, yaml.SequenceNode)
            if is_list and index < len(value.value):
                return int(value.value[index].start_mark.line) + 1
    return 1


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ValueError(f"{what} must be a list of strings")
    return tuple(str(v) for v in value)


def _technology(list_id: str, raw: Any) -> Technology:
    if not isinstance(raw, dict):
        raise ValueError("a technology must be a mapping")
    unknown = sorted(set(raw) - _TECH_KEYS)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}")
    for key in ("id", "name"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{key} is missing")
    query = {k: _strings(raw.get(k), k) for k in _QUERY_KEYS}
    if not any(query.values()):
        raise ValueError(f"{raw['id']}: the query is empty (no subfields, topics or keywords)")
    return Technology(
        list_id=list_id,
        id=raw["id"],
        name=raw["name"],
        kind=str(raw.get("kind", "technology")),
        name_ja=raw.get("name_ja"),
        crosswalk=_strings(raw.get("crosswalk"), "crosswalk"),
        **query,
    )


def parse_list(text: str, path: str) -> TechList:
    """A :class:`TechList` from YAML ``text``; :class:`InvalidData` naming ``path`` and the line
    of the first problem, so that nothing is half-loaded."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidData(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidData(f"{path}:1: a technology list must be a mapping")
    missing = sorted((_LIST_KEYS | {"technologies"}) - set(data))
    if missing:
        raise InvalidData(f"{path}:1: missing key(s) {', '.join(missing)}")
    source = data["source"]
    if not isinstance(source, dict) or not source.get("citation"):
        raise InvalidData(f"{path}:1: source.citation is missing: every list cites its source")
    techs: list[Technology] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["technologies"] or []):
        try:
            tech = _technology(str(data["list"]), raw)
            if tech.id in seen:
                raise ValueError(f"duplicate id {tech.id!r}")
        except ValueError as exc:
            raise InvalidData(f"{path}:{_line(text, i)}: {exc}") from exc
        seen.add(tech.id)
        techs.append(tech)
    if not techs:
        raise InvalidData(f"{path}:1: the list holds no technology")
    return TechList(
        list_id=str(data["list"]),
        title=str(data["title"]),
        edition=str(data["edition"]),
        version=str(data["version"]),
        source={str(k): str(v).strip() for k, v in source.items()},
        coverage=str(data["coverage"]).strip(),
        mapping=str(data["mapping"]).strip(),
        technologies=tuple(techs),
        path=path,
    )


def shipped_lists() -> list[TechList]:
    """The lists shipped with SciDip, by list name."""
    folder = resources.files("scidip.indicators.tech") / "definitions"
    found = [
        parse_list(f.read_text(encoding="utf-8"), f"definitions/{f.name}")
        for f in folder.iterdir()
        if f.name.endswith(".yaml")
    ]
    return sorted(found, key=lambda t: t.list_id)


def load_lists(extra: list[Path] | None = None) -> list[TechList]:
    """The shipped lists, with the user's files ``extra`` added (a user's list replaces a
    shipped one of the same name); :class:`InvalidData` when two of ``extra`` share a list name,
    or a user's crosswalk names a technology no list holds. (A shipped list's crosswalk into a
    list the user replaced keeps only the pairs whose ends exist: :func:`crosswalk`.)"""
    lists = {t.list_id: t for t in shipped_lists()}
    users: set[str] = set()
    for path in extra or []:
        if not path.is_file():
            raise InvalidData(f"{path}: no such definitions file")
        tl = parse_list(path.read_text(encoding="utf-8"), str(path))
        if tl.list_id in users:
            raise InvalidData(f"{path}: list {tl.list_id!r} is defined twice")
        users.add(tl.list_id)
        lists[tl.list_id] = tl
    known = {t.key for tl in lists.values() for t in tl.technologies}
    for tl in (lists[name] for name in users):
        for tech in tl.technologies:
            unknown = [k for k in tech.crosswalk if k not in known]
            if unknown:
                raise InvalidData(
                    f"{tl.path}: {tech.id}: crosswalk names unknown {', '.join(unknown)}"
                )
    return sorted(lists.values(), key=lambda t: t.list_id)


def select(lists: list[TechList], name: str | None) -> list[Technology]:
    """The technologies of list ``name`` (all lists when None); :class:`InvalidData` naming the
    lists there are when ``name`` is none of them."""
    chosen = [tl for tl in lists if name is None or tl.list_id == name]
    if not chosen:
        names = ", ".join(tl.list_id for tl in lists)
        raise InvalidData(f"no technology list {name!r} (there are: {names})")
    return [t for tl in chosen for t in tl.technologies]


def crosswalk(lists: list[TechList]) -> list[tuple[str, str]]:
    """Every crosswalk pair (``list/id``, ``list/id``) whose ends both exist in ``lists``, read
    both ways, sorted, each once."""
    known = {t.key for tl in lists for t in tl.technologies}
    pairs = {
        tuple(sorted((t.key, other)))
        for tl in lists
        for t in tl.technologies
        for other in t.crosswalk
        if other in known
    }
    return sorted((a, b) for a, b in pairs)
