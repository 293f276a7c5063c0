"""Bad databases and failing disks: a clear StoreError, and nothing overwritten or lost."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from sqlalchemy import text

from fieldsurvey.errors import StoreError
from fieldsurvey.paths import DataDir
from fieldsurvey.store import database, open_store

from .conftest import instance


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(data_dir, xform_path):
    """A closed database holding one draft interview."""
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        store.create_interview("household", "1", instance("uuid:a", name="kept"))
    return data_dir


def test_a_second_open_is_refused_while_the_first_is_open(filled):
    first = open_store(filled)
    try:
        with pytest.raises(StoreError) as info:
            open_store(filled)
        assert info.value.code == "store_locked"
        assert str(filled.root) in info.value.english()
    finally:
        first.close()
    with open_store(filled) as again:
        assert again.get_interview("uuid:a").xml.count("kept") == 1


def test_another_program_holding_the_database_gives_a_clear_error(filled, monkeypatch):
    monkeypatch.setattr(
        database,
        "CONNECTION_PRAGMAS",
        [*database.CONNECTION_PRAGMAS[:2], "PRAGMA busy_timeout = 50"],
    )
    with open_store(filled, backup_on_start=False) as store:
        other = sqlite3.connect(filled.database, timeout=0.05)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError) as info:
                store.save_answer("uuid:a", instance("uuid:a", name="blocked"))
            assert info.value.code == "store_locked"
        finally:
            other.rollback()
            other.close()
        store.save_answer("uuid:a", instance("uuid:a", name="after"))
        assert "after" in store.get_interview("uuid:a").xml


def test_read_only_database_is_refused_untouched(filled):
    before = _digest(filled.database)
    filled.database.chmod(0o444)
    try:
        with pytest.raises(StoreError) as info:
            open_store(filled)
        assert info.value.code == "store_read_only"
        assert "read-only" in info.value.english()
    finally:
        filled.database.chmod(0o644)
    assert _digest(filled.database) == before


def test_a_file_that_is_not_a_database_is_refused_untouched(data_dir):
    data_dir.database.write_bytes(b"this is a spreadsheet, not a database" * 200)
    before = _digest(data_dir.database)
    with pytest.raises(StoreError) as info:
        open_store(data_dir)
    assert info.value.code == "store_corrupt"
    assert "fieldsurvey db restore" in info.value.english()
    assert _digest(data_dir.database) == before


def test_a_damaged_database_fails_the_integrity_check_untouched(filled):
    with open_store(filled, backup_on_start=False) as store:
        with store.transaction() as session:
            for n in range(300):
                session.execute(
                    text(
                        "INSERT INTO audit_events (interview_key, instance_id, event, start) "
                        "VALUES ('uuid:a', 'uuid:a', 'question', :n)"
                    ),
                    {"n": n},
                )
    conn = sqlite3.connect(filled.database)
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_audit_events_interview_key'"
    ).fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(filled.database.read_bytes())
    # Scribble over the root page of an index, as a failing disk sector would.
    start = (root - 1) * page
    data[start + 8 : start + page] = b"\x07" * (page - 8)
    filled.database.write_bytes(bytes(data))
    before = _digest(filled.database)
    with pytest.raises(StoreError) as info:
        open_store(filled)
    assert info.value.code == "store_corrupt"
    assert _digest(filled.database) == before


def test_a_database_from_a_newer_version_is_refused_untouched(filled):
    conn = sqlite3.connect(filled.database)
    conn.execute("UPDATE alembic_version SET version_num = 'f00dcafe9999'")
    conn.commit()
    conn.close()
    before = _digest(filled.database)
    with pytest.raises(StoreError) as info:
        open_store(filled)
    assert info.value.code == "store_newer"
    assert "newer version" in info.value.english()
    assert _digest(filled.database) == before


def test_disk_full_keeps_earlier_answers_and_says_so(filled, monkeypatch):
    with open_store(filled, backup_on_start=False) as store:
        store.save_answer("uuid:a", instance("uuid:a", name="first answer"))
        with store.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        # SQLite's own limit on the file size stands in for a full disk.
        monkeypatch.setattr(
            database,
            "CONNECTION_PRAGMAS",
            [*database.CONNECTION_PRAGMAS, f"PRAGMA max_page_count = {pages}"],
        )
        store.engine.dispose()
        with pytest.raises(StoreError) as info:
            store.save_answer("uuid:a", instance("uuid:a", name="x" * 200_000))
        assert info.value.code == "disk_full"
        assert "disk is full" in info.value.english()
        assert "first answer" in store.get_interview("uuid:a").xml
        monkeypatch.undo()
        store.engine.dispose()
        store.save_answer("uuid:a", instance("uuid:a", name="after freeing space"))
        assert "after freeing space" in store.get_interview("uuid:a").xml


def test_a_really_full_disk_keeps_earlier_answers(tiny_disk, fill_disk, xform_path):
    data_dir = DataDir.resolve(tiny_disk / "data")
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        store.create_interview("household", "1", instance("uuid:a"))
        store.save_answer("uuid:a", instance("uuid:a", name="saved before"))
        filler = fill_disk(tiny_disk)
        last_saved = "saved before"
        with pytest.raises(StoreError) as info:
            for n in range(50):
                answer = f"{n}-" + "y" * 100_000
                store.save_answer("uuid:a", instance("uuid:a", name=answer))
                last_saved = answer
        assert info.value.code == "disk_full"
        assert f"<name>{last_saved}</name>" in store.get_interview("uuid:a").xml
        filler.unlink()
        store.save_answer("uuid:a", instance("uuid:a", name="space again"))
    with open_store(data_dir, backup_on_start=False) as store:
        assert "space again" in store.get_interview("uuid:a").xml
        assert store.check().ok
