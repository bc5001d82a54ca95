"""Migrations build the schema the models declare, on SQLite and PostgreSQL, and keep data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, Date, Engine, inspect, text

from scidip.db.migrate import current_revision, head_revision, upgrade
from scidip.db.session import make_engine
from scidip.tables import Base


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_constraints_follow_the_naming_convention(engine: Engine) -> None:
    inspector = inspect(engine)
    assert inspector.get_pk_constraint("succession")["name"] == "pk_succession"
    fks = sorted(fk["name"] for fk in inspector.get_foreign_keys("succession"))
    assert fks == ["fk_succession_predecessor_id_party", "fk_succession_successor_id_party"]
    uniques = [u["name"] for u in inspector.get_unique_constraints("party")]
    assert uniques == ["uq_party_key"]


def test_upgrade_is_idempotent_and_keeps_data(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(engine) == (None, head_revision())
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO person (key, name, other_names, sensitivity, version, "
                    "created_at, updated_at) VALUES ('p', 'P', '[]', 'public', 1, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
        assert upgrade(engine) == (head_revision(), head_revision())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT key, name FROM person")).all() == [("p", "P")]
    finally:
        engine.dispose()


def test_the_shipped_head_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    from scidip.db.migrate import alembic_config

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def _at(engine: Engine, revision: str) -> None:
    from alembic import command

    from scidip.db.migrate import alembic_config

    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def test_0008_and_0009_keep_the_data_of_a_registry_at_0007(empty_database_url: str) -> None:
    """A registry with records at 0007 (written at 0006 and carried through
    0007's spans) is upgraded: every record and date stays as it was, the new columns are empty,
    and the coverage from the stored spans is what it was."""
    from datetime import date

    from sqlalchemy.orm import Session

    from scidip.registry.agreement.coverage import coverage

    engine = make_engine(empty_database_url)
    stamp = "CURRENT_TIMESTAMP"
    rows = {
        "party": (
            "INSERT INTO party (key, name, kind, existed_from_on, existed_from_precision,"
            " existed_from_not_after, other_names, sensitivity, version, created_at, updated_at)"
            " VALUES ('JPN', 'Japan', 'state', NULL, NULL, NULL, '[]', 'public', 1, {t}, {t}),"
            " ('KOR', 'Republic of Korea', 'state', '1948-08-01', 'month', FALSE, '[]', 'public',"
            " 1, {t}, {t})"
        ),
        "agreement": (
            "INSERT INTO agreement (key, title, kind, subjects, sensitivity, version, created_at,"
            " updated_at) VALUES ('jpn-kor-1985', 'S&T', 'agreement', '[]', 'public', 1, {t}, {t})"
        ),
        "agreement_action": (
            "INSERT INTO agreement_action (agreement_id, position, kind, party_id, effective_on,"
            " effective_precision, effective_not_after, sources) SELECT a.id, 0,"
            " 'entry_into_force', NULL, '1985-01-01', 'year', TRUE, '[]' FROM agreement a;"
            " INSERT INTO agreement_action (agreement_id, position, kind, party_id, taken_on,"
            " taken_precision, taken_not_after, sources) SELECT a.id, p.id, 'signature', p.id,"
            " '1985-12-20', 'day', FALSE, '[]' FROM agreement a, party p"
        ),
        "organisation": (
            "INSERT INTO organisation (key, name, kind, other_names, sensitivity, version,"
            " created_at, updated_at) VALUES ('board', 'Board', 'advisory_board',"
            ' \'[{{"name": "会議", "lang": "ja"}}]\', \'public\', 1, {t}, {t})'
        ),
        "post": (
            "INSERT INTO post (key, label, created_on, created_precision, created_not_after,"
            " sensitivity, version, created_at, updated_at) VALUES ('advisor', 'Advisor',"
            " '2015-09-01', 'month', FALSE, 'public', 1, {t}, {t})"
        ),
        "published_figure": (
            "INSERT INTO published_figure (statement, home_party, metric, value, as_of_on,"
            " as_of_precision, as_of_not_after, kinds, parties, key, sensitivity, version,"
            " created_at, updated_at) VALUES ('1 agreement', 'JPN', 'agreements', 1,"
            " '2022-01-01', 'year', FALSE, '[]', '[]', 'fig', 'public', 1, {t}, {t})"
        ),
    }
    try:
        _at(engine, "0006")
        with engine.begin() as conn:
            for sql in rows.values():
                for statement in sql.format(t=stamp).split("; "):
                    conn.execute(text(statement))
        _at(
            engine, "0007"
        )  # fill the spans as 0007 does for existing agreements: re-run is a no-op
        from scidip.registry.agreement.service import AGREEMENT
        from scidip.registry.record import get

        assert upgrade(engine) == ("0007", head_revision())
        with engine.connect() as conn:
            assert conn.execute(
                text(
                    "SELECT key, existed_from_on, existed_from_precision, existed_from_not_before,"
                    " existed_from_not_before_precision FROM party ORDER BY key"
                ).columns(existed_from_on=Date(), existed_from_not_before=Date())
            ).all() == [
                ("JPN", None, None, None, None),
                ("KOR", date(1948, 8, 1), "month", None, None),
            ]
            assert conn.execute(
                text("SELECT key, other_names, sizes FROM organisation").columns(
                    other_names=JSON(), sizes=JSON()
                )
            ).all() == [("board", [{"name": "会議", "lang": "ja"}], [])]
            assert conn.execute(
                text("SELECT key, other_names FROM post").columns(other_names=JSON())
            ).all() == [("advisor", [])]
            assert conn.execute(
                text("SELECT key, metric, value, organisation_id FROM published_figure")
            ).all() == [("fig", "agreements", 1, None)]
        with Session(engine) as s:
            stored = get(s, AGREEMENT, "jpn-kor-1985")
            assert [str(a.effective or a.taken) for a in stored.actions] == [
                "..1985",
                "1985-12-20",
                "1985-12-20",
            ]
            # The agreement is re-saved by nobody: its spans are the ones 0007 stored.
            assert coverage(s, "JPN", date(1986, 1, 1)).sentence() == (
                "1 agreement, in force with 1 country"
            )
            assert coverage(s, "JPN", date(1985, 6, 1)).undecided[0].party == "KOR"
    finally:
        engine.dispose()
