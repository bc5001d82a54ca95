"""One OpenAlex work record (a decoded JSON object) into SciDip's staging schema.

Only *extracts and type-checks* the fields SciDip uses; every counting rule lives downstream
(:mod:`scidip.indicators.flatten`, :mod:`scidip.indicators.normalise`,
:mod:`scidip.indicators.counts`). The files the records come from are read by
:mod:`scidip.indicators.openalex` (line by line) and :mod:`scidip.indicators.openalex_arrow`.
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa

from scidip.errors import InvalidData

INSTITUTION_TYPE = pa.struct(
    [
        ("id", pa.string()),
        ("ror", pa.string()),
        ("name", pa.string()),
        ("country_code", pa.string()),
        # The institution and its parents, recursively (OpenAlex ids, short): ROR's hierarchy.
        ("lineage", pa.list_(pa.string())),
    ]
)
AUTHORSHIP_TYPE = pa.struct(
    [
        ("author_id", pa.string()),
        ("countries", pa.list_(pa.string())),
        ("institution_countries", pa.list_(pa.string())),
        ("institutions", pa.list_(INSTITUTION_TYPE)),
    ]
)
CITATION_YEAR_TYPE = pa.struct([("year", pa.int32()), ("cited_by_count", pa.int64())])
TOPIC_TYPE = pa.struct([("topic_id", pa.string()), ("subfield_id", pa.string())])
CONCEPT_TYPE = pa.struct([("id", pa.string()), ("level", pa.int32()), ("score", pa.float64())])

#: One row per work as read, before any counting rule: the staging schema.
STAGING_SCHEMA = pa.schema(
    [
        ("work_id", pa.string()),
        ("updated_date", pa.string()),
        ("publication_year", pa.int32()),
        ("record_updated", pa.string()),
        ("work_type", pa.string()),
        ("type_crossref", pa.string()),
        ("source_type", pa.string()),
        ("is_retracted", pa.bool_()),
        ("cited_by_count", pa.int64()),
        ("topic_id", pa.string()),
        ("field_id", pa.string()),
        ("field_name", pa.string()),
        ("subfield_id", pa.string()),
        ("subfield_name", pa.string()),
        ("domain_id", pa.string()),
        ("domain_name", pa.string()),
        ("concepts", pa.list_(CONCEPT_TYPE)),
        ("references_count", pa.int64()),
        ("authorships", pa.list_(AUTHORSHIP_TYPE)),
        ("counts_by_year", pa.list_(CITATION_YEAR_TYPE)),
        # The links the technology tracker and the mobility figures read (short ids).
        ("referenced_works", pa.list_(pa.string())),
        ("topic_ids", pa.list_(TOPIC_TYPE)),
        ("keywords", pa.list_(pa.string())),
        ("source_file", pa.string()),
        ("source_line", pa.int64()),
    ]
)


def short_id(value: str) -> str:
    """``https://openalex.org/W123`` → ``W123`` (ids without a slash are returned as they are)."""
    return value.rsplit("/", 1)[-1]


def _opt_str(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidData(f"{name} is not a string")


def _int(value: Any, name: str, *, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidData(f"{name} is not an integer")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidData(f"{name} is not a list")
    return value


def _topic_part(
    topic: dict[str, Any], key: str, where: str = "primary_topic"
) -> tuple[str | None, str | None]:
    part = topic.get(key)
    if part is None:
        return None, None
    if not isinstance(part, dict):
        raise InvalidData(f"{where}.{key} is not an object")
    pid = _opt_str(part.get("id"), f"{where}.{key}.id")
    return (short_id(pid) if pid else None), _opt_str(
        part.get("display_name"), f"{where}.{key}.display_name"
    )


def _codes(value: Any, name: str) -> list[str | None]:
    """A list of country codes as given: nulls and empty strings are kept (the rule for them
    is applied once, for both readers, in :mod:`scidip.indicators.flatten`)."""
    codes = _list(value, name)
    if not all(c is None or isinstance(c, str) for c in codes):
        raise InvalidData(f"{name} holds a non-string")
    return codes


def _institution(inst: Any) -> dict[str, Any]:
    if not isinstance(inst, dict):
        raise InvalidData("authorships[].institutions[] is not an object")
    iid = _opt_str(inst.get("id"), "institutions[].id")
    ror = _opt_str(inst.get("ror"), "institutions[].ror")
    lineage = _list(inst.get("lineage"), "institutions[].lineage")
    if not all(isinstance(i, str) for i in lineage):
        raise InvalidData("institutions[].lineage holds a non-string")
    return {
        "lineage": [short_id(i) for i in lineage] if "lineage" in inst else None,
        "id": short_id(iid) if iid else None,
        "ror": short_id(ror) if ror else None,
        "name": _opt_str(inst.get("display_name"), "institutions[].display_name"),
        "country_code": _opt_str(inst.get("country_code"), "institutions[].country_code"),
    }


def _authorship(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidData("authorship is not an object")
    insts = [
        _institution(i) for i in _list(value.get("institutions"), "authorships[].institutions")
    ]
    author = value.get("author") or {}
    if not isinstance(author, dict):
        raise InvalidData("authorships[].author is not an object")
    aid = _opt_str(author.get("id"), "authorships[].author.id")
    return {
        "author_id": short_id(aid) if aid else None,
        "countries": _codes(value.get("countries"), "authorships[].countries"),
        "institution_countries": [i["country_code"] for i in insts],
        "institutions": insts,
    }


def _score(value: Any) -> float | None:
    """A concept's score: a number, or (in 2022 records) a number written as a string."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise InvalidData("concepts[].score is not a number") from None
    raise InvalidData("concepts[].score is not a number")


def _concepts(value: Any) -> list[dict[str, Any]]:
    concepts = []
    for c in _list(value, "concepts"):
        if not isinstance(c, dict):
            raise InvalidData("concepts[] is not an object")
        cid = _opt_str(c.get("id"), "concepts[].id")
        level = c.get("level")
        if level is not None and (isinstance(level, bool) or not isinstance(level, int)):
            raise InvalidData("concepts[].level is not an integer")
        concepts.append(
            {"id": short_id(cid) if cid else None, "level": level, "score": _score(c.get("score"))}
        )
    return concepts


def _references_count(obj: dict[str, Any]) -> int | None:
    """``referenced_works_count``; records before 2023 have only the ``referenced_works`` list."""
    count = obj.get("referenced_works_count")
    if count is not None:
        return _int(count, "referenced_works_count")
    refs = obj.get("referenced_works")
    return None if refs is None else len(_list(refs, "referenced_works"))


def keyword_id(value: str) -> str:
    """A keyword as the tracker matches it: OpenAlex's keyword id (``keywords/quantum-computing``
    → ``quantum-computing``), or a display name lower-cased with runs of non-alphanumerics as
    ``-`` (2023 records give ``{keyword, score}`` only)."""
    return re.sub(r"[^0-9a-z]+", "-", short_id(value).lower()).strip("-")


def _keywords(value: Any) -> list[str]:
    found = []
    for k in _list(value, "keywords"):
        text = (
            k.get("id") or k.get("display_name") or k.get("keyword") if isinstance(k, dict) else k
        )
        if not isinstance(text, str):
            raise InvalidData("keywords[] is neither an object with an id nor a string")
        found.append(keyword_id(text))
    return found


def _topics(value: Any) -> list[dict[str, str | None]]:
    topics = []
    for t in _list(value, "topics"):
        if not isinstance(t, dict):
            raise InvalidData("topics[] is not an object")
        tid = _opt_str(t.get("id"), "topics[].id")
        subfield_id, _ = _topic_part(t, "subfield", "topics[]")
        topics.append({"topic_id": short_id(tid) if tid else None, "subfield_id": subfield_id})
    return topics


def _references(obj: dict[str, Any]) -> list[str]:
    refs = _list(obj.get("referenced_works"), "referenced_works")
    if not all(isinstance(r, str) for r in refs):
        raise InvalidData("referenced_works holds a non-string")
    return [short_id(r) for r in refs]


def _source_type(obj: dict[str, Any]) -> str | None:
    location = obj.get("primary_location")
    source = location.get("source") if isinstance(location, dict) else None
    if not isinstance(source, dict):
        return None
    return _opt_str(source.get("type"), "primary_location.source.type")


def parse_work(obj: Any) -> dict[str, Any]:
    """Extract the fields SciDip uses from one OpenAlex work (a decoded JSON object).

    Required: ``id`` (string) and ``publication_year`` (integer). Optional fields default to
    "absent" (``None``, empty lists, ``is_retracted`` false, ``cited_by_count`` 0). A field of the
    wrong type raises :class:`InvalidData` naming it. Records of every vintage are read: 2022's
    (``host_venue``, Crossref types, concept scores as strings, no ``countries``), 2023's
    (``concepts`` but no ``primary_topic``) and today's.
    """
    if not isinstance(obj, dict):
        raise InvalidData("record is not a JSON object")
    work_id = obj.get("id")
    if not isinstance(work_id, str) or not work_id:
        raise InvalidData("id is missing")
    year = obj.get("publication_year")
    if year is None:
        raise InvalidData("publication_year is missing")
    retracted = obj.get("is_retracted", False)
    if retracted is not None and not isinstance(retracted, bool):
        raise InvalidData("is_retracted is not a boolean")
    topic = obj.get("primary_topic") or {}
    if not isinstance(topic, dict):
        raise InvalidData("primary_topic is not an object")
    topic_id = _opt_str(topic.get("id"), "primary_topic.id")
    field_id, field_name = _topic_part(topic, "field")
    subfield_id, subfield_name = _topic_part(topic, "subfield")
    domain_id, domain_name = _topic_part(topic, "domain")
    counts = []
    for c in _list(obj.get("counts_by_year"), "counts_by_year"):
        if not isinstance(c, dict):
            raise InvalidData("counts_by_year[] is not an object")
        counts.append(
            {
                "year": _int(c.get("year"), "counts_by_year[].year"),
                "cited_by_count": _int(c.get("cited_by_count"), "counts_by_year[].cited_by_count"),
            }
        )
    return {
        "work_id": short_id(work_id),
        "publication_year": _int(year, "publication_year"),
        "record_updated": _opt_str(obj.get("updated_date"), "updated_date"),
        "work_type": _opt_str(obj.get("type"), "type"),
        "type_crossref": _opt_str(obj.get("type_crossref"), "type_crossref"),
        "source_type": _source_type(obj),
        "is_retracted": bool(retracted),
        "cited_by_count": _int(obj.get("cited_by_count"), "cited_by_count", default=0),
        "topic_id": short_id(topic_id) if topic_id else None,
        "field_id": field_id,
        "field_name": field_name,
        "subfield_id": subfield_id,
        "subfield_name": subfield_name,
        "domain_id": domain_id,
        "domain_name": domain_name,
        "concepts": _concepts(obj.get("concepts")),
        "references_count": _references_count(obj),
        "authorships": [_authorship(a) for a in _list(obj.get("authorships"), "authorships")],
        "counts_by_year": counts,
        "referenced_works": _references(obj),
        "topic_ids": _topics(obj.get("topics")),
        "keywords": _keywords(obj.get("keywords")),
    }
