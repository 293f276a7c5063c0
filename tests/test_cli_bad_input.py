"""Bad input never crashes the command line and never loses data.

Every command that reads a file is given a missing file, a folder, an empty file, a text
file renamed .xlsx, a truncated workbook, a foreign workbook and a form pyxform rejects.
Each time the exit status is 1 (2 for a usage error), the message names the file (and the
sheet and row where it applies), there is no traceback, and the interviews already in the
data folder are exactly as they were."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from fieldsurvey.cli.main import main
from fieldsurvey.paths import DataDir
from fieldsurvey.store import open_store

REPO_ROOT = Path(__file__).resolve().parents[1]
QUICK_CHECK = REPO_ROOT / "forms" / "quick_check.xlsx"


def run(argv, capsys) -> tuple[int, str, str]:
    """``fieldsurvey ARGV`` in-process: (exit status, stdout, stderr)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exited:
        code = exited.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def interviews(folder: Path) -> dict[str, tuple[str, int, str]]:
    """Every stored interview: id -> (status, revision, digest of its XML)."""
    with open_store(DataDir.resolve(folder), backup_on_start=False) as store:
        return {
            row.instance_id: (
                row.status.value,
                row.revision,
                hashlib.sha256(store.get_interview(row.instance_id).xml.encode()).hexdigest(),
            )
            for row in store.list_interviews(include_deleted=True)
        }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A data folder with 3 interviews, and a laptop's export of 2 other interviews."""
    root = tmp_path_factory.mktemp("cli-bad-input")
    assert main(["--lang", "en", "--data-dir", str(root / "data"), "demo", "--interviews",
                 "3", "--seed", "7"]) == 0  # fmt: skip
    assert main(["--lang", "en", "--data-dir", str(root / "laptop"), "demo", "--interviews",
                 "2", "--seed", "8", "--laptops", "1", "--out", str(root / "exports")]) == 0  # fmt: skip
    (export_file,) = (root / "exports").glob("*.xlsx")
    return SimpleNamespace(data=root / "data", export_file=export_file,
                           interviews=interviews(root / "data"))  # fmt: skip


@pytest.fixture
def data(prepared, tmp_path) -> Path:
    """This test's own copy of the prepared data folder."""
    folder = tmp_path / "data"
    shutil.copytree(prepared.data, folder)
    return folder


def assert_clean_failure(code: int, out: str, err: str, *names: str, status: int = 1) -> None:
    assert code == status, (out, err)
    assert "Traceback" not in err and "Traceback" not in out
    for name in names:
        assert name in err or name in out, (name, out, err)


# -- the bad files -------------------------------------------------------------------------


def _foreign_workbook(path: Path) -> None:
    """An ordinary spreadsheet: neither a questionnaire nor a FieldSurvey export."""
    wb = Workbook()
    wb.active.title = "Budget"
    wb.active.append(["item", "amount"])
    wb.active.append(["rent", 500])
    wb.save(path)


def _pyxform_error_form(path: Path) -> None:
    """A questionnaire with an unknown question type on row 3 of the survey sheet."""
    wb = Workbook()
    wb.active.title = "survey"
    wb.active.append(["type", "name", "label"])
    wb.active.append(["text", "name", "Name"])
    wb.active.append(["integr", "age", "Age"])
    wb.save(path)


def make_bad_file(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.xlsx"
    if kind == "missing":
        pass
    elif kind == "folder":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "renamed-text":
        path.write_text("name,amount\nrent,500\n", encoding="utf-8")
    elif kind == "truncated":
        path.write_bytes(QUICK_CHECK.read_bytes()[:3000])
    elif kind == "foreign":
        _foreign_workbook(path)
    elif kind == "pyxform-error":
        _pyxform_error_form(path)
    return path


BAD_FILES = ["missing", "folder", "empty", "renamed-text", "truncated", "foreign",
             "pyxform-error"]  # fmt: skip

#: How each command takes the file.
FILE_COMMANDS = {
    "form check": lambda f: ["form", "check", f],
    "forms install": lambda f: ["forms", "install", f],
    "form simulate": lambda f: ["form", "simulate", f, "--answers", f.parent / "answers.json"],
    "merge": lambda f: ["merge", f],
    "db restore": lambda f: ["db", "restore", f],
}

#: Where the message must point beyond the file: (sheet, row) for the form commands.
FORM_COMMANDS = {"form check", "forms install", "form simulate"}
WHERE = {"foreign": ("survey", None), "pyxform-error": ("survey", "3")}


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.parametrize("command", list(FILE_COMMANDS))
def test_a_bad_file_is_refused_by_name_and_nothing_is_lost(command, kind, data, prepared,
                                                           tmp_path, capsys):  # fmt: skip
    bad = make_bad_file(kind, tmp_path)
    (tmp_path / "answers.json").write_text('{"answers": []}', encoding="utf-8")
    code, out, err = run(["--data-dir", data, *FILE_COMMANDS[command](bad)], capsys)
    assert_clean_failure(code, out, err, bad.name)
    if command in FORM_COMMANDS and kind in WHERE:
        sheet, row = WHERE[kind]
        assert f"sheet {sheet}" in err or f'"sheet": "{sheet}"' in out
        if row:
            assert f"row {row}" in err or f'"row": {row}' in out
    assert interviews(data) == prepared.interviews


@pytest.mark.parametrize("kind", ["empty", "renamed-text", "truncated"])
def test_a_broken_workbook_is_called_what_it_is(kind, tmp_path, capsys):
    """Not pyxform's message about an unsupported 'definition': the user is told the file
    is not a workbook or is damaged."""
    bad = make_bad_file(kind, tmp_path)
    code, out, _err = run(["form", "check", bad, "--json"], capsys)
    assert code == 1
    error = json.loads(out)["error"]
    assert error["path"] == str(bad)
    assert "not an Excel workbook" in error["message"]


def test_json_output_on_a_bad_file_is_one_error_document(tmp_path, capsys):
    bad = make_bad_file("pyxform-error", tmp_path)
    code, out, _err = run(["forms", "install", bad, "--json"], capsys)
    assert code == 1
    error = json.loads(out)["error"]
    assert (error["path"], error["sheet"], error["row"]) == (str(bad), "survey", 3)


# -- other bad input -----------------------------------------------------------------------


def test_restoring_a_non_database_keeps_the_current_database(data, prepared, tmp_path,
                                                             capsys):  # fmt: skip
    database = data / "fieldsurvey.sqlite3"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    notes = tmp_path / "backup.sqlite3"
    notes.write_text("these are my notes, not a database\n" * 50, encoding="utf-8")
    code, out, err = run(["--data-dir", data, "db", "restore", notes], capsys)
    assert_clean_failure(code, out, err, str(notes))
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert interviews(data) == prepared.interviews


def test_restoring_a_truncated_backup_keeps_the_current_database(data, prepared, tmp_path,
                                                                 capsys):  # fmt: skip
    code, out, _err = run(["--data-dir", data, "db", "backup", "--json"], capsys)
    assert code == 0
    backup = Path(json.loads(out)["backup"])
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 3])
    code, out, err = run(["--data-dir", data, "db", "restore", truncated], capsys)
    assert_clean_failure(code, out, err, str(truncated))
    assert interviews(data) == prepared.interviews


@pytest.mark.parametrize("where", ["under a file", "missing folder"])
def test_export_into_a_place_that_cannot_hold_a_file(where, data, prepared, tmp_path,
                                                     capsys):  # fmt: skip
    # As root, chmod does not stop a write: a path below a regular file always fails.
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    parent = blocker if where == "under a file" else tmp_path / "no-such-folder"
    target = parent / "out.xlsx"
    code, out, err = run(["--data-dir", data, "export", "--form", "diaspora_organizations",
                          "-o", target], capsys)  # fmt: skip
    assert_clean_failure(code, out, err, parent.name)
    assert blocker.read_text(encoding="utf-8") == "x"
    assert interviews(data) == prepared.interviews


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
def test_a_data_folder_that_is_a_file(json_flag, tmp_path, capsys):
    not_a_folder = tmp_path / "survey-data"
    not_a_folder.write_text("a file where the data folder should be", encoding="utf-8")
    code, out, err = run(["--data-dir", not_a_folder, "interviews", "list", *json_flag],
                         capsys)  # fmt: skip
    assert_clean_failure(code, out, err, str(not_a_folder))
    if json_flag:
        assert json.loads(out)["error"]["path"] == str(not_a_folder)
    assert not_a_folder.read_text(encoding="utf-8") == "a file where the data folder should be"


def test_answers_that_are_not_json(data, prepared, tmp_path, capsys):
    answers = tmp_path / "answers.json"
    answers.write_text('{"answers": [\n  {"path": "/data/age", "value": 3,}\n]}', "utf-8")
    code, out, err = run(["--data-dir", data, "form", "simulate", QUICK_CHECK, "--answers",
                          answers], capsys)  # fmt: skip
    assert_clean_failure(code, out, err, "answers.json")
    error = json.loads(out)["error"]
    assert (error["path"], error["row"]) == (str(answers), 2)
    assert interviews(data) == prepared.interviews


def test_sync_with_an_unknown_profile(data, prepared, capsys):
    code, out, err = run(["--data-dir", data, "sync", "--profile", "head-office"], capsys)
    assert_clean_failure(code, out, err, "head-office")
    assert interviews(data) == prepared.interviews


def test_merging_the_same_file_twice_adds_each_interview_once(data, prepared, capsys):
    code, out, err = run(["--data-dir", data, "merge", prepared.export_file,
                          prepared.export_file, "--json"], capsys)  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert (report["new"], report["unchanged"], report["rejected"]) == (2, 2, 0)
    after = interviews(data)
    assert len(after) == len(prepared.interviews) + 2
    assert {k: after[k] for k in prepared.interviews} == prepared.interviews
    # Merging it a third time, in another run, changes nothing at all.
    code, out, _err = run(["--data-dir", data, "merge", prepared.export_file, "--json"], capsys)
    assert code == 0
    assert json.loads(out)["unchanged"] == 2
    assert interviews(data) == after


def test_a_damaged_database_is_named_and_left_as_it_is(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "fieldsurvey.sqlite3"
    database.write_bytes(b"not SQLite at all " * 400)
    for argv in (["forms", "list"], ["db", "check"], ["demo", "--interviews", "1"],
                 ["forms", "install", QUICK_CHECK]):  # fmt: skip
        code, out, err = run(["--data-dir", folder, *argv], capsys)
        assert_clean_failure(code, out, err, str(database))
        assert database.read_bytes() == b"not SQLite at all " * 400


# -- a full disk -------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["demo", "--interviews", "20"], ["forms", "install",
                                                                    QUICK_CHECK]],
                         ids=["demo", "forms install"])  # fmt: skip
def test_a_full_disk_is_reported_and_earlier_interviews_stay(argv, tiny_disk, fill_disk,
                                                            prepared, capsys):  # fmt: skip
    data = tiny_disk / "data"
    shutil.copytree(prepared.data, data, ignore=shutil.ignore_patterns("backups"))
    (data / "backups").mkdir()
    filler = fill_disk(tiny_disk)
    code, out, err = run(["--data-dir", data, *argv], capsys)
    assert_clean_failure(code, out, err)
    assert "disk is full" in err or "No space left on device" in err, err
    filler.unlink()
    after = interviews(data)
    assert {k: after[k] for k in prepared.interviews} == prepared.interviews
    with open_store(DataDir.resolve(data), backup_on_start=False) as store:
        assert store.check().ok
