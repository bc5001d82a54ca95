"""A store folder replaced as a whole: built aside, switched in one step, the old generation
kept while a reader may use it, older ones removed; a failed build changes nothing; writers
one after the other."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from scidip import generations
from scidip.generations import CURRENT, building, current


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_build_becomes_current_in_one_step_and_two_generations_are_kept(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    assert current(store) == store  # nothing written: read in place
    made = []
    for n in range(3):
        with building(store) as built:
            (built / "data.txt").write_text(f"generation {n}")
            assert current(store) != built  # not yet current while being built
        made.append(current(store))
        assert (current(store) / "data.txt").read_text() == f"generation {n}"
    assert _names(store) == sorted([CURRENT, made[1].name, made[2].name])  # the first removed
    assert (store / CURRENT).read_text() == made[2].name + "\n"


def test_a_failed_build_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with building(store) as built:
        (built / "data.txt").write_text("old")
    before = _names(store)
    with pytest.raises(RuntimeError, match="disk full"), building(store) as built:
        (built / "data.txt").write_text("half")
        raise RuntimeError("disk full")
    assert _names(store) == before  # no .building- folder left
    assert (current(store) / "data.txt").read_text() == "old"


def test_carried_files_are_hard_links_and_replacing_one_leaves_the_old_generation(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    with building(store) as built:
        (built / "tables").mkdir()
        (built / "tables" / "works.parquet").write_text("works")
        (built / "meta.json").write_text("old meta")
    old = current(store)
    with building(store, carry=lambda entry: entry.name != "meta.json") as built:
        assert not (built / "meta.json").exists()  # not carried
        tmp = built / "tables" / "works.parquet.tmp"
        tmp.write_text("new works")
        tmp.replace(built / "tables" / "works.parquet")
    new = current(store)
    assert (old / "tables" / "works.parquet").read_text() == "works"  # the old one untouched
    assert (new / "tables" / "works.parquet").read_text() == "new works"
    with building(store, carry=lambda entry: True):
        pass
    newest = current(store)
    assert (
        os.stat(newest / "tables" / "works.parquet").st_ino
        == os.stat(new / "tables" / "works.parquet").st_ino
    )  # linked, not copied


def test_a_store_written_in_place_is_read_until_two_generations_exist(tmp_path: Path) -> None:
    store = tmp_path / "store"
    (store / "tables").mkdir(parents=True)
    (store / "tables" / "works.parquet").write_text("in place")
    (store / "meta.json").write_text("meta")
    legacy = ("tables", "meta.json")
    with building(store, carry=lambda entry: True, legacy=legacy):
        pass
    assert (current(store) / "tables" / "works.parquet").read_text() == "in place"
    assert (store / "meta.json").exists()  # a reader may still read the old layout
    with building(store, carry=lambda entry: True, legacy=legacy):
        pass
    assert not (store / "meta.json").exists() and not (store / "tables").exists()
    assert (current(store) / "meta.json").read_text() == "meta"


def test_writers_run_one_after_the_other_and_neither_loses_the_others_files(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    with building(store):
        pass
    inside = threading.Event()

    def write(name: str, wait: bool) -> None:
        with building(store, carry=lambda entry: True) as built:
            inside.set()
            if wait:
                time.sleep(0.3)  # the other writer starts meanwhile and must wait
            (built / name).write_text(name)

    first = threading.Thread(target=write, args=("results", True))
    first.start()
    inside.wait()
    write("reference", False)
    first.join()
    assert _names(current(store)) == ["reference", "results"]


def test_generations_sort_by_their_time_not_their_name(tmp_path: Path) -> None:
    for name in ("v-900", "v-1000", "v-x", "v-20"):
        (tmp_path / name).mkdir()
    assert [p.name for p in generations.generations(tmp_path)] == ["v-20", "v-900", "v-1000"]
