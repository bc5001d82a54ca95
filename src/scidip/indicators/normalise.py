"""Staging rows → the columnar tables every indicator reads: works, work-country, work-field.

Pure Ibis expressions: they run on DuckDB or on Spark alike. Rules decided here, once:

* **Duplicates.** A work present in several snapshot partitions is taken from the latest
  ``updated_date`` (then the last file and line), as the OpenAlex snapshot documentation says.
* **Country of an authorship.** ``authorships[].countries``; when that list is empty, the
  ``country_code`` of the authorship's institutions. ISO 3166-1 alpha-2 codes become alpha-3
  (``JP`` → ``JPN``; ``XK`` → ``XKX``, Kosovo's customary code); a code that maps to nothing is kept
  upper-cased, and reported by ``compute``.
* **Fractional weight** (author-country fractional counting, as the CWTS Leiden Ranking and NISTEP
  do): each authorship with at least one country carries ``1 / A`` of the paper, where ``A`` is the
  number of such authorships; that share is split equally over the authorship's ``k`` distinct
  countries. A country's weight is the sum, so the weights of one paper sum to 1:
  ``w(c) = Σ_{a ∋ c} 1 / (A · k_a)``.
* **No country at all.** A work with no authorship country gets one row with the code
  ``XXX`` (weight 1): it is counted in the world totals and reported, never dropped silently.
* **No field.** A work without ``primary_topic.field`` gets field ``unknown``.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

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


def latest_records(staging: ir.Table) -> ir.Table:
    """One staging row per work: the one from the latest partition (then file, then line)."""
    order = [
        ibis.desc(staging.updated_date),
        ibis.desc(staging.source_file),
        ibis.desc(staging.source_line),
    ]
    w = ibis.window(group_by=staging.work_id, order_by=order)
    return staging.mutate(_n=ibis.row_number().over(w)).filter(lambda t: t._n == 0).drop("_n")


def works_table(latest: ir.Table) -> ir.Table:
    """``works``: one row per work with its year, type, retraction flag and citations."""
    return latest.select(
        "work_id",
        "publication_year",
        "work_type",
        "is_retracted",
        "cited_by_count",
        "updated_date",
        "source_file",
        "source_line",
    )


def work_field_table(latest: ir.Table) -> ir.Table:
    """``work_field``: the work's primary-topic field, subfield and domain (``unknown`` if none)."""
    missing = latest.field_id.isnull()
    return latest.select(
        "work_id",
        field_id=latest.field_id.fill_null(UNKNOWN_FIELD_ID),
        field_name=ibis.ifelse(missing, UNKNOWN_FIELD_NAME, latest.field_name.fill_null("")),
        subfield_id=latest.subfield_id,
        subfield_name=latest.subfield_name,
        domain_id=latest.domain_id,
        domain_name=latest.domain_name,
    )


def authorship_countries(latest: ir.Table, codes: ir.Table) -> ir.Table:
    """Distinct (work, authorship position, alpha-3 country) rows, by the authorship rule."""
    u = latest.select("work_id", "authorships").unnest("authorships", offset="author_position")
    a = u.authorships
    chosen = ibis.ifelse(a.countries.length() > 0, a.countries, a.institution_countries)
    rows = u.select("work_id", "author_position", alpha2=chosen).unnest("alpha2")
    rows = rows.mutate(alpha2=rows.alpha2.upper())
    joined = rows.left_join(codes, rows.alpha2 == codes.alpha2)
    return joined.select(
        "work_id",
        "author_position",
        country_code=joined.alpha3.fill_null(joined.alpha2),
    ).distinct()


def work_country_table(latest: ir.Table, codes: ir.Table) -> ir.Table:
    """``work_country``: (work, country, ``paper_weight_frac``); weights of a work sum to 1."""
    ac = authorship_countries(latest, codes)
    per_author = ac.group_by(["work_id", "author_position"]).aggregate(k=ac.count())
    per_work = per_author.group_by("work_id").aggregate(n_authorships=per_author.count())
    shares = ac.join(per_author, ["work_id", "author_position"]).join(per_work, "work_id")
    shares = shares.mutate(w=1.0 / (shares.n_authorships * shares.k).cast("float64"))
    known = shares.group_by(["work_id", "country_code"]).aggregate(paper_weight_frac=shares.w.sum())
    none = latest.anti_join(per_work, "work_id").select(
        "work_id",
        country_code=ibis.literal(UNKNOWN_COUNTRY),
        paper_weight_frac=ibis.literal(1.0, type="float64"),
    )
    return known.union(none)


def citation_year_table(latest: ir.Table) -> ir.Table:
    """``work_citation_year``: citations a work received in each year (``counts_by_year``)."""
    u = latest.select("work_id", "counts_by_year").unnest("counts_by_year")
    return u.select(
        "work_id",
        citation_year=u.counts_by_year.year.cast("int32"),
        citations=u.counts_by_year.cited_by_count.cast("int64"),
    )


def normalise(staging: ir.Table, codes: ir.Table) -> dict[str, ir.Table]:
    """All normalised tables, by name, from the staging rows and the country-code table."""
    latest = latest_records(staging)
    return {
        "works": works_table(latest),
        "work_field": work_field_table(latest),
        "work_country": work_country_table(latest, codes),
        "work_citation_year": citation_year_table(latest),
    }
