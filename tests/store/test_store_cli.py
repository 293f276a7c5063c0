"""The db / forms / interviews commands, as a field office uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldsurvey.cli.main import main
from fieldsurvey.errors import StoreError
from fieldsurvey.store import open_store

from .conftest import instance, write_xform


def test_forms_install_says_what_happened(xform_path, tmp_path, capsys):
    assert main(["forms", "install", str(xform_path)]) == 0
    assert "Installed the new form Household (household, version 1)" in capsys.readouterr().out
    assert main(["forms", "install", str(xform_path)]) == 0
    assert "already installed" in capsys.readouterr().out
    assert main(["forms", "install", str(write_xform(tmp_path, "2"))]) == 0
    assert "new version of Household (household): 2" in capsys.readouterr().out
    assert main(["forms", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(f["form_id"], f["version"]) for f in listed] == [("household", "2")]
    assert main(["forms", "list", "--all-versions"]) == 0
    assert capsys.readouterr().out.count("household") == 2


def test_forms_install_of_a_broken_file_fails_with_its_name(tmp_path, capsys):
    broken = tmp_path / "broken.xml"
    broken.write_text("<h:html>not closed", encoding="utf-8")
    assert main(["forms", "install", str(broken)]) == 1
    assert "broken.xml" in capsys.readouterr().err


def test_interviews_list_filters(data_dir, xform_path, capsys):
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        store.create_interview("household", "1", instance("uuid:a"), display_name="Club A")
        store.create_interview("household", "1", instance("uuid:b"), display_name="Club B")
        store.finalize("uuid:b", instance("uuid:b", name="b"))
    assert main(["interviews", "list", "--status", "finalized", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["instance_id"], r["status"], r["revision"]) for r in rows] == [
        ("uuid:b", "finalized", 1)
    ]
    assert rows[0]["finalized_at"].endswith("Z") and rows[0]["display_name"] == "Club B"
    assert main(["interviews", "list", "--form", "household"]) == 0
    out = capsys.readouterr().out
    assert "uuid:a" in out and "Club A" in out
    assert main(["interviews", "list", "--form", "other"]) == 0
    assert "No interview matches." in capsys.readouterr().out


def test_db_check_reports_health_and_a_damaged_database(data_dir, xform_path, capsys):
    assert main(["forms", "install", str(xform_path)]) == 0
    capsys.readouterr()
    assert main(["db", "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["forms"] == 1
    data_dir.database.write_bytes(b"x" * 4096)
    assert main(["db", "check"]) == 1
    assert "damaged" in capsys.readouterr().err


def test_a_second_instance_is_told_the_database_is_open(data_dir, capsys):
    with open_store(data_dir):
        assert main(["interviews", "list"]) == 1
    assert "already open" in capsys.readouterr().err


def lose_an_attachment(data_dir, xform_path, tmp_path) -> None:
    """An interview whose photo file was deleted from the data folder."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 a photo")
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        store.create_interview("household", "1", instance("uuid:a"))
        store.add_attachment("uuid:a", photo)
        [(_name, _sha, kept)] = store.attachments("uuid:a")
    Path(kept).unlink()


def test_db_check_with_problems_gives_an_error_object_in_json(data_dir, xform_path, tmp_path,
                                                              capsys):
    lose_an_attachment(data_dir, xform_path, tmp_path)
    assert main(["db", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["error"]["code"] == "store_check_failed"
    assert "attachment" in report["error"]["message"]
    assert report["error"]["path"] == str(data_dir.database)
    assert main(["db", "check"]) == 1
    assert "Integrity: PROBLEMS FOUND" in capsys.readouterr().out


def test_a_folder_given_for_a_file_is_called_a_folder(data_dir, tmp_path, capsys):
    folder = tmp_path / "backups-stick"
    folder.mkdir()
    for argv in (["db", "restore", str(folder)], ["forms", "install", str(folder)]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert f"{folder}: This is a folder, not a file" in err
        assert "does not exist" not in err
    assert main(["forms", "install", str(folder), "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["path"]) == ("not_a_file", str(folder))


@pytest.mark.parametrize("content", [b"these are my notes\n" * 300, b""],
                         ids=["text", "empty"])
def test_restoring_a_non_database_does_not_advise_a_restore(data_dir, xform_path, tmp_path,
                                                            capsys, content):
    assert main(["forms", "install", str(xform_path)]) == 0
    before = data_dir.database.read_bytes()
    notes = tmp_path / "notes.sqlite3"
    notes.write_bytes(content)
    capsys.readouterr()
    assert main(["db", "restore", str(notes)]) == 1
    err = capsys.readouterr().err
    assert str(notes) in err and "nothing was restored" in err
    assert "Restore a backup with" not in err
    # One message, one line: not SQLite's own words after it.
    assert err.strip().count("\n") == 0 and "file is not a database" not in err
    assert data_dir.database.read_bytes() == before


def test_a_non_database_offered_to_the_store_is_refused_in_its_own_words(tmp_path):
    from fieldsurvey.store import check_backup_file

    notes = tmp_path / "notes.db"
    notes.write_bytes(b"these are my notes\n" * 300)
    with pytest.raises(StoreError) as caught:
        check_backup_file(notes)
    message = caught.value.translated()
    assert message == f"The file {notes} is damaged or is not a FieldSurvey database."
    assert not caught.value.detail


def test_db_check_problems_are_shown_in_the_interface_language(data_dir, xform_path,
                                                               tmp_path, capsys, monkeypatch):
    import gettext

    from fieldsurvey.i18n import core

    class Spanish(gettext.NullTranslations):
        """The Spanish catalog, with the check's problem as a translator would give it."""

        def gettext(self, message):
            if message == "Missing attachment files: {count}":
                return "Archivos adjuntos que faltan: {count}"
            return super().gettext(message)

    spanish = Spanish()
    core.set_language("es")
    spanish.add_fallback(core._cache["es"])
    monkeypatch.setitem(core._cache, "es", spanish)
    lose_an_attachment(data_dir, xform_path, tmp_path)
    with open_store(data_dir) as store:
        [problem] = store.check().problems
        assert problem.code == "attachments_missing"
        assert problem.english() == "Missing attachment files: 1"
    assert main(["--lang", "es", "db", "check"]) == 1
    assert "Archivos adjuntos que faltan: 1" in capsys.readouterr().err
    assert main(["--lang", "es", "db", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == ["Archivos adjuntos que faltan: 1"]
    assert "Archivos adjuntos que faltan: 1" in report["error"]["message"]


def test_a_damaged_page_is_a_problem_in_sqlites_words(store, monkeypatch):
    import fieldsurvey.store.repository as repository

    monkeypatch.setattr(repository, "integrity_problems",
                        lambda engine: ["Page 5: never used"])
    report = store.check()
    assert not report.ok
    assert [p.english() for p in report.problems] == [
        "The database file is damaged: Page 5: never used"]
