"""The links between works, topics, keywords and authors that the technology tracker and the
mobility figures read, flattened from the staging rows and kept for each work's latest record.

Four tables (all keyed by ``work_key``, the integer every ingested table carries):

* ``work_reference`` — (work_key, referenced_work_id): ``referenced_works``, short ids (``W…``);
* ``work_topic`` — (work_key, topic_id, subfield_id): every topic of ``topics[]`` and the
  primary topic (records before 2024 have neither: no rows);
* ``work_keyword`` — (work_key, keyword): ``keywords[]`` as
  :func:`~scidip.indicators.openalex.keyword_id` writes them;
* ``work_author`` — (work_key, publication_year, author_id, country_code): each authorship with
  an author id, once per alpha-3 country it has by the country rule of
  :mod:`scidip.indicators.flatten` (null when it has none).

Built beside the indicator tables by ``ingest``; a store ingested before they existed lacks them
(:meth:`scidip.indicators.store.Store.links` says to ingest again).
"""

from __future__ import annotations

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: The staging tables this module writes (one per batch) and the store tables it makes.
STAGING_LINKS = ("record_references", "record_topics", "record_keywords", "record_authors")
LINK_TABLES = ("work_reference", "work_topic", "work_keyword", "work_author")

RECORD_AUTHORS_SCHEMA = pa.schema(
    [("record_key", pa.int64()), ("author_id", pa.string()), ("country_code", pa.string())]
)


def _flat(staged: pa.Table, keys: pa.Array, column: str) -> tuple[pa.Array, pa.Array]:
    lists = staged.column(column).combine_chunks()
    return keys.take(pc.list_parent_indices(lists)), pc.list_flatten(lists)


def flat_links(staged: pa.Table, keys: pa.Array) -> dict[str, pa.Table]:
    """``record_references``, ``record_topics``, ``record_keywords`` and
    ``authorship_authors`` (record_key, author_position, author_id) of a staging batch."""
    owner, refs = _flat(staged, keys, "referenced_works")
    references = pa.table({"record_key": owner, "referenced_work_id": refs})
    owner, topics = _flat(staged, keys, "topic_ids")
    primary = pa.table(
        {
            "record_key": keys,
            "topic_id": staged.column("topic_id").combine_chunks(),
            "subfield_id": staged.column("subfield_id").combine_chunks(),
        }
    )
    listed = pa.table(
        {
            "record_key": owner,
            "topic_id": topics.field("topic_id"),
            "subfield_id": topics.field("subfield_id"),
        }
    )
    topic_rows = pa.concat_tables([primary, listed])
    topic_rows = topic_rows.filter(pc.is_valid(topic_rows.column("topic_id")))
    owner, words = _flat(staged, keys, "keywords")
    keywords = pa.table({"record_key": owner, "keyword": words})
    auths = staged.column("authorships").combine_chunks()
    parent = np.asarray(pc.list_parent_indices(auths))
    offsets = np.asarray(auths.offsets)
    position = np.arange(len(parent), dtype=np.int64) - (offsets[parent] - offsets[0])
    authors = pa.table(
        {
            "record_key": keys.take(pa.array(parent)),
            "author_position": pa.array(position, pa.int32()),
            "author_id": pc.list_flatten(auths).field("author_id"),
        }
    )
    authors = authors.filter(pc.is_valid(authors.column("author_id")))
    return {
        "record_references": references.filter(pc.is_valid(refs)),
        "record_topics": topic_rows,
        "record_keywords": keywords.filter(pc.is_valid(words)),
        "authorship_authors": authors,
    }


def record_authors(authorship_authors: ir.Table, countries: ir.Table) -> ir.Table:
    """(record_key, author_id, country_code): each author with each alpha-3 country of their
    authorship (``countries``: :func:`~scidip.indicators.normalise.authorship_countries_alpha3`),
    one row with a null country when the authorship has none."""
    a, c = authorship_authors, countries
    j = a.left_join(c, [a.record_key == c.record_key, a.author_position == c.author_position])
    return j.select(a.record_key, a.author_id, country_code=j.country_code).distinct()


def link_tables(
    staged: dict[str, ir.Table], keys: ir.Table, latest: ir.Table
) -> dict[str, ir.Table]:
    """The store's link tables (:data:`LINK_TABLES`) of the latest records (``keys``)."""

    def kept(name: str) -> ir.Table:
        t = staged[name].semi_join(keys, "record_key")
        return t.rename(work_key="record_key")

    years = latest.select(_k=latest.record_key, publication_year=latest.publication_year)
    authors = kept("record_authors")
    authors = authors.join(years, authors.work_key == years._k).drop("_k")
    return {
        "work_reference": kept("record_references").distinct(),
        "work_topic": kept("record_topics").distinct(),
        "work_keyword": kept("record_keywords").distinct(),
        "work_author": authors.select("work_key", "publication_year", "author_id", "country_code"),
    }
