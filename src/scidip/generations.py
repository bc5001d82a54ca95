"""A folder of files replaced as a whole: the materials store and the indicators store.

Layout: the folder holds generations ``v-<nanoseconds>/`` and a file ``CURRENT`` naming the one
in force. A writer builds the next generation aside (``.building-*`` in the same folder, so on
the same file system), then switches to it in one step (:func:`publish`): the folder is renamed
to ``v-<nanoseconds>`` and ``CURRENT`` replaced by a file naming it (written aside, then
``os.replace``, atomic on POSIX and Windows). So a reader sees the old generation or the new
one, never a half-written one, and a write that fails leaves the old one as it was (the
building folder is removed). The current generation and the one before it are kept
(:data:`KEPT`): a reader that started before the switch may still be reading the old one; older
generations are removed at the switch.

A store written before generations existed (its files directly in the folder) is read in place
until the first write; its files are removed once :data:`KEPT` generations exist.

Writers that change only part of a store (compute beside an ingest) start from a copy of the
current generation: :func:`building` with ``carry`` hard-links its files into the new one (no
data copied), so a writer must replace a file (write aside, then rename), never write into one
in place. Writers take a lock on the folder for their whole write, one after the other: two
writers never build on the same generation, so neither loses the other's files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

CURRENT = "CURRENT"
"""In a store folder: the file naming the sub-folder of the current generation."""

KEPT = 2
"""Generations kept in a store folder: the current one and the one before it."""


def current(folder: Path) -> Path:
    """The folder of the current generation: the one ``CURRENT`` names, else ``folder`` itself
    (a store written in place, or nothing written yet)."""
    try:
        name = (folder / CURRENT).read_text("utf-8").strip()
    except FileNotFoundError:
        return folder
    return folder / name


def generations(folder: Path) -> list[Path]:
    """The generations in ``folder``, oldest first."""
    found = [p for p in folder.glob("v-*") if p.is_dir() and p.name[2:].isdigit()]
    return sorted(found, key=lambda p: int(p.name[2:]))


def publish(folder: Path, built: Path, legacy: Iterable[str] = ()) -> Path:
    """Make ``built`` (a folder inside ``folder``) the current generation, in one step; remove
    the generations beyond :data:`KEPT` and, once there are that many, the files ``legacy`` of a
    store written in place. Returns the new generation's folder."""
    version = folder / f"v-{time.time_ns()}"
    built.rename(version)
    pointer = folder / f".{CURRENT}.{os.getpid()}.tmp"
    pointer.write_text(version.name + "\n", "utf-8")
    os.replace(pointer, folder / CURRENT)
    kept = generations(folder)
    for old in kept[:-KEPT]:
        shutil.rmtree(old, ignore_errors=True)
    if len(kept) >= KEPT:
        for name in legacy:
            path = folder / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists():
                path.unlink()
    return version


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on the folder itself (``flock`` on its descriptor: no file added),
    held until the block ends; where there is no ``flock`` (Windows), none."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _carry(source: Path, target: Path, keep: Callable[[Path], bool]) -> None:
    """Hard-link the files of ``source`` into ``target`` (a copy where links are refused), for
    the top-level entries ``keep`` accepts."""
    for entry in source.iterdir():
        if entry.name.startswith(".") or entry.name == CURRENT or not keep(entry):
            continue
        if entry.is_dir():
            if source == target.parent and entry.name.startswith("v-"):
                continue  # a store in place: its generations are not part of it
            for path in entry.rglob("*"):
                if path.is_file():
                    _link(path, target / path.relative_to(source))
        elif entry.is_file():
            _link(entry, target / entry.name)


def _link(path: Path, to: Path) -> None:
    to.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(path, to)
    except OSError:
        shutil.copy2(path, to)


@contextlib.contextmanager
def building(
    folder: Path,
    *,
    carry: Callable[[Path], bool] | None = None,
    legacy: Iterable[str] = (),
) -> Iterator[Path]:
    """The folder of the next generation of ``folder``, built by the ``with`` block and made
    current when it ends without an error (removed, the store unchanged, when it raises).
    ``carry``: which top-level entries of the current generation start in it (hard links;
    none when None). Writers run one after the other (a lock on the folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        built = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
        try:
            if carry is not None:
                _carry(current(folder), built, carry)
            yield built
            publish(folder, built, legacy)
        except BaseException:
            shutil.rmtree(built, ignore_errors=True)
            raise
