"""The home party: whose registry this is, as the loaded datasets' manifests say.

Every dataset's ``dataset.yaml`` names its ``home_party``; a load records the dataset (name,
title, home party, when it was first and last loaded) in the ``dataset`` table. The home party in
force for a command, a page or a report is, in this order:

1. the one asked for explicitly (``--home``, ``SCIDIP_HOME_PARTY``, ``?home=`` on the pages);
2. else the home party of the dataset named (``--dataset NAME``);
3. else the home party of the first dataset loaded into this registry (the one that made it);
4. else ``JPN``, the reference deployment's (:data:`DEFAULT_HOME`), for an empty registry.

So a registry made from a German dataset reports from Germany's side without ``--home``, and a
second dataset loaded beside the first reports from its own side when asked by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from scidip.config import DEFAULT_HOME_PARTY
from scidip.db.base import Base, UTCDateTime, utcnow
from scidip.errors import NotFound

DEFAULT_HOME = DEFAULT_HOME_PARTY


class LoadedDataset(Base):
    """A dataset loaded into the registry, with the home party its manifest names."""

    __tablename__ = "dataset"

    name: Mapped[str] = mapped_column(String(160), primary_key=True, comment="Its short name.")
    title: Mapped[str] = mapped_column(Text, comment="What it holds (its manifest's title).")
    home_party: Mapped[str] = mapped_column(
        String(8), comment="Code of the party whose registry it is (its manifest's home_party)."
    )
    first_loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@dataclass(frozen=True)
class DatasetInfo:
    """A loaded dataset as commands and pages show it."""

    name: str
    title: str
    home_party: str


def record_load(session: Session, name: str, title: str, home_party: str) -> None:
    """Note that dataset ``name`` was loaded now (within the caller's transaction)."""
    found = session.get(LoadedDataset, name)
    if found is None:
        session.add(LoadedDataset(name=name, title=title, home_party=home_party))
    else:
        found.title, found.home_party, found.loaded_at = title, home_party, utcnow()
    session.flush()  # written with the load, not by whatever reads next


def loaded_datasets(session: Session) -> list[DatasetInfo]:
    """The datasets loaded, the first loaded first."""
    rows = session.scalars(
        select(LoadedDataset).order_by(LoadedDataset.first_loaded_at, LoadedDataset.name)
    ).all()
    return [DatasetInfo(r.name, r.title, r.home_party) for r in rows]


def home_party(session: Session, configured: str | None = None, dataset: str | None = None) -> str:
    """The home party in force (module docstring): ``configured`` if given, else ``dataset``'s
    home party (:class:`~scidip.errors.NotFound` if no such dataset is loaded), else the first
    loaded dataset's, else :data:`DEFAULT_HOME`."""
    if configured:
        return configured.upper()
    found = loaded_datasets(session)
    if dataset is not None:
        for d in found:
            if d.name == dataset:
                return d.home_party
        names = ", ".join(d.name for d in found) or "none"
        raise NotFound(f"no dataset {dataset!r} is loaded (loaded: {names})")
    return found[0].home_party if found else DEFAULT_HOME
