"""Highly cited papers: field-and-year normalised top 10 % and top 1 %, with the tie rule.

A paper's citation score is compared only with papers of the same field and publication year
(the *reference set*). Within a reference set of ``N`` papers, let ``a`` be the number of papers
cited strictly more than the paper and ``b`` the number cited exactly as often (the paper
included). The paper's top-``p`` weight is

    t_p = min(1, max(0, (p·N − a) / b))

so a paper entirely above the threshold counts 1, one below it 0, and the ``b`` papers tied at the
threshold share the remaining ``p·N − a`` equally. Summed over the reference set, the weights are
exactly ``p·N``: the world holds exactly 10 % (1 %) top papers in every field and year.

Source: L. Waltman & M. Schreiber (2013), "On the calculation of percentile-based bibliometric
indicators", JASIST 64(2), 372–379 (fractional assignment of tied papers); the CWTS Leiden Ranking
methodology (PP(top 10%)); NISTEP's *Benchmarking Scientific Research* ("adjusted" top 10 % / 1 %
paper counts, which count papers at the threshold fractionally so the world total is 10 % / 1 %).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from scidip.indicators.counts import typed_sum

#: Column name → share of the reference set that is "top".
TOP_SHARES: dict[str, float] = {"top10_weight": 0.10, "top1_weight": 0.01}

REFERENCE_SET = ("field_id", "publication_year")


def citation_scores(
    papers: ir.Table, citation_years: ir.Table | None = None, window_years: int | None = None
) -> ir.Table:
    """Each paper with its ``citations`` score.

    ``window_years`` None: ``cited_by_count`` (all citations to the snapshot date; age is
    neutralised by comparing within the publication year). ``window_years = w``: citations received
    in years ``publication_year`` … ``publication_year + w − 1`` from ``counts_by_year`` (which
    OpenAlex fills for the last ten years only).
    """
    if window_years is None or citation_years is None:
        return papers.mutate(citations=papers.cited_by_count.cast("int64"))
    cy = citation_years
    j = papers.select("work_id", "publication_year").join(cy, "work_id")
    in_window = (j.citation_year >= j.publication_year) & (
        j.citation_year <= j.publication_year + (window_years - 1)
    )
    sums = j.filter(in_window).group_by("work_id").aggregate(_c=typed_sum(j.citations))
    joined = papers.left_join(sums, "work_id").drop("work_id_right")
    return joined.mutate(citations=joined._c.fill_null(0).cast("int64")).drop("_c")


def top_weight(
    share: float, n: ir.IntegerValue, above: ir.IntegerValue, tied: ir.IntegerValue
) -> ir.FloatingValue:
    """``min(1, max(0, (share·n − above) / tied))``: the tie rule, as an expression."""
    raw = (n.cast("float64") * share - above.cast("float64")) / tied.cast("float64")
    return ibis.greatest(ibis.literal(0.0), ibis.least(ibis.literal(1.0), raw))


def with_top_weights(scored: ir.Table, shares: dict[str, float] | None = None) -> ir.Table:
    """Add one weight column per top share (default: ``top10_weight``, ``top1_weight``).

    Computed on the distinct citation counts of each reference set (far fewer rows than papers),
    then joined back: ``tied`` counts the papers at a citation count, ``above`` the papers cited
    more (a running sum from the most cited down, minus the count's own papers).
    """
    keys = list(REFERENCE_SET)
    levels = scored.group_by([*keys, "citations"]).aggregate(_tied=scored.count())
    group = [levels[k] for k in keys]
    running = ibis.cumulative_window(group_by=group, order_by=ibis.desc(levels.citations))
    levels = levels.mutate(
        _n=levels._tied.sum().over(ibis.window(group_by=group)),
        _above=levels._tied.sum().over(running) - levels._tied,
    )
    weights = {
        name: top_weight(share, levels._n, levels._above, levels._tied)
        for name, share in (shares or TOP_SHARES).items()
    }
    levels = levels.select(*keys, "citations", **weights)
    return scored.join(levels, [*keys, "citations"])


def top_columns(top: ir.Table) -> ir.Table:
    """Only what the counts need from the scored papers (narrow tables are cheaper to keep)."""
    return top.select("work_id", "publication_year", "field_id", *TOP_SHARES)
