"""Whose definitions: SciDip's own, the CWTS Leiden Ranking Open Edition's, or NISTEP's.

A :class:`Method` is the set of choices that change the numbers; ``compute --method`` picks one.
Each choice is made in one place (named below) and the choices are stated side by side, with
their sources and what SciDip cannot reproduce from OpenAlex work records, in
``docs/indicators.md`` ("Methods").

* ``scidip`` — SciDip's choices: articles and reviews; reference set = OpenAlex field × year;
  ties at the top-10 % threshold split (Waltman & Schreiber 2013); moving windows summed.
* ``cwts`` — the choices the Leiden Ranking Open Edition's published SQL makes that work records
  allow: its document types and required metadata (:func:`cwts_doc_type`; CWTS-OpenAlex-databases
  ``src/sql/indicators/table_scripts/02_create_tables.sql``), reference sets by micro-field ×
  document type × year (CWTS's ~4,500 micro clusters; here OpenAlex's topics, about as many), the
  same fractional tie rule at the threshold (``05_create_tables.sql``: ``top_weight_pubs_at_
  threshold``), and works without affiliations left out.
* ``nistep`` — NISTEP's *Top10%補正論文数*: the papers within the top 10 % (a tie group that would
  pass 10 % is not extracted), each multiplied by one correction factor so that they add up to
  10 % (:func:`scidip.indicators.highly_cited.top_weight_extracted`); 3-year windows as
  averages.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import ibis
import ibis.expr.types as ir

#: CWTS's document types (``doc_type_no``): 2 article / review, 4 conference paper / book
#: chapter; 1 (non-citable) is not counted.
CWTS_ARTICLE_REVIEW = 2
CWTS_PROCEEDINGS_CHAPTER = 4


class MethodName(StrEnum):
    """The methods ``compute --method`` offers."""

    scidip = "scidip"
    cwts = "cwts"
    nistep = "nistep"


@dataclass(frozen=True)
class Method:
    """The choices of one method (recorded in ``compute.json``)."""

    name: MethodName
    #: ``article_review`` (type article or review) or ``cwts`` (:func:`cwts_doc_type`).
    doc_types: str
    #: Works listing no reference are left out.
    require_references: bool
    #: Works without a known country stay in the world totals (as ``XXX``) unless the user says.
    without_country: bool
    #: The columns of a reference set (besides the citation count).
    reference_set: tuple[str, ...]
    #: ``split``: ties at the threshold share it; ``extract``: NISTEP's extraction and factor.
    top_rule: str
    #: ``sum`` or ``mean``: how a moving window's counts are made of its years'.
    window_counts: str


METHODS: dict[MethodName, Method] = {
    MethodName.scidip: Method(
        MethodName.scidip, "article_review", False, True,
        ("field_id", "publication_year"), "split", "sum",
    ),
    MethodName.cwts: Method(
        MethodName.cwts, "cwts", True, False,
        ("field_id", "topic_id", "doc_type", "publication_year"), "split", "sum",
    ),
    MethodName.nistep: Method(
        MethodName.nistep, "article_review", False, True,
        ("field_id", "publication_year"), "extract", "mean",
    ),
}  # fmt: skip


def cwts_doc_type(t: ir.Table) -> ir.IntegerValue:
    """CWTS's document type of each work, from OpenAlex's ``type`` and its primary source's type.

    As CWTS-OpenAlex-databases ``02_create_tables.sql`` (``doc_type_no``) defines it: article or
    review in a journal → 2; book chapter, article or review in a book series → 2; in a
    conference or an ebook platform → 4; anything else (other types, no source) → 1, not counted.
    """
    kind, source = t.work_type.fill_null(""), t.source_type.fill_null("")
    chapter_or_paper = kind.isin(("book-chapter", "article", "review"))
    return ibis.cases(
        (kind.isin(("article", "review")) & (source == "journal"), CWTS_ARTICLE_REVIEW),
        (chapter_or_paper & (source == "book series"), CWTS_ARTICLE_REVIEW),
        (
            chapter_or_paper & source.isin(("conference", "ebook platform")),
            CWTS_PROCEEDINGS_CHAPTER,
        ),
        else_=1,
    ).cast("int32")
