"""Load a dataset folder into the registry, and export the registry back as one.

A dataset is a folder: ``dataset.yaml`` (its name, title and home party) and one file per
concept, ``<concept>.yaml``, each a list of records (``sources.yaml``, ``parties.yaml``, ...;
see ``docs/datasets.md``). Every file is validated before anything is written; an invalid file
is refused with file, line and reason. The load is one transaction; loading the same dataset again
changes nothing and reports what was inserted, updated, unchanged and kept.

A load never undoes a user's work. A record that anyone other than this dataset changed (or
deleted, or renamed) since the dataset last wrote it is *kept* as the registry has it, and so is a
record whose sensitivity the dataset would lower; each is reported with its reason. Who last
wrote a record is read from the audit log. ``overwrite=True`` (``scidip load --overwrite``) is an
administrator's explicit choice of the dataset's version; every record it overwrites is audited
as written by ``dataset:<name> (overwrite by <who>)``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scidip.datasets.yamlfile import LocatedYaml, read_yaml
from scidip.db.base import Sensitivity
from scidip.errors import Conflict, InvalidData
from scidip.registry.audit.models import AuditEntry
from scidip.registry.concepts import BY_NAME, CONCEPTS
from scidip.registry.home import record_load
from scidip.registry.record import (
    Concept,
    Outcome,
    find,
    finish,
    loading,
    snapshot,
    stage,
    upsert,
)
from scidip.registry.schemas import Key, RecordIn, Schema

MANIFEST = "dataset.yaml"
DATASET_ACTOR = "dataset:"
"""How the audit log names a dataset's load: ``dataset:<name>``."""


class Manifest(Schema):
    """``dataset.yaml``: what the dataset is."""

    name: Key = Field(description="Short name, e.g. 'japan-mofa'.")
    title: str = Field(description="One line saying what it holds.")
    home_party: Key = Field(description="Code of the party whose registry this is, e.g. JPN.")
    description: str | None = Field(default=None, description="Longer description.")


@dataclass(frozen=True)
class Problem:
    """One reason a dataset is refused."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class DatasetInvalid(InvalidData):
    """A dataset that cannot be loaded; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("dataset refused, nothing loaded:\n" + "\n".join(map(str, problems)))


@dataclass
class Dataset:
    """A validated dataset, ready to load."""

    folder: Path
    manifest: Manifest
    records: dict[str, list[tuple[RecordIn, int]]]  # concept name -> (record, line)


@dataclass(frozen=True)
class Kept:
    """A record the load did not write, and why."""

    concept: str
    key: str
    reason: str


@dataclass
class LoadReport:
    """What a load did, per concept, the records it kept as the registry has them, and those
    it left as another dataset wrote them (``shared``: concept, key, that dataset's name)."""

    dataset: str
    home_party: str = ""
    counts: dict[str, Counter[Outcome]] = field(default_factory=dict)
    kept: list[Kept] = field(default_factory=list)
    shared: list[Kept] = field(default_factory=list)

    def total(self, outcome: Outcome) -> int:
        """How many records had ``outcome`` across all concepts."""
        return sum(c[outcome] for c in self.counts.values())


def _pydantic_problems(
    doc: LocatedYaml, exc: ValidationError, prefix: tuple[Any, ...]
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = (*prefix, *err["loc"])
        where = ".".join(str(p) for p in err["loc"]) or "record"
        problems.append(Problem(doc.path.name, doc.line_of(loc), f"{where}: {err['msg']}"))
    return problems


def _yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    """A file that cannot be read as YAML (syntax, encoding, aliases), at its line."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    return Problem(file, line, f"not valid YAML: {getattr(exc, 'problem', exc)}")


def _read_manifest(folder: Path) -> tuple[Manifest | None, list[Problem]]:
    path = folder / MANIFEST
    if not path.is_file():
        return None, [Problem(MANIFEST, 1, f"missing: a dataset needs {MANIFEST}")]
    try:
        doc = read_yaml(path)
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(MANIFEST, exc)]
    try:
        return Manifest.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _pydantic_problems(doc, exc, ())


def _read_concept(
    path: Path, concept: Concept[Any, Any]
) -> tuple[list[tuple[RecordIn, int]], list[Problem]]:
    doc = read_yaml(path)
    if doc.data is None:
        return [], []
    if not isinstance(doc.data, list):
        return [], [Problem(path.name, 1, "expected a list of records")]
    records: list[tuple[RecordIn, int]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(doc.data):
        line = doc.line_of((i,))
        raw_key = item.get("key") if isinstance(item, dict) else None
        if isinstance(raw_key, str):
            if raw_key in seen:
                problems.append(
                    Problem(
                        path.name,
                        line,
                        f"duplicate key {raw_key!r} (first on line {seen[raw_key]})",
                    )
                )
                continue
            seen[raw_key] = line
        try:
            records.append((concept.schema.model_validate(item), line))
        except ValidationError as exc:
            problems.extend(_pydantic_problems(doc, exc, (i,)))
    return records, problems


def read_dataset(folder: Path) -> Dataset:
    """Read and validate every file of the dataset in ``folder``; :class:`DatasetInvalid` lists
    every problem found, with file and line."""
    if not folder.is_dir():
        raise InvalidData(f"{folder}: not a dataset folder")
    manifest, problems = _read_manifest(folder)
    records: dict[str, list[tuple[RecordIn, int]]] = {}
    for path in sorted(folder.glob("*.y*ml")):
        if path.name == MANIFEST:
            continue
        concept = BY_NAME.get(path.stem)
        if concept is None or path.suffix != ".yaml":
            expected = ", ".join(f"{c.name}.yaml" for c in CONCEPTS)
            problems.append(Problem(path.name, 1, f"unknown file; expected one of {expected}"))
            continue
        try:
            records[concept.name], found = _read_concept(path, concept)
        except yaml.YAMLError as exc:
            problems.append(_yaml_problem(path.name, exc))
            continue
        problems.extend(found)
    if problems or manifest is None:
        raise DatasetInvalid(problems)
    return Dataset(folder=folder, manifest=manifest, records=records)


def _in_dependency_order(
    concept: Concept[Any, Any], records: list[tuple[RecordIn, int]], file: str
) -> list[tuple[RecordIn, int]]:
    if concept.self_refs is None:
        return records
    by_key = {r.key: (r, line) for r, line in records}
    graph = {r.key: [k for k in concept.self_refs(r) if k in by_key] for r, _ in records}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise DatasetInvalid(
            [Problem(file, 1, f"records refer to each other in a cycle: {exc.args[1]}")]
        ) from None
    return [by_key[k] for k in order]


def _own(actor: str, writer: str) -> bool:
    """Whether ``writer`` (an audit entry's actor) is this dataset's load."""
    return writer == actor or writer.startswith(f"{actor} (")


@dataclass
class _History:
    """What the audit log says of one concept's records: the last writer of each record that
    exists, and for keys the registry no longer holds, their record's fate."""

    last_writer: dict[int, str]
    gone: dict[str, tuple[str, str, int]]  # key -> (action, actor, record id) of its last entry


def _history(session: Session, table: str, ids: dict[str, int], wanted: list[str]) -> _History:
    latest = (
        select(func.max(AuditEntry.id))
        .where(AuditEntry.record_table == table)
        .group_by(AuditEntry.record_id)
    )
    last_writer = dict(
        session.execute(
            select(AuditEntry.record_id, AuditEntry.actor).where(AuditEntry.id.in_(latest))
        ).all()
    )
    missing = [k for k in wanted if k not in ids]
    gone: dict[str, tuple[str, str, int]] = {}
    entry = AuditEntry
    for i in range(0, len(missing), 500):
        rows = session.execute(
            select(entry.record_key, entry.action, entry.actor, entry.record_id)
            .where(entry.record_table == table, entry.record_key.in_(missing[i : i + 500]))
            .order_by(AuditEntry.id)
        )
        for key, action, writer, record_id in rows:
            gone[key] = (action, writer, record_id)
    return _History(last_writer, gone)


def _why_kept(
    record: RecordIn,
    ids: dict[str, int],
    keys: dict[int, str],
    sensitivities: dict[str, Sensitivity],
    history: _History,
    actor: str,
) -> str | None:
    """Why the load must leave ``record`` as the registry has it, or ``None`` to write it."""
    record_id = ids.get(record.key)
    if record_id is None:
        action, writer, old_id = history.gone.get(record.key, ("", actor, 0))
        if action == "delete" and not _own(actor, writer):
            return f"deleted in the registry by {writer} since the dataset was loaded"
        renamer = history.last_writer.get(old_id, actor)
        if old_id in keys and keys[old_id] != record.key and not _own(actor, renamer):
            return (
                f"renamed in the registry to {keys[old_id]!r} by {renamer} since the dataset "
                "was loaded"
            )
        return None
    writer = history.last_writer.get(record_id, actor)
    if not _own(actor, writer):
        return f"changed in the registry by {writer} since the dataset was loaded"
    stored = sensitivities[record.key]
    if record.sensitivity.rank < stored.rank:
        return (
            f"the dataset would lower its sensitivity from {stored.value} to "
            f"{record.sensitivity.value}"
        )
    return None


def _other_dataset(record: RecordIn, ids: dict[str, int], history: _History, actor: str) -> str:
    """The name of the other dataset that last wrote ``record``, or ``""``. Datasets share
    records (a party both name): the one that wrote it first keeps it, so that loading a second
    dataset beside the first never rewrites the first's records, nor reports them as a user's
    change."""
    record_id = ids.get(record.key)
    writer = history.last_writer.get(record_id, actor) if record_id is not None else actor
    if _own(actor, writer) or not writer.startswith(DATASET_ACTOR):
        return ""
    return writer.removeprefix(DATASET_ACTOR).split(" (", 1)[0]


def _same(session: Session, concept: Concept[Any, Any], data: RecordIn) -> bool:
    """Whether the registry holds ``data`` exactly as the dataset has it."""
    stored = find(session, concept, data.key)
    if stored is None:
        return False
    return bool(
        snapshot(session, concept, stored).model_dump(mode="json") == data.model_dump(mode="json")
    )


def load_dataset(
    session: Session,
    folder: Path,
    actor: str | None = None,
    *,
    overwrite: str | None = None,
) -> LoadReport:
    """Validate and load the dataset in ``folder`` within the caller's transaction.

    Every change is audited as made by ``actor`` (default ``dataset:<name>``). A record that
    someone else changed, deleted or renamed since this dataset last wrote it, or whose
    sensitivity the dataset would lower, is kept as it is and listed in the report; unless
    ``overwrite`` names who asks to overwrite such records with the dataset's version (audited as
    ``<actor> (overwrite by <overwrite>)``). On any problem, :class:`DatasetInvalid` is raised
    and the caller's rollback leaves the database as it was.
    """
    dataset = read_dataset(folder)
    manifest = dataset.manifest
    actor = actor or f"{DATASET_ACTOR}{manifest.name}"
    forced = f"{actor} (overwrite by {overwrite})"[:120] if overwrite else None
    report = LoadReport(dataset=manifest.name, home_party=manifest.home_party)
    with loading(session):
        for concept in CONCEPTS:
            _load_concept(session, concept, dataset, actor, forced, report)
    record_load(session, manifest.name, manifest.title, manifest.home_party)
    return report


def _load_concept(
    session: Session,
    concept: Concept[Any, Any],
    dataset: Dataset,
    actor: str,
    forced: str | None,
    report: LoadReport,
) -> None:
    """:func:`load_dataset` for one concept's file."""
    file = f"{concept.name}.yaml"
    counts: Counter[Outcome] = Counter()
    wanted = dataset.records.get(concept.name, [])
    model = concept.model
    rows = session.execute(select(model.key, model.id, model.sensitivity)).all()
    ids = {k: i for k, i, _ in rows}
    keys = {i: k for k, i, _ in rows}
    sensitivities = {k: s for k, _, s in rows}
    history = _history(session, concept.table, ids, [r.key for r, _ in wanted])
    staged: list[tuple[Any, RecordIn, str]] = []
    lines: list[int] = []
    for record, line in _in_dependency_order(concept, wanted, file):
        why = _why_kept(record, ids, keys, sensitivities, history, actor)
        other = _other_dataset(record, ids, history, actor) if forced is None else ""
        try:
            if other:
                same = _same(session, concept, record)
                counts[Outcome.unchanged if same else Outcome.shared] += 1
                if not same:
                    report.shared.append(Kept(concept.name, record.key, other))
            elif record.key not in ids and (why is None or forced is not None):
                # New: built now, inserted with the others (one flush for many records).
                writer = actor if why is None else str(forced)
                staged.append((stage(session, concept, record), record, writer))
                lines.append(line)
                counts[Outcome.inserted] += 1
            elif why is None:
                counts[upsert(session, concept, record, actor)] += 1
            elif forced is not None:
                counts[upsert(session, concept, record, forced)] += 1
            elif _same(session, concept, record):
                counts[Outcome.unchanged] += 1
            else:
                counts[Outcome.kept] += 1
                report.kept.append(Kept(concept.name, record.key, why))
        except (InvalidData, Conflict) as exc:
            raise DatasetInvalid([Problem(file, line, f"{record.key}: {exc}")]) from exc
    try:
        finish(session, concept, staged)
    except IntegrityError as exc:
        where = f"one of the {len(lines)} new records (lines {min(lines)}-{max(lines)})"
        raise DatasetInvalid(
            [Problem(file, min(lines), f"{where} was refused by the database: {exc.orig}")]
        ) from exc
    if concept.name in dataset.records:
        report.counts[concept.name] = counts


def _plain_record(record: RecordIn) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_defaults=True)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def export_dataset(session: Session, folder: Path, manifest: Manifest) -> dict[str, int]:
    """Write every record of the registry to ``folder`` in the dataset format (a file per concept
    that has records), so that loading it into an empty registry gives the same registry back.
    Returns the number of records written per concept."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(_dump(manifest.model_dump(exclude_none=True)), encoding="utf-8")
    written: dict[str, int] = {}
    for concept in CONCEPTS:
        rows = session.scalars(select(concept.model).order_by(concept.model.key)).all()
        path = folder / f"{concept.name}.yaml"
        if not rows:
            path.unlink(missing_ok=True)
            continue
        records = [_plain_record(snapshot(session, concept, r)) for r in rows]
        path.write_text(_dump(records), encoding="utf-8")
        written[concept.name] = len(records)
    return written
