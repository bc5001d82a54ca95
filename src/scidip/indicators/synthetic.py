"""A seeded generator of synthetic OpenAlex works with realistic skew (numpy, vectorised).

The model, per work (all draws from one ``numpy.random.Generator`` seeded by ``seed``):

* **lead country** — drawn from output shares shaped like the real world's (China and the US
  about a third of the papers, a long tail, see :data:`COUNTRIES`);
* **publication year** — uniform over the years with 4 %/year growth;
* **type** — article 80 %, review 6 %, the rest preprints, book chapters, letters… (not counted);
  0.05 % retracted;
* **field** — one of OpenAlex's 26 fields, from a world field mix tilted per country (a seeded
  log-normal factor per country and field, so specialisation differs); 1.5 % have no topic;
* **authorships** — ``1 + Poisson(3.5)``; with the lead country's international rate, the work
  is co-authored with ``1 + Geometric`` partner countries drawn by output share; authorship ``j``
  belongs to country ``j mod k`` of the work's ``k`` countries; 4 % of authorships have no country
  and 3 % a second (dual) affiliation;
* **citations** — Poisson with a log-normal mean (σ = 1.1, heavy tail and many ties at small
  counts) scaled by field, country, international co-authorship and age;
  ``counts_by_year`` spreads them evenly over the years since publication, for the last ten years.

Output is synthetic and labelled so (:mod:`scidip.indicators.synthetic_label`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

#: (alpha-2 code, share of world output, international co-authorship rate or None: by size).
COUNTRIES: tuple[tuple[str, float, float | None], ...] = (
    ("CN", 0.200, 0.22),
    ("US", 0.150, 0.40),
    ("IN", 0.050, 0.22),
    ("DE", 0.045, 0.55),
    ("GB", 0.040, 0.65),
    ("JP", 0.035, 0.33),
    ("IT", 0.030, 0.50),
    ("KR", 0.028, 0.30),
    ("FR", 0.027, 0.60),
    ("CA", 0.025, 0.55),
    ("ES", 0.025, 0.50),
    ("BR", 0.025, 0.35),
    ("AU", 0.022, 0.60),
    ("RU", 0.020, 0.25),
    ("IR", 0.018, 0.25),
    ("TR", 0.015, 0.25),
    ("PL", 0.013, None),
    ("NL", 0.013, None),
    ("ID", 0.012, None),
    ("CH", 0.010, None),
    ("SE", 0.009, None),
    ("TW", 0.009, None),
    ("MX", 0.008, None),
    ("EG", 0.008, None),
    ("PK", 0.008, None),
    ("SA", 0.008, None),
    ("BE", 0.007, None),
    ("MY", 0.007, None),
    ("DK", 0.006, None),
    ("PT", 0.006, None),
    ("ZA", 0.006, None),
    ("AT", 0.006, None),
    ("NO", 0.005, None),
    ("CZ", 0.005, None),
    ("IL", 0.005, None),
    ("GR", 0.005, None),
    ("FI", 0.004, None),
    ("SG", 0.004, None),
    ("TH", 0.004, None),
    ("NG", 0.004, None),
    ("VN", 0.004, None),
    ("NZ", 0.003, None),
    ("AR", 0.003, None),
    ("CL", 0.003, None),
    ("IE", 0.003, None),
    ("HU", 0.003, None),
    ("KE", 0.001, None),
    ("XK", 0.0002, None),
)

#: OpenAlex fields: (field id, name, domain id, world share of papers, citation mean factor).
FIELDS: tuple[tuple[int, str, int, float, float], ...] = (
    (11, "Agricultural and Biological Sciences", 1, 0.050, 0.9),
    (12, "Arts and Humanities", 2, 0.020, 0.3),
    (13, "Biochemistry, Genetics and Molecular Biology", 1, 0.070, 1.5),
    (14, "Business, Management and Accounting", 2, 0.020, 0.8),
    (15, "Chemical Engineering", 3, 0.020, 1.0),
    (16, "Chemistry", 3, 0.050, 1.1),
    (17, "Computer Science", 3, 0.070, 1.0),
    (18, "Decision Sciences", 2, 0.010, 0.8),
    (19, "Earth and Planetary Sciences", 3, 0.030, 1.0),
    (20, "Economics, Econometrics and Finance", 2, 0.020, 0.8),
    (21, "Energy", 3, 0.020, 1.2),
    (22, "Engineering", 3, 0.080, 0.8),
    (23, "Environmental Science", 3, 0.040, 1.1),
    (24, "Immunology and Microbiology", 1, 0.030, 1.3),
    (25, "Materials Science", 3, 0.050, 1.2),
    (26, "Mathematics", 3, 0.030, 0.5),
    (27, "Medicine", 4, 0.200, 1.0),
    (28, "Neuroscience", 1, 0.030, 1.3),
    (29, "Nursing", 4, 0.010, 0.6),
    (30, "Pharmacology, Toxicology and Pharmaceutics", 1, 0.020, 1.0),
    (31, "Physics and Astronomy", 3, 0.060, 0.9),
    (32, "Psychology", 2, 0.020, 1.0),
    (33, "Social Sciences", 2, 0.040, 0.6),
    (34, "Veterinary", 4, 0.010, 0.6),
    (35, "Dentistry", 4, 0.005, 0.7),
    (36, "Health Professions", 4, 0.005, 0.6),
)
DOMAINS = {1: "Life Sciences", 2: "Social Sciences", 3: "Physical Sciences", 4: "Health Sciences"}
TYPES = ("article", "review", "preprint", "book-chapter", "letter", "editorial", "dataset")
TYPE_SHARES = (0.80, 0.06, 0.05, 0.04, 0.02, 0.02, 0.01)
SUBFIELDS_PER_FIELD = 4
OA = "https://openalex.org"
RECENT_YEARS = 10  # OpenAlex lists counts_by_year for the last ten years only

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class SyntheticSpec:
    """What to generate: ``works`` records over ``first_year``…``last_year``, seeded."""

    works: int
    seed: int = 0
    first_year: int = 2012
    last_year: int = 2023
    snapshot_year: int = 2024
    works_per_file: int = 250_000


@dataclass
class WorksChunk:
    """Column arrays of ``n`` works; authorships flattened with offsets ``auth_offsets``."""

    first_index: int
    year: IntArray
    type_index: IntArray
    retracted: NDArray[np.bool_]
    field_index: IntArray  # -1: no primary topic
    subfield_index: IntArray
    citations: IntArray
    auth_offsets: IntArray  # len n + 1
    auth_country: IntArray  # -1: no country
    auth_second_country: IntArray  # -1: none
    auth_institution: IntArray

    @property
    def n(self) -> int:
        return len(self.year)


@dataclass(frozen=True)
class _Model:
    shares: NDArray[np.float64]
    intl: NDArray[np.float64]
    quality: NDArray[np.float64]
    field_cum: NDArray[np.float64]  # per country, cumulative field probabilities
    field_cite: NDArray[np.float64]
    year_cum: NDArray[np.float64]


def _model(spec: SyntheticSpec, rng: np.random.Generator) -> _Model:
    shares = np.array([c[1] for c in COUNTRIES])
    shares = shares / shares.sum()
    by_size = 0.75 - 0.5 * np.sqrt(shares / shares.max())
    intl = np.array([c[2] if c[2] is not None else by_size[i] for i, c in enumerate(COUNTRIES)])
    quality = rng.lognormal(0.0, 0.25, len(COUNTRIES))
    world_mix = np.array([f[3] for f in FIELDS])
    tilt = world_mix[None, :] * rng.lognormal(0.0, 0.45, (len(COUNTRIES), len(FIELDS)))
    field_cum = np.cumsum(tilt / tilt.sum(axis=1, keepdims=True), axis=1)
    years = np.arange(spec.first_year, spec.last_year + 1)
    growth = 1.04 ** (years - spec.first_year)
    return _Model(
        shares=shares,
        intl=intl,
        quality=quality,
        field_cum=field_cum,
        field_cite=np.array([f[4] for f in FIELDS]),
        year_cum=np.cumsum(growth / growth.sum()),
    )


def _draw(cum: NDArray[np.float64], u: NDArray[np.float64]) -> IntArray:
    return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1).astype(np.int64)


def _authorships(
    m: _Model, rng: np.random.Generator, lead: IntArray
) -> tuple[IntArray, IntArray, IntArray, NDArray[np.bool_]]:
    """Offsets, country per authorship, second country, and the work's international flag."""
    n = len(lead)
    n_auth = 1 + rng.poisson(3.5, n)
    intl = rng.random(n) < m.intl[lead]
    n_auth = np.where(intl & (n_auth < 2), 2, n_auth)
    n_partners = np.where(intl, np.minimum(rng.geometric(0.55, n), n_auth - 1), 0)
    max_k = int(n_partners.max(initial=0)) + 1
    cum = np.cumsum(m.shares)
    work_countries = np.empty((n, max_k), dtype=np.int64)
    work_countries[:, 0] = lead
    if max_k > 1:
        work_countries[:, 1:] = _draw(cum, rng.random((n, max_k - 1)))
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(n_auth, out=offsets[1:])
    work_of = np.repeat(np.arange(n), n_auth)
    position = np.arange(offsets[-1]) - offsets[work_of]
    country = work_countries[work_of, position % (n_partners[work_of] + 1)]
    u = rng.random(len(country))
    country = np.where(u < 0.04, -1, country)
    second = np.where((u > 0.97) & (country >= 0), _draw(cum, rng.random(len(country))), -1)
    second = np.where(second == country, -1, second)
    return offsets, country, second, intl


def generate_chunk(
    spec: SyntheticSpec, m: _Model, rng: np.random.Generator, first: int, n: int
) -> WorksChunk:
    """Draw ``n`` works numbered from ``first`` (see the module docstring for the model)."""
    lead = _draw(np.cumsum(m.shares), rng.random(n))
    year = spec.first_year + _draw(m.year_cum, rng.random(n))
    type_index = _draw(np.cumsum(TYPE_SHARES), rng.random(n))
    u = rng.random(n)
    field = (u[:, None] > m.field_cum[lead]).sum(axis=1).clip(0, len(FIELDS) - 1)
    field = np.where(rng.random(n) < 0.015, -1, field)
    offsets, country, second, intl = _authorships(m, rng, lead)
    age = spec.snapshot_year - year + 0.5
    cite_factor = np.where(field >= 0, m.field_cite[np.maximum(field, 0)], 0.8)
    mean = 9.0 * cite_factor * m.quality[lead] * np.where(intl, 1.4, 1.0)
    mean = mean * (1.0 - np.exp(-age / 3.0)) * rng.lognormal(-0.6, 1.1, n)
    return WorksChunk(
        first_index=first,
        year=year.astype(np.int64),
        type_index=type_index,
        retracted=rng.random(n) < 0.0005,
        field_index=field.astype(np.int64),
        subfield_index=rng.integers(0, SUBFIELDS_PER_FIELD, n),
        citations=rng.poisson(mean).astype(np.int64),
        auth_offsets=offsets,
        auth_country=country,
        auth_second_country=second,
        auth_institution=rng.integers(0, 40, len(country)),
    )


def chunks(spec: SyntheticSpec) -> list[tuple[int, int]]:
    """(first work index, size) of each output file."""
    size = max(1, spec.works_per_file)
    return [(i, min(size, spec.works - i)) for i in range(0, spec.works, size)]


def generate(spec: SyntheticSpec) -> list[WorksChunk]:
    """All chunks in memory (tests and small snapshots); writers stream :func:`iter_chunks`."""
    return list(iter_chunks(spec))


def iter_chunks(spec: SyntheticSpec) -> Iterator[WorksChunk]:
    """Yield the chunks of ``spec`` in order; the same seed gives the same works."""
    rng = np.random.default_rng(spec.seed)
    m = _model(spec, rng)
    for first, n in chunks(spec):
        yield generate_chunk(spec, m, rng, first, n)


@dataclass(frozen=True)
class CitationYears:
    """``counts_by_year`` of a chunk, flattened: per work ``offsets[i]:offsets[i+1]``."""

    offsets: IntArray
    year: IntArray
    count: IntArray


def citation_years(chunk: WorksChunk, snapshot_year: int) -> CitationYears:
    """Spread each work's citations evenly over its years, keep the recent non-zero ones.

    Over the ``K`` years since publication, year ``k`` gets ``⌊c(k+1)/K⌋ − ⌊ck/K⌋``; listed newest
    first, as OpenAlex does.
    """
    span = np.maximum(snapshot_year - chunk.year + 1, 1)
    work = np.repeat(np.arange(chunk.n), span)
    starts = np.zeros(chunk.n + 1, dtype=np.int64)
    np.cumsum(span, out=starts[1:])
    k = np.arange(len(work)) - starts[work]
    c, kk = chunk.citations[work], span[work]
    count = (c * (k + 1)) // kk - (c * k) // kk
    year = chunk.year[work] + k
    keep = (count > 0) & (year > snapshot_year - RECENT_YEARS)
    work, year, count = work[keep], year[keep], count[keep]
    order = np.lexsort((-year, work))
    offsets = np.zeros(chunk.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(work, minlength=chunk.n), out=offsets[1:])
    return CitationYears(offsets, year[order], count[order])


def references_count(numbers: NDArray[np.int64]) -> NDArray[np.int64]:
    """``referenced_works_count`` of works numbered ``numbers`` (1-based): not modelled, a fixed
    spread over 0…60 (1 work in 61 cites nothing), so that the field is present as in real
    records and ingest reads it on its fast path."""
    return (np.asarray(numbers, dtype=np.int64) * 37) % 61
