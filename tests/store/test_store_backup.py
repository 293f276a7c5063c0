"""Automatic backups (start, finalize, upgrade), rotation, and restore by API and CLI."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from fieldsurvey.cli.main import main
from fieldsurvey.errors import StoreError
from fieldsurvey.settings import Settings
from fieldsurvey.store import open_store, restore_backup
from fieldsurvey.store.backup import list_backups

from .conftest import instance


def _reasons(data_dir) -> list[str]:
    return [
        p.name.split("-", 2)[2].removesuffix(".sqlite3") for p in list_backups(data_dir.backups)
    ]


def test_start_backups_are_throttled(data_dir, xform_path):
    # Without the backup at close, which would make the start backup needless.
    with open_store(data_dir, automatic_backups=False) as store:  # nothing to back up yet
        store.install_form(xform_path)
    assert _reasons(data_dir) == []
    with open_store(data_dir, automatic_backups=False):
        pass
    assert _reasons(data_dir) == ["start"]
    with open_store(data_dir, automatic_backups=False):  # the last backup is recent enough
        pass
    assert _reasons(data_dir) == ["start"]


def test_finalizing_backs_up_and_only_the_newest_are_kept(data_dir, xform_path):
    Settings(data_dir.settings_file).set("backups_to_keep", 3)
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        start = datetime.now(UTC)
        for n in range(5):
            # Finalized further apart than the backup interval: each one is backed up.
            store.clock = lambda n=n: start + timedelta(minutes=10 * n)
            store.create_interview("household", "1", instance(f"uuid:{n}"))
            store.finalize(f"uuid:{n}", instance(f"uuid:{n}", name=f"org {n}"))
        newest = store.list_backups()[0]
    assert _reasons(data_dir) == ["finalize"] * 3
    conn = sqlite3.connect(newest)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM interviews WHERE status='finalized'").fetchone() == (
        5,
    )
    conn.close()


def test_restore_brings_back_the_backup_and_keeps_the_replaced_database(data_dir, xform_path):
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        store.create_interview("household", "1", instance("uuid:old", name="before backup"))
        saved = store.backup("manual")
        store.create_interview("household", "1", instance("uuid:new", name="after backup"))
        with pytest.raises(StoreError) as info:  # not while the app has it open
            restore_backup(data_dir, saved)
        assert info.value.code == "store_locked"
    kept = restore_backup(data_dir, saved)
    with open_store(data_dir) as store:
        assert [r.instance_id for r in store.list_interviews()] == ["uuid:old"]
    conn = sqlite3.connect(kept)
    assert conn.execute("SELECT count(*) FROM interviews").fetchone() == (2,)
    conn.close()


def test_restore_refuses_a_damaged_file(data_dir, xform_path, tmp_path):
    with open_store(data_dir) as store:
        store.install_form(xform_path)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 1000)
    before = data_dir.database.read_bytes()
    with pytest.raises(StoreError) as info:
        restore_backup(data_dir, bad)
    assert info.value.code == "store_corrupt" and "bad.sqlite3" in info.value.english()
    with pytest.raises(StoreError, match="does not exist"):
        restore_backup(data_dir, tmp_path / "missing.sqlite3")
    assert data_dir.database.read_bytes() == before


def test_restore_moves_a_database_too_damaged_to_back_up_aside(data_dir, xform_path):
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        saved = store.backup()
    data_dir.database.write_bytes(b"\0" * 8192)
    kept = restore_backup(data_dir, saved)
    assert kept.name.endswith(".keep") and kept.read_bytes() == b"\0" * 8192
    with open_store(data_dir) as store:
        assert store.get_form("household").version == "1"


def test_backup_and_restore_from_the_command_line(data_dir, xform_path, capsys):
    assert main(["forms", "install", str(xform_path)]) == 0
    assert main(["db", "backup", "--json"]) == 0
    backup_file = list_backups(data_dir.backups)[0]
    assert str(backup_file) in capsys.readouterr().out
    with open_store(data_dir) as store:
        store.create_interview("household", "1", instance("uuid:gone"))
    assert main(["db", "restore", str(backup_file)]) == 0
    assert "restored" in capsys.readouterr().out
    assert main(["interviews", "list", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
