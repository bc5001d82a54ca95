"""Writing synthetic works as an OpenAlex snapshot: gzip JSON Lines, or the same as Parquet.

Layout (as the OpenAlex snapshot)::

    SYNTHETIC.txt
    data/works/manifest
    data/works/updated_date=<snapshot_year>-01-01/part_000.gz   (or part_000.parquet)
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scidip.indicators.synthetic import (
    COUNTRIES,
    DOMAINS,
    FIELDS,
    OA,
    SUBFIELDS_PER_FIELD,
    TYPES,
    SyntheticSpec,
    WorksChunk,
    citation_years,
    iter_chunks,
)
from scidip.indicators.synthetic_label import MARKER, MARKER_TEXT
from scidip.indicators.synthetic_parquet import write_parquet_part


def _topic_json(f: int, s: int) -> str:
    fid, name, dom, _, _ = FIELDS[f]
    sid = fid * 100 + s + 1
    topic = {
        "id": f"{OA}/T{sid}0",
        "display_name": f"{name}: topic {s + 1} (synthetic)",
        "subfield": {"id": f"{OA}/subfields/{sid}", "display_name": f"{name} {s + 1} (synthetic)"},
        "field": {"id": f"{OA}/fields/{fid}", "display_name": name},
        "domain": {"id": f"{OA}/domains/{dom}", "display_name": DOMAINS[dom]},
    }
    return json.dumps(topic, separators=(",", ":"))


def _institution(c: int, i: int) -> str:
    return f'{{"id":"{OA}/I{(c + 1) * 1000 + i}","country_code":"{COUNTRIES[c][0]}"}}'


def _authorship_json(position: str, c: int, c2: int, inst: int) -> str:
    if c < 0:
        return f'{{"author_position":"{position}","institutions":[],"countries":[]}}'
    insts, codes = [_institution(c, inst)], [f'"{COUNTRIES[c][0]}"']
    if c2 >= 0:
        insts.append(_institution(c2, inst))
        codes.append(f'"{COUNTRIES[c2][0]}"')
    return (
        f'{{"author_position":"{position}","institutions":[{",".join(insts)}],'
        f'"countries":[{",".join(codes)}]}}'
    )


def json_lines(chunk: WorksChunk, spec: SyntheticSpec) -> list[str]:
    """The chunk's works as OpenAlex JSON lines (no trailing newline)."""
    topics = {
        (f, s): _topic_json(f, s) for f in range(len(FIELDS)) for s in range(SUBFIELDS_PER_FIELD)
    }
    cy = citation_years(chunk, spec.snapshot_year)
    off = chunk.auth_offsets
    lines = []
    for i in range(chunk.n):
        a, b = int(off[i]), int(off[i + 1])
        auths = [
            _authorship_json(
                "first" if j == a else ("last" if j == b - 1 else "middle"),
                int(chunk.auth_country[j]),
                int(chunk.auth_second_country[j]),
                int(chunk.auth_institution[j]),
            )
            for j in range(a, b)
        ]
        ca, cb = int(cy.offsets[i]), int(cy.offsets[i + 1])
        counts = ",".join(
            f'{{"year":{cy.year[k]},"cited_by_count":{cy.count[k]}}}' for k in range(ca, cb)
        )
        f = int(chunk.field_index[i])
        topic = topics[(f, int(chunk.subfield_index[i]))] if f >= 0 else "null"
        n = chunk.first_index + i + 1
        lines.append(
            f'{{"id":"{OA}/W{n}","title":"Synthetic work {n}",'
            f'"publication_year":{chunk.year[i]},"type":"{TYPES[chunk.type_index[i]]}",'
            f'"is_retracted":{"true" if chunk.retracted[i] else "false"},'
            f'"cited_by_count":{chunk.citations[i]},"counts_by_year":[{counts}],'
            f'"primary_topic":{topic},"referenced_works_count":{n * 37 % 61},'
            f'"authorships":[{",".join(auths)}]}}'
        )
    return lines


def write_json_part(chunk: WorksChunk, spec: SyntheticSpec, path: Path) -> None:
    """One ``part_NNN.gz`` file (gzip level 1: generation speed matters more than size)."""
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        handle.write("\n".join(json_lines(chunk, spec)))
        handle.write("\n")


def write_snapshot(
    spec: SyntheticSpec,
    root: Path,
    *,
    parquet: bool = False,
    on_part: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write a labelled synthetic snapshot under ``root``; returns the part files written."""
    updated = f"{spec.snapshot_year}-01-01"
    folder = root / "data" / "works" / f"updated_date={updated}"
    folder.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    parts: list[Path] = []
    entries: list[dict[str, Any]] = []
    total_bytes = 0
    for number, chunk in enumerate(iter_chunks(spec)):
        path = folder / f"part_{number:03d}.{'parquet' if parquet else 'gz'}"
        if parquet:
            write_parquet_part(chunk, spec, path)
        else:
            write_json_part(chunk, spec, path)
        parts.append(path)
        total_bytes += path.stat().st_size
        entries.append(
            {
                "url": str(path.relative_to(root)),
                "meta": {"content_length": path.stat().st_size, "record_count": chunk.n},
            }
        )
        if on_part:
            on_part(chunk.n)
    manifest = {
        "entries": entries,
        "meta": {
            "content_length": total_bytes,
            "record_count": spec.works,
        },
        "synthetic": True,
        "generator": "scidip indicators generate",
        "seed": spec.seed,
    }
    (root / "data" / "works" / "manifest").write_text(json.dumps(manifest, indent=2) + "\n")
    return parts
