"""``fieldsurvey self-test``: what a person checking an installation sees."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fieldsurvey.cli.main import main

STEPS = ["bundle", "form", "store", "interview", "finalize", "export", "qt"]


def _engine_ready() -> bool:
    try:
        from fieldsurvey.forms import FormSession  # noqa: F401
    except ImportError:
        return False
    return True


needs_engine = pytest.mark.skipif(not _engine_ready(), reason="the form engine has no session")


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["self-test", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


@needs_engine
def test_self_test_passes_on_the_bundled_questionnaire_without_touching_user_data(
        capsys, data_dir, qapp):
    code, report = run_json(capsys)
    assert [step["name"] for step in report["steps"]] == STEPS
    failed = [step for step in report["steps"] if step["status"] != "ok"]
    assert failed == [] and code == 0 and report["ok"] is True
    assert "diaspora_organizations.xlsx" in report["steps"][1]["detail"]
    # The interview went into a temporary database, not into the user's data folder.
    assert not data_dir.database.exists()
    assert not any(data_dir.forms.iterdir())
    assert report["data_dir"] is None


@needs_engine
def test_human_report_lists_every_step_and_the_verdict(capsys):
    assert main(["self-test", "--no-qt"]) == 0
    out = capsys.readouterr().out
    for title in ("Installed files", "Questionnaire", "Database", "Interview",
                  "Finalized interview", "Excel export"):
        assert f"ok       {title}:" in out
    assert "Qt libraries" not in out
    assert "All 6 checks passed" in out


def test_a_broken_questionnaire_fails_its_step_and_skips_the_rest(capsys, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a workbook")
    code, report = run_json(capsys, "--form", str(broken), "--no-qt")
    assert code == 1 and report["ok"] is False
    status = {step["name"]: step["status"] for step in report["steps"]}
    assert status["bundle"] == "ok" and status["form"] == "failed"
    assert {status[name] for name in ("store", "interview", "finalize", "export")} == {"skipped"}
    assert "broken.xlsx" in report["steps"][1]["detail"]


def test_a_missing_questionnaire_is_reported(capsys, tmp_path):
    code, report = run_json(capsys, "--form", str(tmp_path / "absent.xlsx"), "--no-qt")
    assert code == 1
    assert report["steps"][0]["status"] == "failed"
    assert "absent.xlsx does not exist" in report["steps"][0]["detail"]


@needs_engine
def test_keep_leaves_the_temporary_database_for_inspection(capsys, bundled_forms):
    code, report = run_json(capsys, "--keep", "--no-qt", "--form",
                            str(bundled_forms / "quick_check.xlsx"))
    kept = report["data_dir"]
    try:
        assert code == 0, report
        from fieldsurvey.paths import DataDir
        from fieldsurvey.store import open_store

        with open_store(DataDir.resolve(kept)) as store:
            (summary,) = store.list_interviews()
            assert str(summary.status) == "exported"  # finalized, then exported
        assert (Path(kept) / "exports" / "self-test.xlsx").is_file()
    finally:
        shutil.rmtree(kept, ignore_errors=True)


@needs_engine
def test_filler_satisfies_constraints_and_skip_logic(tmp_path):
    from openpyxl import Workbook

    from fieldsurvey.forms import FormSession, load_form
    from fieldsurvey.selftest import fill_interview

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    for row in [
        ["type", "name", "label", "required", "relevant", "constraint"],
        ["integer", "founded", "Year founded", "yes", "", ". >= 1950 and . <= 2030"],
        ["text", "email", "E-mail", "yes", "", "regex(., '^[^@ ]+@[^@ ]+[.][a-z]+$')"],
        ["select_one yn", "has_projects", "Projects?", "yes", "", ""],
        ["begin_repeat", "project", "Project", "", "${has_projects} = 'yes'", ""],
        ["decimal", "budget", "Budget", "yes", "", ". > 0"],
        ["end_repeat", "", "", "", "", ""],
        ["image", "photo", "Photo", "", "", ""],
    ]:
        survey.append(row)
    choices = workbook.create_sheet("choices")
    for row in [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]:
        choices.append(row)
    path = tmp_path / "projects.xlsx"
    workbook.save(path)

    definition = load_form(path).definition
    session = FormSession(definition)
    saves = []
    answered = fill_interview(session, definition, after_answer=lambda: saves.append(1))
    assert session.validate() == []
    assert 1950 <= int(session.state("/data/founded").value) <= 2030
    assert "@" in session.state("/data/email").value
    assert session.repeat_count("/data/project") == 1
    assert float(session.state("/data/project[1]/budget").value) > 0
    assert session.state("/data/photo").value == ""  # no camera in a self-test
    assert answered == len(saves) == 4
