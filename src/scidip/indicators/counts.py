"""Which works count, and the additive paper counts per country × field × year.

**Counted works** (:class:`Population`, one rule for every table and for the coverage report):
``type`` is one of the counted types (by default ``article`` or ``review``), ``is_retracted`` is
false, the work is not from a year after the last complete one (by default), it has references
when the method requires them, and it has a country unless works without one stay in the world
totals (the default). Every other work is excluded with the first reason that applies, in that
order (:func:`exclusion_reason`), and reported.

All counts here are *additive* (they sum over fields and over years), so the "all fields" rows and
the 3-year moving windows are plain sums of the annual, per-field rows; the ratios are derived
afterwards in :mod:`scidip.indicators.derive`.

* ``papers_whole`` — whole counting: papers with at least one authorship from the country.
* ``papers_frac`` — fractional counting: Σ over papers of the country's weight ``w(c)``
  (see :mod:`scidip.indicators.normalise`); over all countries it sums to the number of papers.
* ``top10_whole`` / ``top10_frac`` — Σ ``t₁₀`` and Σ ``w(c)·t₁₀`` (tie rule in
  :mod:`scidip.indicators.highly_cited`); likewise ``top1_*``.
* ``intl_papers_whole`` — papers of the country with at least two distinct known countries
  (``is_international``, decided in :mod:`scidip.indicators.normalise`).
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from scidip.indicators.method import cwts_doc_type

COUNTED_TYPES = ("article", "review")
#: Why a work is not counted, in the order the reasons are tested.
EXCLUSION_REASONS = ("type", "retracted", "incomplete_year", "no_references", "no_country")
ALL_FIELDS_ID = "all"
ALL_FIELDS_NAME = "All fields"

FIELD_KEYS = ["field_id"]
COUNTRY_MEASURES = [
    "papers_whole",
    "papers_frac",
    "top10_whole",
    "top10_frac",
    "top1_whole",
    "top1_frac",
    "intl_papers_whole",
]
WORLD_MEASURES = ["world_papers", "world_top10", "world_top1"]


@dataclass(frozen=True)
class Population:
    """Which works the indicators are computed on (recorded in ``compute.json``)."""

    #: OpenAlex types that count (``doc_types`` ``article_review``).
    counted_types: tuple[str, ...] = COUNTED_TYPES
    #: ``article_review``: ``type`` in ``counted_types``; ``cwts``: CWTS's document types 2 and
    #: 4 (:func:`~scidip.indicators.method.cwts_doc_type`).
    doc_types: str = "article_review"
    #: Works published after this year are left out (None: none are).
    last_year: int | None = None
    #: Works without any known country stay in the world totals (as ``XXX``) when True.
    without_country: bool = True
    #: Works that list no reference are left out when True.
    require_references: bool = False


def exclusion_reason(works: ir.Table, pop: Population) -> ir.StringValue:
    """Why a work (a row of ``works`` or ``work_country``) is not counted: the first of
    :data:`EXCLUSION_REASONS` that applies, or null when it is counted."""
    if pop.doc_types == "cwts":
        wrong_type = cwts_doc_type(works) == 1
    else:
        wrong_type = ~works.work_type.fill_null("").isin(pop.counted_types)
    checks = [
        ("type", wrong_type),
        ("retracted", works.is_retracted.fill_null(False)),
    ]
    if pop.last_year is not None:
        checks.append(("incomplete_year", works.publication_year > pop.last_year))
    if pop.require_references:
        checks.append(("no_references", works.references_count.fill_null(0) <= 0))
    if not pop.without_country:
        checks.append(("no_country", ~works.has_country))
    return ibis.cases(*[(flag, reason) for reason, flag in checks], else_=ibis.null("string"))


def is_counted(works: ir.Table, pop: Population | None = None) -> ir.BooleanValue:
    """The counting rule: no :func:`exclusion_reason` applies."""
    return exclusion_reason(works, pop or Population()).isnull()


def counted_works(works: ir.Table, pop: Population | None = None) -> ir.Table:
    """The works that count (:func:`is_counted`)."""
    return works.filter(is_counted(works, pop))


#: The columns of SciDip's reference set (a method may add ``topic_id`` and ``doc_type``).
REFERENCE_SET = ("field_id", "publication_year")


#: The ``topic_id`` of works without a topic in a reference set keyed by topic: they form one
#: set per field (and document type and year) rather than none, since null never equals null in
#: the join that gives each paper its set's weights.
NO_TOPIC = ""


def with_reference_columns(t: ir.Table, keys: tuple[str, ...]) -> tuple[ir.Table, list[str]]:
    """``t`` with the reference-set columns it lacks (``doc_type``) or must not leave null
    (``topic_id``: :data:`NO_TOPIC`), and the extra column names."""
    if "doc_type" in keys:
        t = t.mutate(doc_type=cwts_doc_type(t))
    if "topic_id" in keys:
        t = t.mutate(topic_id=t.topic_id.fill_null(NO_TOPIC))
    return t, [k for k in keys if k not in ("field_id", "publication_year")]


def papers(
    works: ir.Table, pop: Population | None = None, keys: tuple[str, ...] = REFERENCE_SET
) -> ir.Table:
    """Counted works: the population every indicator is computed on, one row per paper, with
    the columns of its reference set ``keys``."""
    t, extra = with_reference_columns(counted_works(works, pop), keys)
    return t.select("work_key", "publication_year", "field_id", *extra, "cited_by_count")


def paper_country_rows(
    work_country: ir.Table, pop: Population | None = None, keys: tuple[str, ...] = REFERENCE_SET
) -> ir.Table:
    """One row per (counted paper, country) with weight, the international flag, the partner
    countries and the paper's year, field, reference set ``keys`` and citations
    (``work_country`` carries them: no join to ``works``)."""
    t, extra = with_reference_columns(counted_works(work_country, pop), keys)
    return t.select(
        *extra,
        "work_key",
        "country_code",
        "paper_weight_frac",
        "is_international",
        "partner_codes",
        "publication_year",
        "field_id",
        "cited_by_count",
    )


def field_names(work_field: ir.Table) -> ir.Table:
    """(field_id, field_name) of every field present, plus ``all`` → "All fields"."""
    names = work_field.group_by("field_id").aggregate(field_name=work_field.field_name.min())
    # One row built from the table itself rather than an in-memory table, which an engine's
    # cache (Spark's) would not see.
    everything = work_field.limit(1).select(
        field_id=ibis.literal(ALL_FIELDS_ID), field_name=ibis.literal(ALL_FIELDS_NAME)
    )
    return names.union(everything)


def base_counts(rows: ir.Table) -> ir.Table:
    """Additive counts per (country, field, publication year)."""
    w = rows.paper_weight_frac
    return rows.group_by(["country_code", *FIELD_KEYS, "publication_year"]).aggregate(
        papers_whole=rows.count(),
        papers_frac=w.sum(),
        top10_whole=rows.top10_weight.sum(),
        top10_frac=(w * rows.top10_weight).sum(),
        top1_whole=rows.top1_weight.sum(),
        top1_frac=(w * rows.top1_weight).sum(),
        intl_papers_whole=typed_sum(rows.is_international.cast("int64")),
    )


def world_counts(levels: ir.Table) -> ir.Table:
    """Additive world counts per (field, publication year): papers, Σ t₁₀ (= 0.1·N), Σ t₁.

    ``levels``: :func:`~scidip.indicators.highly_cited.reference_levels` (``papers`` at each
    citation count of a reference set, and their weights).
    """
    return levels.group_by([*FIELD_KEYS, "publication_year"]).aggregate(
        world_papers=typed_sum(levels.papers),
        world_top10=(levels.papers * levels.top10_weight).sum(),
        world_top1=(levels.papers * levels.top1_weight).sum(),
    )


def typed_sum(column: ir.NumericColumn) -> ir.NumericScalar:
    """``SUM(column)`` cast back to the column's type.

    DuckDB sums BIGINT as HUGEINT, which its Parquet writer stores as DOUBLE; Ibis drops a cast
    to the type it already infers, so the cast operation is built directly.
    """
    return ops.Cast(column.sum(), to=column.type()).to_expr()


def _sums(t: ir.Table, measures: list[str]) -> dict[str, ir.NumericScalar]:
    return {m: typed_sum(t[m]) for m in measures}


def with_all_fields(t: ir.Table, keys: list[str], measures: list[str]) -> ir.Table:
    """``t`` plus its sums over fields, labelled ``field_id = "all"``."""
    total = t.group_by(keys).aggregate(**_sums(t, measures))
    total = total.mutate(field_id=ibis.literal(ALL_FIELDS_ID))
    cols = [*keys, *FIELD_KEYS, *measures]
    return t.select(*cols).union(total.select(*cols))


def periodise(
    t: ir.Table, keys: list[str], measures: list[str], lengths: list[int], first: int, last: int
) -> ir.Table:
    """Sum the annual rows over windows of consecutive publication years, for each window
    length in ``lengths`` at once (``period_years``; 1 gives the annual rows).

    A window ``[period_start, period_end]`` is kept only when it lies inside ``[first, last]``
    (no partial windows at the edges).
    """
    # One copy of the annual rows per (length, offset): a row of year y counts towards the
    # windows ending in y, y + 1, … y + length − 1.
    copies = [
        t.select(
            *keys,
            *measures,
            period_years=ibis.literal(years, type="int32"),
            period_end=(t.publication_year + offset).cast("int32"),
        )
        for years in lengths
        for offset in range(years)
    ]
    x = ibis.union(*copies)
    x = x.filter((x.period_end >= x.period_years + (first - 1)) & (x.period_end <= last))
    agg = x.group_by([*keys, "period_years", "period_end"]).aggregate(**_sums(x, measures))
    agg = agg.mutate(period_start=(agg.period_end - (agg.period_years - 1)).cast("int32"))
    return agg.select(*keys, "period_end", *measures, "period_years", "period_start")
