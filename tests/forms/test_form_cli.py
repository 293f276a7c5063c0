"""The ``fieldsurvey form check`` and ``form simulate`` commands."""

from __future__ import annotations

import json

from xlsform import write_xlsform

from fieldsurvey.cli.main import main

SURVEY = [
    ["type", "name", "label", "relevant"],
    ["integer", "age", "Age", ""],
    ["text", "job", "Job", "${age} >= 18"],
    ["begin_repeat", "project", "Project", ""],
    ["text", "pname", "Name", ""],
    ["end_repeat", "", "", ""],
]


def test_check_reports_errors_with_sheet_and_row(tmp_path, capsys):
    good = write_xlsform(tmp_path / "good.xlsx", SURVEY)
    assert main(["form", "check", str(good)]) == 0
    bad = write_xlsform(
        tmp_path / "bad.xlsx",
        [["type", "name", "label"], ["begin_group", "g", "G"], ["text", "a", "A"]],
    )
    capsys.readouterr()
    assert main(["form", "check", "--json", str(bad)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert payload["errors"][0]["sheet"] == "survey" and payload["errors"][0]["row"] == 2


def test_simulate_applies_answers_in_order(tmp_path, capsys):
    form = write_xlsform(tmp_path / "f.xlsx", SURVEY)
    answers = tmp_path / "a.json"
    answers.write_text(
        json.dumps(
            {
                "now": "2024-05-01T10:00:00Z",
                "answers": [
                    {"path": "/data/age", "value": "17"},
                    {"add_repeat": "/data/project"},
                    {"path": "/data/project[2]/pname", "value": "x"},
                    {"remove_repeat": "/data/project[1]"},
                ],
            }
        )
    )
    assert main(["form", "simulate", str(form), "--answers", str(answers)]) == 0
    result = json.loads(capsys.readouterr().out)
    nodes = {n["path"]: n for n in result["nodes"]}
    assert nodes["/data/age"]["value"] == "17"
    assert nodes["/data/job"]["relevant"] is False
    assert nodes["/data/project[1]/pname"]["value"] == "x"
    assert "/data/project[2]/pname" not in nodes
    assert result["instance"].startswith("<data ")


def test_simulate_reports_refused_answers_and_bad_files(tmp_path, capsys):
    form = write_xlsform(tmp_path / "f.xlsx", SURVEY)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"answers": [{"path": "/data/age", "value": "abc"}]}))
    assert main(["form", "simulate", str(form), "--answers", str(answers)]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["errors"][0]["index"] == 0 and result["errors"][0]["path"] == "/data/age"
    answers.write_text(json.dumps({"answers": [{"oops": 1}]}))
    assert main(["form", "simulate", str(form), "--answers", str(answers)]) == 1
    captured = capsys.readouterr()
    assert "Entry 0" in captured.out + captured.err and "a.json" in captured.out + captured.err
