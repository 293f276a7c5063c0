"""Backups on a schedule and at moments of risk: after finalizing at most every few
minutes, at close when something changed, before a restore, an upgrade or a merge; what a
killed backup left behind is cleaned up, what a live one writes is not."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from fieldsurvey.cli.main import main
from fieldsurvey.paths import DataDir
from fieldsurvey.settings import Settings
from fieldsurvey.store import open_store, restore_backup
from fieldsurvey.store.backup import list_backups

from .conftest import instance
from .test_store_migrations import _database_at_first_schema


class Clock:
    """The store's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def _reasons(data_dir) -> list[str]:
    return [
        p.name.split("-", 2)[2].removesuffix(".sqlite3") for p in list_backups(data_dir.backups)
    ]


def _finalize_new(store, n: int) -> None:
    store.create_interview("household", "1", instance(f"uuid:{n}"))
    store.finalize(f"uuid:{n}", instance(f"uuid:{n}", name=f"org {n}"))


def _interview_ids(backup_file) -> list[str]:
    conn = sqlite3.connect(backup_file)
    try:
        return [row[0] for row in conn.execute("SELECT instance_id FROM interviews ORDER BY 1")]
    finally:
        conn.close()


def test_finalize_backs_up_only_when_the_last_backup_is_older_than_the_interval(store):
    clock = Clock()
    store.clock = clock
    store.backup("manual")
    _finalize_new(store, 1)
    assert _reasons(store.data_dir) == ["manual"]
    clock.advance(4)
    _finalize_new(store, 2)
    assert _reasons(store.data_dir) == ["manual"]
    clock.advance(1.5)  # past the default five minutes
    _finalize_new(store, 3)
    assert _reasons(store.data_dir) == ["finalize", "manual"]
    assert _interview_ids(store.list_backups()[0]) == ["uuid:1", "uuid:2", "uuid:3"]
    assert store.last_backup_at == clock.now


def test_the_interval_is_a_setting(data_dir, xform_path):
    Settings(data_dir.settings_file).set("backup_interval_minutes", 60)
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        clock = Clock()
        store.clock = clock
        store.backup("manual")
        clock.advance(30)
        _finalize_new(store, 1)
        assert _reasons(data_dir) == ["manual"]
        clock.advance(31)
        _finalize_new(store, 2)
        assert _reasons(data_dir) == ["finalize", "manual"]


def test_close_backs_up_what_changed_and_nothing_else(data_dir, xform_path):
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        store.create_interview("household", "1", instance("uuid:draft", name="draft"))
    assert _reasons(data_dir) == ["close"]
    assert _interview_ids(list_backups(data_dir.backups)[0]) == ["uuid:draft"]
    with open_store(data_dir, backup_on_start=False) as store:
        store.list_interviews()  # reading changes nothing
        store.check()
    assert _reasons(data_dir) == ["close"]
    with open_store(data_dir, backup_on_start=False) as store:
        store.backup("manual")  # nothing changed after this one
    assert _reasons(data_dir) == ["manual", "close"]


def test_close_backs_up_a_change_made_after_the_last_backup(store):
    clock = Clock()
    store.clock = clock
    _finalize_new(store, 1)  # the first backup of this data folder: taken at once
    assert _reasons(store.data_dir) == ["finalize"]
    store.create_interview("household", "1", instance("uuid:later"))
    clock.advance(1)
    store.close()
    assert _reasons(store.data_dir) == ["close", "finalize"]
    assert _interview_ids(list_backups(store.data_dir.backups)[0]) == ["uuid:1", "uuid:later"]


def test_rotation_keeps_the_newest_scheduled_backups(data_dir, xform_path):
    Settings(data_dir.settings_file).set("backups_to_keep", 2)
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        clock = Clock()
        store.clock = clock
        for n in range(4):
            clock.advance(10)
            _finalize_new(store, n)
        newest = store.list_backups()
    assert _reasons(data_dir) == ["finalize", "finalize"]
    assert _interview_ids(newest[0]) == ["uuid:0", "uuid:1", "uuid:2", "uuid:3"]
    assert _interview_ids(newest[1]) == ["uuid:0", "uuid:1", "uuid:2"]


def test_restore_backs_the_current_database_up_first(data_dir, xform_path):
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        store.create_interview("household", "1", instance("uuid:old"))
        saved = store.backup("manual")
        store.create_interview("household", "1", instance("uuid:new"))
    kept = restore_backup(data_dir, saved)
    assert kept.name.endswith("-before-restore.sqlite3")
    assert _interview_ids(kept) == ["uuid:new", "uuid:old"]


def test_an_upgrade_backs_the_old_schema_up_first(data_dir):
    _database_at_first_schema(data_dir)
    with open_store(data_dir, backup_on_start=False):
        pass
    upgraded = [b for b in list_backups(data_dir.backups) if "before-upgrade" in b.name]
    assert len(upgraded) == 1
    assert _interview_ids(upgraded[0]) == ["uuid:1", "uuid:2"]


def test_a_merge_backs_the_store_up_before_it_changes_it(tmp_path, xform_path):
    from fieldsurvey.exchange.export import export_workbook
    from fieldsurvey.exchange.importer import merge_files

    laptop_dir = DataDir.resolve(tmp_path / "laptop")
    with open_store(laptop_dir) as laptop:
        laptop.install_form(xform_path)
        _finalize_new(laptop, 7)
        export = export_workbook(laptop, "household", tmp_path / "laptop.xlsx").path
    office_dir = DataDir.resolve(tmp_path / "office")
    with open_store(office_dir) as office:
        office.install_form(xform_path)
        office.create_interview("household", "1", instance("uuid:office"))
        report = merge_files(office, [export])
        assert report.counts["new"] == 1
        merged = sorted(r.instance_id for r in office.list_interviews())
    before = [b for b in list_backups(office_dir.backups) if "before-merge" in b.name]
    assert len(before) == 1
    assert _interview_ids(before[0]) == ["uuid:office"]
    assert merged == ["uuid:7", "uuid:office"]


def _partial(folder, pid: int | None, n: int):
    name = f".fieldsurvey-20260101T00000{n}000Z-finalize.sqlite3"
    path = folder / (f"{name}.{pid}.partial" if pid is not None else f"{name}.partial")
    path.write_bytes(b"half a backup")
    return path


def test_leftovers_of_a_killed_backup_go_and_a_live_writers_file_stays(store):
    folder = store.data_dir.backups
    folder.mkdir(exist_ok=True)
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    dead = _partial(folder, int(finished.stdout), 1)
    older_version = _partial(folder, None, 2)
    live_process = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                                    stdin=subprocess.PIPE)  # fmt: skip
    try:
        live = _partial(folder, live_process.pid, 3)
        this_process = _partial(folder, os.getpid(), 4)  # another thread may write it
        store.backup("manual")
        assert not dead.exists() and not older_version.exists()
        assert live.exists() and this_process.exists()
    finally:
        live_process.communicate(b"")
    assert _reasons(store.data_dir) == ["manual"]


def test_leftovers_are_removed_when_the_store_opens(data_dir, xform_path):
    with open_store(data_dir, automatic_backups=False) as store:
        store.install_form(xform_path)
    data_dir.backups.mkdir(exist_ok=True)
    leftover = _partial(data_dir.backups, None, 1)
    with open_store(data_dir, backup_on_start=False, automatic_backups=False):
        assert not leftover.exists()
    assert list_backups(data_dir.backups) == []


def test_db_check_reports_the_last_backup(data_dir, xform_path, capsys):
    assert main(["forms", "install", str(xform_path)]) == 0
    capsys.readouterr()
    assert main(["db", "check", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)["last_backup"]
    newest = list_backups(data_dir.backups)[0]  # the install was backed up at close
    assert first is not None and first[:19].replace("-", "").replace(":", "") in newest.name
    assert main(["db", "backup"]) == 0
    capsys.readouterr()
    assert main(["db", "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["last_backup"] > first
