"""Institutions as given, or merged to their top-level parents (``compute --parents``).

OpenAlex gives each institution of an authorship its ``lineage``: its own id and the ids of its
parents, recursively, from ROR's parent/child relations (the ids in id order, not in the order of
the hierarchy). ``given`` counts a paper at the institutions its authorships name;
``top`` counts it at their top-level parents instead:

* an institution's **top-level parents** are the members of its lineage that have no parent
  themselves: a member whose own lineage, as the data show it (any record naming it as an
  institution), holds more than itself has a parent; a member the data never name is taken as
  top-level (the data cannot tell). An institution whose lineage is unknown (records without
  ``lineage``) or holds only itself is its own top level;
* its weight (:func:`~scidip.indicators.normalise.institution_weights`) is split equally among
  its ``k`` top-level parents, and a paper's weights that reach the same parent from several
  institutions are summed (a university's hospital and its faculty count once, at their sum), as
  the Leiden Ranking sums the weights of a university's merged organisations per publication;
* the merged unit's ROR id, name and country are its own where the data name it as an
  institution, else null (not guessed).

The Leiden Ranking merges by CWTS's own classification of ROR's relations (Open Edition
``calc_leiden_ranking_open_edition.sql``, "institution unification"): *components* and *joint*
organisations are merged into their universities, with a weight per relation; *associated*
organisations (many hospitals) count for a university only on papers that also name that
university. OpenAlex's lineage does not tell these kinds apart: ``top`` merges every child, as
CWTS merges components.
"""

from __future__ import annotations

from enum import StrEnum

import ibis
import ibis.expr.types as ir

from scidip.errors import InvalidData

#: The columns of ``work_institution`` that describe the institution, not the work.
INSTITUTION_COLUMNS = ("institution_id", "ror", "institution_name", "country_code", "lineage")


class InstitutionLevel(StrEnum):
    """Which unit a paper counts at (this module's docstring)."""

    given = "given"
    top = "top"


def top_parents(work_institution: ir.Table) -> ir.Table:
    """(institution_id, top_id, share): each institution's top-level parents, with ``1 / k``."""
    wi = work_institution
    known = wi.group_by("institution_id").aggregate(lineage=wi.lineage.max())
    lineage = known.lineage.fill_null("")
    members = known.select(
        "institution_id",
        member=ibis.ifelse(
            lineage == "", ibis.array([known.institution_id]), lineage.split(",")
        ).unnest(),
    )
    has_parent = known.filter(lineage.contains(",")).select(parent_of="institution_id")
    tops = members.anti_join(has_parent, members.member == has_parent.parent_of)
    tops = tops.filter(tops.member != "").distinct()
    k = tops.group_by("institution_id").aggregate(k=tops.count())
    j = tops.join(k, "institution_id")
    found = j.select("institution_id", top_id=j.member, share=1.0 / j.k.cast("float64"))
    # An institution whose lineage leads to no member without a parent (a loop in the data) is
    # its own top level.
    lost = known.anti_join(found, "institution_id")
    own = lost.select("institution_id", top_id=lost.institution_id, share=ibis.literal(1.0))
    return found.union(own)


def merged_to_top(work_institution: ir.Table) -> ir.Table:
    """``work_institution`` with each institution replaced by its top-level parents
    (:func:`top_parents`): one row per (work, top-level parent), weights summed."""
    wi = work_institution
    if "lineage" not in wi.columns:
        raise InvalidData(
            "the store holds no institution lineage (ingested by an earlier SciDip): run "
            "`scidip indicators ingest` again to merge institutions to their parents"
        )
    tops = top_parents(wi)
    j = wi.join(tops, "institution_id")
    work_columns = [c for c in wi.columns if c not in (*INSTITUTION_COLUMNS, "weight_frac")]
    merged = j.group_by(["work_key", "top_id"]).aggregate(
        weight_frac=(j.weight_frac * j.share).sum(),
        **{c: j[c].max() for c in work_columns if c != "work_key"},
    )
    named = wi.group_by("institution_id").aggregate(
        ror=wi.ror.max(), institution_name=wi.institution_name.max(),
        country_code=wi.country_code.max(),
    )  # fmt: skip
    out = merged.left_join(named, merged.top_id == named.institution_id)
    return out.select(
        "work_key",
        institution_id=out.top_id,
        ror=out.ror,
        institution_name=out.institution_name,
        country_code=out.country_code,
        weight_frac=out.weight_frac,
        lineage=ibis.null("string"),
        **{c: out[c] for c in work_columns if c != "work_key"},
    )
