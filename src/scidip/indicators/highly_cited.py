"""Highly cited papers: field-and-year normalised top 10 % and top 1 %, with the tie rule.

A paper's citation score is compared only with papers of the same field and publication year (the
*reference set*; a method may refine it, :mod:`scidip.indicators.method`). Within a reference set of
``N`` papers, let ``a`` be the number of papers cited strictly more than the paper and ``b`` the
number cited exactly as often (the paper included). The paper's top-``p`` weight is

    t_p = min(1, max(0, (p·N − a) / b))

so a paper entirely above the threshold counts 1, one below it 0, and the ``b`` papers tied at the
threshold share the remaining ``p·N − a`` equally. Summed over the reference set, the weights are
exactly ``p·N``: the world holds exactly 10 % (1 %) top papers in every field and year.

Source: L. Waltman & M. Schreiber (2013), "On the calculation of percentile-based bibliometric
indicators", JASIST 64(2), 372–379 (fractional assignment of tied papers). The CWTS Leiden Ranking
Open Edition computes the same weight (CWTS-OpenAlex-databases, ``05_create_tables.sql``:
``top_threshold`` and ``top_weight_pubs_at_threshold``). NISTEP does not: its rule
(:func:`top_weight_extracted`) extracts the papers within the top 10 % and scales them all by one
correction factor.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from scidip.indicators.counts import REFERENCE_SET, typed_sum

#: Column name → share of the reference set that is "top".
TOP_SHARES: dict[str, float] = {"top10_weight": 0.10, "top1_weight": 0.01}


def window_citations(papers: ir.Table, citation_years: ir.Table, window_years: int) -> ir.Table:
    """``(work_key, citations)``: citations each paper received in years ``publication_year`` …
    ``publication_year + window_years − 1``, from ``counts_by_year`` (which OpenAlex fills for
    the last ten years only). Papers cited in none of those years have no row (score 0).
    """
    cy = citation_years
    j = papers.select("work_key", "publication_year").join(cy, "work_key")
    in_window = (j.citation_year >= j.publication_year) & (
        j.citation_year <= j.publication_year + (window_years - 1)
    )
    return j.filter(in_window).group_by("work_key").aggregate(citations=typed_sum(j.citations))


def citation_scores(t: ir.Table, windowed: ir.Table | None = None) -> ir.Table:
    """Each row of ``t`` (papers, or paper × country rows) with its paper's ``citations`` score.

    ``windowed`` None: ``cited_by_count`` (all citations to the snapshot date; age is neutralised
    by comparing within the publication year). Otherwise the scores of :func:`window_citations`,
    joined by ``work_key``.
    """
    if windowed is None:
        return t.mutate(citations=t.cited_by_count.cast("int64"))
    scores = windowed.select("work_key", _c="citations")
    joined = t.left_join(scores, "work_key").drop("work_key_right")
    return joined.mutate(citations=joined._c.fill_null(0).cast("int64")).drop("_c")


def top_weight(
    share: float, n: ir.IntegerValue, above: ir.IntegerValue, tied: ir.IntegerValue
) -> ir.FloatingValue:
    """``min(1, max(0, (share·n − above) / tied))``: the tie rule, as an expression."""
    raw = (n.cast("float64") * share - above.cast("float64")) / tied.cast("float64")
    return ibis.greatest(ibis.literal(0.0), ibis.least(ibis.literal(1.0), raw))


def is_extracted(share: float, n: ir.IntegerValue, at_least: ir.IntegerValue) -> ir.BooleanValue:
    """NISTEP's extraction: the papers cited at least as often (``at_least``, the paper
    included) are no more than ``share·n``. The 1e-9 absorbs the float product (0.1 · 30 is
    3.0000000000000004)."""
    return at_least.cast("float64") <= n.cast("float64") * share + 1e-9


def top_weight_extracted(
    share: float, n: ir.IntegerValue, at_least: ir.IntegerValue, extracted: ir.IntegerValue
) -> ir.FloatingValue:
    """NISTEP's rule (*Top10%補正論文数*): a paper is extracted when the papers cited at least as
    often as it are no more than ``share·n`` (a tie group that would pass the share is left out
    whole); every extracted paper counts ``share·n / extracted``, one correction factor for the
    reference set, so that they add up to ``share·n`` (0 when nothing is extracted).

    ``at_least``: papers cited at least as often as the paper (itself included); ``extracted``:
    the reference set's extracted papers. Example (Cabinet Office, *世界経済の潮流 2015年II*,
    note 9, of NISTEP's indicator): 100 papers, 7 within the top 10 %: factor 10/7.
    """
    factor = n.cast("float64") * share / extracted.cast("float64").nullif(0.0)
    return ibis.ifelse(is_extracted(share, n, at_least), factor.fill_null(0.0), 0.0)


def reference_levels(
    scored: ir.Table,
    shares: dict[str, float] | None = None,
    keys: tuple[str, ...] = REFERENCE_SET,
    rule: str = "split",
) -> ir.Table:
    """One row per reference set (``keys``) and citation count: the ``papers`` at that count and
    their weight, one column per top share (default: ``top10_weight``, ``top1_weight``), by the
    tie ``rule``: ``split`` (:func:`top_weight`) or ``extract`` (:func:`top_weight_extracted`).

    Far fewer rows than papers: ``tied`` counts the papers at a citation count, ``above`` the
    papers cited more (a running sum from the most cited down, minus the count's own papers).
    Every paper of a level has the level's weights, so the world's top counts are
    ``Σ papers · weight`` over the levels, and a paper's weights are found by joining on
    (field, year, citations).
    """
    levels = scored.group_by([*keys, "citations"]).aggregate(papers=scored.count())
    group = [levels[k] for k in keys]
    running = ibis.cumulative_window(group_by=group, order_by=ibis.desc(levels.citations))
    levels = levels.mutate(
        _n=levels.papers.sum().over(ibis.window(group_by=group)),
        _above=levels.papers.sum().over(running) - levels.papers,
    )
    shares = shares or TOP_SHARES
    if rule == "split":
        weights = {
            name: top_weight(share, levels._n, levels._above, levels.papers)
            for name, share in shares.items()
        }
        return levels.select(*keys, "citations", "papers", **weights)
    at_least = levels._above + levels.papers
    whole = ibis.window(group_by=group)
    levels = levels.mutate(
        **{f"_e_{name}": ibis.ifelse(is_extracted(share, levels._n, at_least), levels.papers, 0)
           .sum().over(whole) for name, share in shares.items()}
    )  # fmt: skip
    at_least = levels._above + levels.papers
    weights = {
        name: top_weight_extracted(share, levels._n, at_least, levels[f"_e_{name}"])
        for name, share in shares.items()
    }
    return levels.select(*keys, "citations", "papers", **weights)


def with_top_weights(
    scored: ir.Table, levels: ir.Table | None = None, keys: tuple[str, ...] = REFERENCE_SET
) -> ir.Table:
    """``scored`` (papers or paper × country rows, with ``citations``) plus its top weights.

    ``levels``: :func:`reference_levels` of the papers by the reference set ``keys`` (computed
    from ``scored`` when None, which is right only when ``scored`` holds one row per paper).
    """
    levels = reference_levels(scored, keys=keys) if levels is None else levels
    return scored.join(levels.drop("papers"), [*keys, "citations"])
