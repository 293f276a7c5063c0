"""Schema migrations: an older database with interviews in it upgrades on open, after a
backup, and the migrated schema is exactly what the models describe."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from fieldsurvey.store import open_store, schema
from fieldsurvey.store.backup import list_backups
from fieldsurvey.store.database import make_engine
from fieldsurvey.store.models import Base

from .conftest import XFORM, instance

FIRST_SCHEMA = "0001"


def _database_at_first_schema(data_dir) -> None:
    """A database as the first release left it, with a form and two interviews."""
    engine = make_engine(data_dir.database)
    schema.upgrade(engine, FIRST_SCHEMA)
    engine.dispose()
    conn = sqlite3.connect(data_dir.database)
    conn.execute(
        "INSERT INTO installed_forms (id, form_id, version, title, languages, source_name, "
        "source_sha256, xform_sha256, installed_at, xform) VALUES (1, 'household', '1', "
        "'Household', '[]', 'household.xlsx', 'aa', 'bb', '2024-05-01T09:00:00.000Z', ?)",
        (XFORM.format(version="1", title="Household"),),
    )
    for n, name in ((1, "Club Oaxaca"), (2, "Casa Honduras")):
        conn.execute(
            "INSERT INTO interviews (instance_id, interview_key, form_pk, form_id, "
            "form_version, status, display_name, created_at, modified_at, revision, deleted, "
            "error_count, xml) VALUES (?, ?, 1, 'household', '1', 'draft', ?, "
            "'2024-05-01T09:00:00.000Z', '2024-05-01T09:05:00.000Z', 1, 0, 0, ?)",
            (f"uuid:{n}", f"uuid:{n}", name, instance(f"uuid:{n}", name=name, age="30")),
        )
    conn.execute(
        "INSERT INTO audit_events (interview_key, instance_id, event, start) "
        "VALUES ('uuid:1', 'uuid:1', 'form start', 1714554000000)"
    )
    conn.commit()
    conn.close()


def test_first_schema_with_data_upgrades_on_open_after_a_backup(data_dir):
    _database_at_first_schema(data_dir)
    with open_store(data_dir) as store:
        assert schema.current_revision(store.engine) == schema.head_revision() != FIRST_SCHEMA
        record = store.get_interview("uuid:1")
        assert record.display_name == "Club Oaxaca" and "<age>30</age>" in record.xml
        # Columns added by the upgrade are filled for the interviews already there.
        assert [r.instance_id for r in store.list_interviews(text="honduras")] == ["uuid:2"]
        # The tables added later work on the upgraded file.
        store.finalize("uuid:1", record.xml)
        assert [r.revision for r in store.revisions("uuid:1")] == [1]
        assert [e.event for e in store.audit_events("uuid:1")] == ["form start", "form finalize"]
        assert store.check().ok
    backups = list_backups(data_dir.backups)
    before = [b for b in backups if "before-upgrade-0001" in b.name]
    assert len(before) == 1
    conn = sqlite3.connect(before[0])
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert conn.execute("SELECT count(*) FROM interviews").fetchone() == (2,)
    conn.close()


def test_a_new_database_is_built_by_the_migrations_and_matches_the_models(data_dir):
    with open_store(data_dir) as store:
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            synchronous = conn.exec_driver_sql("PRAGMA synchronous").scalar()
    assert diff == []
    assert (mode, foreign_keys, synchronous) == ("wal", 1, 2)  # 2 = FULL


def test_every_migration_runs_down_and_up_again(data_dir):
    engine = make_engine(data_dir.database)
    schema.upgrade(engine)
    from alembic import command

    config = schema.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, FIRST_SCHEMA)
    assert schema.current_revision(engine) == FIRST_SCHEMA
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    engine.dispose()


def test_migrations_ship_inside_the_package():
    assert (schema.MIGRATIONS_DIR / "env.py").is_file()
    assert schema.MIGRATIONS_DIR.parent.name == "store"
    assert {FIRST_SCHEMA, schema.head_revision()} <= schema.known_revisions()


def test_revisions_keep_their_conflicts_and_get_content_hashes_when_upgraded(data_dir):
    import hashlib

    engine = make_engine(data_dir.database)
    schema.upgrade(engine, "0003")
    engine.dispose()
    conn = sqlite3.connect(data_dir.database)
    conn.execute("PRAGMA foreign_keys = ON")
    xmls = [instance(f"uuid:{n}", name=f"Side {n}") for n in (1, 2)]
    for n, xml in enumerate(xmls, start=1):
        conn.execute(
            "INSERT INTO interview_revisions (id, interview_key, instance_id, revision, "
            "form_id, form_version, status, display_name, source, recorded_at, xml) "
            "VALUES (?, 'uuid:1', ?, 1, 'household', '1', 'finalized', '', 'local', "
            "'2024-05-01T09:00:00.000Z', ?)", (n, f"uuid:{n}", xml))
    conn.execute(
        "INSERT INTO merge_conflicts (interview_key, local_revision_id, incoming_revision_id, "
        "differences, detected_at, resolved) VALUES ('uuid:1', 1, 2, '[]', "
        "'2024-05-01T09:00:00.000Z', 0)")
    conn.commit()
    conn.close()
    engine = make_engine(data_dir.database)
    schema.upgrade(engine)
    with engine.connect() as c:
        links = c.exec_driver_sql(
            "SELECT local_revision_id, incoming_revision_id FROM merge_conflicts").all()
        shas = c.exec_driver_sql(
            "SELECT content_sha FROM interview_revisions ORDER BY id").scalars().all()
        # A second content under one instanceID now fits.
        c.exec_driver_sql(
            "INSERT INTO interview_revisions (interview_key, instance_id, content_sha, "
            "revision, form_id, form_version, status, display_name, source, recorded_at, "
            "xml) VALUES ('uuid:1', 'uuid:1', 'x', 1, 'household', '1', 'draft', '', "
            "'local', '2024-05-01T09:00:00.000Z', '<x/>')")
    engine.dispose()
    assert links == [(1, 2)]
    assert shas == [hashlib.sha256(x.encode()).hexdigest() for x in xmls]
