"""Migrations build the schema the models declare, on SQLite and PostgreSQL, and keep data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

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
