"""Which works belong to which technology: the rule of :mod:`scidip.indicators.tech.definitions`
(a work belongs when its primary topic or any of its topics is one of the technology's
``topics`` or lies in one of its ``subfields``, or it carries one of its ``keywords``).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from scidip.indicators.tech.definitions import Technology


def query_terms(technologies: list[Technology]) -> pa.Table:
    """(tech_key, term_kind, term): one row per term of each technology's query."""
    rows = [
        (t.key, kind, term)
        for t in technologies
        for kind, terms in (("subfield", t.subfields), ("topic", t.topics), ("keyword", t.keywords))
        for term in terms
    ]
    names = ("tech_key", "term_kind", "term")
    return pa.table({n: pa.array([r[i] for r in rows], pa.string()) for i, n in enumerate(names)})


def technology_works(links: dict[str, ir.Table], terms: ir.Table) -> ir.Table:
    """(tech_key, work_key), each pair once, from the store's ``work_topic`` and
    ``work_keyword`` links and the :func:`query_terms` ``terms``."""
    wt, wk = links["work_topic"], links["work_keyword"]

    def matched(kind: str, table: ir.Table, column: str) -> ir.Table:
        q = terms.filter(terms.term_kind == kind)
        j = table.join(q, table[column] == q.term)
        return j.select("tech_key", "work_key")

    return ibis.union(
        matched("subfield", wt, "subfield_id"),
        matched("topic", wt, "topic_id"),
        matched("keyword", wk, "keyword"),
        distinct=True,
    )
