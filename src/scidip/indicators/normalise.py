"""Staged records → the columnar tables every indicator reads: works, work-country, work-field.

Pure Ibis expressions over the flat staging tables of :mod:`scidip.indicators.flatten`
(``records``, ``authorship_countries``, ``citation_years``); they run on DuckDB or on Spark
alike. Rules decided here, once:

* **Duplicates.** A work read more than once (several snapshot partitions, API bodies captured on
  several dates) is taken from its latest version: the greatest ``updated_date`` of the record
  itself (a date, or a date and time), else of its partition; then the latest partition, the
  last file and line. That is the OpenAlex snapshot documentation's rule, applied to the record's
  own date so that API bodies, which sit in no partition, are ordered too.
* **Country of an authorship** (decided in :mod:`scidip.indicators.flatten`):
  ``authorships[].countries``, or else the ``country_code`` of the authorship's institutions.
  ISO 3166-1 alpha-2 codes become alpha-3 (``JP`` → ``JPN``; ``XK`` → ``XKX``, Kosovo's
  customary code); a code that maps to nothing is kept upper-cased, and reported by ``compute``.
* **Fractional weight** (SciDip's author-country fractional counting; CWTS counts fractionally by
  author and institution, NISTEP by institution: ``docs/indicators.md``, "Methods"): each authorship
  with at least one country carries ``1 / A`` of the paper, where ``A`` is the number of such
  authorships; that share is split equally over the authorship's ``k`` distinct countries. A
  country's weight is the sum, so the weights of one paper sum to 1:
  ``w(c) = Σ_{a ∋ c} 1 / (A · k_a)``.
* **International.** A work with at least two distinct known countries (``is_international``);
  each of its country rows lists the others (``partner_codes``).
* **No country at all.** A work with no authorship country gets one row with the code
  ``XXX`` (weight 1) and ``has_country`` false: it is reported, never dropped silently; whether
  it stays in the world totals is ``compute``'s choice (:class:`~scidip.indicators.counts.
  Population`).
* **No field.** A work without a field (no ``primary_topic.field``, no level-0 concept) gets
  field ``unknown``.

Every table is keyed by ``work_key`` (an integer, see :func:`works_table`), and ``work_country``
carries its work's attributes (:func:`work_attributes`), so that ``compute`` joins no two large
tables on strings, and most indicators need no join at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from scidip.indicators.links import link_tables

UNKNOWN_COUNTRY = "XXX"
UNKNOWN_FIELD_ID = "unknown"
UNKNOWN_FIELD_NAME = "Field unknown"
_EXTRA_ALPHA2 = {"XK": "XKX"}


def alpha2_to_alpha3() -> pa.Table:
    """The ISO 3166-1 alpha-2 → alpha-3 code table (pycountry), plus Kosovo ``XK`` → ``XKX``."""
    import pycountry

    pairs = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    pairs.update(_EXTRA_ALPHA2)
    return pa.table({"alpha2": list(pairs), "alpha3": list(pairs.values())})


def latest_keys(records: ir.Table) -> ir.Table:
    """``record_key`` of each work's latest record: by its own ``updated_date``, else its
    partition's (:func:`version_date`), then the partition, the file and the line.

    Narrow on purpose: only the ordering columns are sorted, and the latest records are read
    back from the staging rows by key (:func:`latest_records`).
    """
    order = [
        ibis.desc(version_date(records)),
        ibis.desc(records.updated_date),
        ibis.desc(records.source_file),
        ibis.desc(records.source_line),
    ]
    w = ibis.window(group_by=records.work_id, order_by=order)
    ranked = records.select("record_key", _n=ibis.row_number().over(w))
    return ranked.filter(ranked._n == 0).select("record_key")


def version_date(records: ir.Table) -> ir.StringValue:
    """The date a record was last updated: its own ``updated_date`` (ISO 8601, compared as
    text), else its partition's."""
    own = records.record_updated.nullif("")
    return own.fill_null(records.updated_date.nullif("")).fill_null("")


def latest_records(records: ir.Table, keys: ir.Table | None = None) -> ir.Table:
    """One record per work: the latest (:func:`latest_keys`).

    ``keys``: :func:`latest_keys` of ``records``, when the caller has them already.
    """
    keys = latest_keys(records) if keys is None else keys
    return records.semi_join(keys, "record_key")


def _field_id(latest: ir.Table) -> ir.StringValue:
    return latest.field_id.fill_null(UNKNOWN_FIELD_ID)


def work_attributes(latest: ir.Table) -> dict[str, ir.Value]:
    """The work's attributes, as column expressions by name.

    ``works`` holds them, and each of the work's ``work_country`` rows carries a copy, so that
    ``compute`` counts papers by country, field and year from that one table, without a join.
    """
    return {
        "publication_year": latest.publication_year,
        "field_id": _field_id(latest),
        "topic_id": latest.topic_id,
        "work_type": latest.work_type,
        "is_retracted": latest.is_retracted,
        "cited_by_count": latest.cited_by_count,
        "references_count": latest.references_count,
        "source_type": latest.source_type,
    }


def works_table(latest: ir.Table, record_countries: ir.Table) -> ir.Table:
    """``works``: one row per work: key, ``work_id``, attributes, ``has_country``, how its type
    and field were read, and where the record came from.

    ``work_key`` is the ``record_key`` of the work's latest record: an integer unique within the
    store, which every table carries so that joins compare integers, not ``work_id`` strings.
    """
    keys = record_countries.select(_k=record_countries.record_key).distinct()
    j = latest.left_join(keys, latest.record_key == keys._k)
    return j.select(
        work_key=j.record_key,
        work_id=j.work_id,
        **work_attributes(j),
        has_country=j._k.notnull(),
        type_crossref=j.type_crossref,
        field_source=j.field_source,
        updated_date=version_date(j),
        source_file=j.source_file,
        source_line=j.source_line,
    )


def work_field_table(latest: ir.Table) -> ir.Table:
    """``work_field``: the work's primary-topic field, subfield and domain (``unknown`` if none)."""
    missing = latest.field_id.isnull()
    return latest.select(
        work_key=latest.record_key,
        field_id=_field_id(latest),
        field_name=ibis.ifelse(missing, UNKNOWN_FIELD_NAME, latest.field_name.fill_null("")),
        subfield_id=latest.subfield_id,
        subfield_name=latest.subfield_name,
        domain_id=latest.domain_id,
        domain_name=latest.domain_name,
    )


def authorship_countries_alpha3(authorship_countries: ir.Table, codes: ir.Table) -> ir.Table:
    """Distinct (record, authorship position, alpha-3 country) rows."""
    rows = authorship_countries.mutate(alpha2=authorship_countries.alpha2.upper())
    joined = rows.left_join(codes, rows.alpha2 == codes.alpha2)
    return joined.select(
        "record_key",
        "author_position",
        country_code=joined.alpha3.fill_null(joined.alpha2),
    ).distinct()


def country_weights(authorship_countries: ir.Table, codes: ir.Table) -> ir.Table:
    """``(record_key, country_code, paper_weight_frac, is_international, partner_codes)`` of
    every record with at least one authorship country; the weights of a record sum to 1, and
    ``partner_codes`` lists the record's other countries (alphabetically).

    Each record on its own: ``ingest`` computes this batch by batch, as it reads (the rows of a
    record all come in one batch), and keeps the latest record's rows afterwards.
    """
    ac = authorship_countries_alpha3(authorship_countries, codes)
    per_author = ac.group_by(["record_key", "author_position"]).aggregate(k=ac.count())
    per_record = per_author.group_by("record_key").aggregate(n_authorships=per_author.count())
    shares = ac.join(per_author, ["record_key", "author_position"]).join(per_record, "record_key")
    shares = shares.mutate(w=1.0 / (shares.n_authorships * shares.k).cast("float64"))
    known = shares.group_by(["record_key", "country_code"]).aggregate(
        paper_weight_frac=shares.w.sum()
    )
    countries = known.group_by("record_key").aggregate(_all=known.country_code.collect())
    j = known.join(countries, "record_key")
    return j.select(
        "record_key",
        "country_code",
        "paper_weight_frac",
        is_international=j._all.length() >= 2,
        partner_codes=j._all.filter(lambda c: c != j.country_code).sort(),
    )


def institution_weights(authorship_institutions: ir.Table, codes: ir.Table) -> ir.Table:
    """``(record_key, institution_id, ror, institution_name, country_code, weight_frac,
    lineage)`` of every record with an institution: the Leiden Ranking's fractional counting by
    author, each of the record's ``n`` authorships carrying ``1 / n`` of the paper (authorships
    without an institution included, so a record's weights may sum to less than 1), split equally
    over the authorship's ``k`` distinct institutions: ``w(i) = Σ_{a ∋ i} 1 / (n · k_a)``.
    """
    ai = authorship_institutions
    rows = ai.group_by(["record_key", "author_position", "institution_id"]).aggregate(
        n_authorships=ai.n_authorships.max(),
        ror=ai.ror.max(),
        institution_name=ai.institution_name.max(),
        alpha2=ai.alpha2.upper().max(),
        lineage=ai.lineage.max(),
    )
    per_author = rows.group_by(["record_key", "author_position"]).aggregate(k=rows.count())
    j = rows.join(per_author, ["record_key", "author_position"])
    j = j.mutate(w=1.0 / (j.n_authorships * j.k).cast("float64"))
    per_inst = j.group_by(["record_key", "institution_id"]).aggregate(
        weight_frac=j.w.sum(),
        ror=j.ror.max(),
        institution_name=j.institution_name.max(),
        alpha2=j.alpha2.max(),
        lineage=j.lineage.max(),
    )
    named = per_inst.left_join(codes, per_inst.alpha2 == codes.alpha2)
    return named.select(
        "record_key",
        "institution_id",
        "ror",
        "institution_name",
        country_code=named.alpha3.fill_null(named.alpha2),
        weight_frac=named.weight_frac,
        lineage=named.lineage,
    )


def work_institution_table(
    latest: ir.Table, record_institutions: ir.Table, record_countries: ir.Table
) -> ir.Table:
    """``work_institution``: (work, institution, ``weight_frac``) with the institution's ROR id,
    name and country, the work's attributes and whether it is internationally co-authored.

    ``record_institutions``: :func:`institution_weights` of the records (any; the latest are
    kept).
    """
    works = latest.select(work_key=latest.record_key, **work_attributes(latest))
    rc = record_countries
    intl = rc.group_by(_rk=rc.record_key).aggregate(_intl=rc.is_international.max())
    ri = record_institutions
    first = ri.join(works, ri.record_key == works.work_key)
    j = first.left_join(intl, first.work_key == intl._rk)
    return j.select(
        "work_key",
        "institution_id",
        "ror",
        "institution_name",
        "country_code",
        "weight_frac",
        "lineage",
        is_international=j._intl.fill_null(False),
        # A record with no country row has no country (its institutions name none either).
        has_country=j._intl.notnull(),
        **{c: j[c] for c in works.columns if c != "work_key"},
    )


def work_country_table(latest: ir.Table, record_countries: ir.Table) -> ir.Table:
    """``work_country``: (work, country, ``paper_weight_frac``, ``is_international``) and the
    work's attributes (:func:`work_attributes`).

    ``record_countries``: :func:`country_weights` of the records (any, the latest are kept). A
    work without any authorship country gets one row ``XXX`` with weight 1.
    """
    works = latest.select(work_key=latest.record_key, **work_attributes(latest))
    rc = record_countries
    known = rc.join(works, rc.record_key == works.work_key).drop("record_key")
    known = known.mutate(has_country=ibis.literal(True))
    none = works.anti_join(rc, works.work_key == rc.record_key).mutate(
        country_code=ibis.literal(UNKNOWN_COUNTRY),
        paper_weight_frac=ibis.literal(1.0, type="float64"),
        is_international=ibis.literal(False),
        partner_codes=ibis.literal([], type="array<string>"),
        has_country=ibis.literal(False),
    )
    columns = [
        "work_key",
        "country_code",
        "paper_weight_frac",
        "is_international",
        "partner_codes",
        "has_country",
    ]
    attributes = [c for c in works.columns if c != "work_key"]
    return known.select(*columns, *attributes).union(none.select(*columns, *attributes))


def citation_year_table(keys: ir.Table, citation_years: ir.Table) -> ir.Table:
    """``work_citation_year``: citations a work received in each year (``counts_by_year``).

    ``keys``: the latest records' keys (:func:`latest_keys`).
    """
    rows = citation_years.semi_join(keys, "record_key")
    return rows.select(
        work_key=rows.record_key,
        citation_year=rows.citation_year.cast("int32"),
        citations=rows.citations.cast("int64"),
    )


def normalise(
    staged: Mapping[str, ir.Table], cache: Callable[[ir.Table], ir.Table] | None = None
) -> dict[str, ir.Table]:
    """All normalised tables, by name, from the staging tables ``records``,
    ``record_countries`` (:func:`country_weights`) and ``citation_years``, and the link tables
    of :mod:`scidip.indicators.links` when the links were staged.

    ``cache`` may materialise the latest records' keys, which every table reads.
    """
    records = staged["records"]
    keys = latest_keys(records)
    if cache is not None:
        keys = cache(keys)
    latest = latest_records(records, keys)
    links = link_tables(dict(staged), keys, latest) if "record_authors" in staged else {}
    return {
        **links,
        "works": works_table(latest, staged["record_countries"]),
        "work_field": work_field_table(latest),
        "work_country": work_country_table(latest, staged["record_countries"]),
        "work_citation_year": citation_year_table(keys, staged["citation_years"]),
        "work_institution": work_institution_table(
            latest, staged["record_institutions"], staged["record_countries"]
        ),
    }
