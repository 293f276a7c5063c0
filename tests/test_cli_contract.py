"""The command line is one program: every command and subcommand answers ``--help`` with a
description, the commands a script reads print exactly one JSON document with ``--json``
(an ``error`` object when they fail), and the exit status is 0 on success, 1 on failure,
2 on a usage error. A few cases run as a real process (``python -m fieldsurvey``); the
rest call ``main()`` in-process, which is the same code and much faster."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from fieldsurvey.cli.main import build_parser, main
from fieldsurvey.i18n import _, set_language

REPO_ROOT = Path(__file__).resolve().parents[1]
QUICK_CHECK = REPO_ROOT / "forms" / "quick_check.xlsx"
DEMO_FORM = "diaspora_organizations"


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every (command path, parser) of the argparse tree, depth first."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from _commands(sub, (*path, name))


def _subcommand_actions(parser: argparse.ArgumentParser):
    return [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]


ROOT_PARSER = build_parser()
COMMANDS = dict(_commands(ROOT_PARSER))
GROUPS = [path for path, parser in COMMANDS.items() if _subcommand_actions(parser)]
#: The commands whose output a script reads.
SCRIPTED = [
    ("forms", "list"), ("interviews", "list"), ("form", "check"), ("form", "simulate"),
    ("export",), ("merge",), ("sync",), ("profiles", "list"), ("demo",), ("db", "check"),
    ("db", "backup"), ("self-test",),
]


def _ids(paths):
    return [" ".join(p) for p in paths]


def _words(text: str) -> str:
    """argparse rewraps text: compare with runs of whitespace made one space."""
    return re.sub(r"\s+", " ", text).strip()


def run(argv, capsys) -> tuple[int, str, str]:
    """``fieldsurvey ARGV`` in-process: (exit status, stdout, stderr)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exited:  # --help and usage errors, as argparse does
        code = exited.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_json_document(out: str):
    """stdout must be one JSON document and nothing else (json.loads refuses extra data)."""
    return json.loads(out)


def assert_failure_described(doc) -> None:
    """A failing --json command says why: an ``error`` object, or a report that is not ok."""
    assert isinstance(doc, dict), doc
    error = doc.get("error")
    if error is not None:
        assert error["code"] and error["message"], doc
    else:
        assert doc.get("ok") is False, doc


# -- the tree: help, descriptions, usage ------------------------------------------------


def test_the_tree_has_every_documented_command():
    assert set(SCRIPTED) <= set(COMMANDS)
    assert {("app",), ("db", "restore"), ("forms", "install"), ("profiles", "add"),
            ("profiles", "remove")} <= set(COMMANDS)  # fmt: skip


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=_ids([("fieldsurvey",), *COMMANDS]))
def test_every_command_answers_help_with_a_description(path, capsys):
    parser = COMMANDS.get(path, ROOT_PARSER)
    code, out, err = run([*path, "--help"], capsys)
    assert code == 0
    assert err == ""
    assert out.startswith(f"usage: {' '.join(('fieldsurvey', *path))}")
    assert parser.description, f"{' '.join(path)} has no description"
    assert _words(parser.description) in _words(out)


def test_the_program_help_lists_every_command_with_a_one_line_help(capsys):
    code, out, _err = run(["--help"], capsys)
    assert code == 0
    (commands,) = _subcommand_actions(ROOT_PARSER)
    listed = {choice.dest: choice.help for choice in commands._choices_actions}
    assert set(listed) == set(commands.choices)
    for name, help_text in listed.items():
        assert help_text and "\n" not in help_text, name
        assert re.search(rf"^\s+{re.escape(name)}\s", out, re.MULTILINE), name
        assert _words(help_text) in _words(out), name


@pytest.mark.parametrize("path", GROUPS, ids=_ids(GROUPS))
def test_a_command_without_its_action_prints_usage_and_exits_2(path, capsys):
    code, out, err = run(path, capsys)
    assert code == 2
    assert out == ""
    assert f"usage: fieldsurvey {' '.join(path)}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [["no-such-command"], ["forms", "list", "--no-such-option"], ["db", "nope"],
     ["export", "--form", "x"], ["interviews", "list", "--status", "lost"]],
    ids=["unknown command", "unknown option", "unknown action", "missing option",
         "bad choice"],
)  # fmt: skip
def test_usage_errors_exit_2_with_the_usage(argv, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert "usage: fieldsurvey" in err and "error:" in err
    assert "Traceback" not in err


# -- --json ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SCRIPTED, ids=_ids(SCRIPTED))
def test_scripted_commands_take_json(path):
    options = {s for action in COMMANDS[path]._actions for s in action.option_strings}
    assert "--json" in options


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """A data folder with 4 generated interviews, and one laptop's export of 3 others."""
    root = tmp_path_factory.mktemp("cli-contract")
    data = root / "data"
    assert main(["--lang", "en", "--data-dir", str(data), "demo", "--interviews", "4",
                 "--seed", "1"]) == 0  # fmt: skip
    laptops = root / "laptops"
    assert main(["--lang", "en", "--data-dir", str(root / "laptop-work"), "demo",
                 "--interviews", "3", "--laptops", "1", "--out", str(laptops)]) == 0  # fmt: skip
    (export_file,) = laptops.glob("*.xlsx")
    answers = root / "answers.json"
    answers.write_text(json.dumps({"answers": [
        {"path": "/data/respondent_name", "value": "Respondent A"},
        {"path": "/data/household/age", "value": "34"},
    ]}), encoding="utf-8")  # fmt: skip
    return SimpleNamespace(root=root, data=data, export_file=export_file, answers=answers)


def _check_forms_list(doc, s):
    counts = {form["form_id"]: form["interviews"] for form in doc}
    assert counts[DEMO_FORM] == 4


def _check_interviews_list(doc, s):
    assert len(doc) == 4 and all(r["instance_id"].startswith("uuid:") for r in doc)


def _check_simulate(doc, s):
    values = {node["path"]: node["value"] for node in doc["nodes"]}
    assert values["/data/respondent_name"] == "Respondent A"
    assert "<respondent_name>Respondent A</respondent_name>" in doc["instance"]
    assert "error" not in doc


# Each case: (command path, argv after --data-dir DATA, check of the JSON document).
# {data}, {fresh}, {tmp}... are filled from the scenario and the test's own tmp_path.
SUCCESS = {
    "forms list": ("{data}", ["forms", "list"], _check_forms_list),
    "interviews list": ("{data}", ["interviews", "list"], _check_interviews_list),
    "form check": ("{fresh}", ["form", "check", "{quick}"],
                   lambda doc, s: doc["ok"] is True and doc["form_id"] == "quick_check"),
    "form simulate": ("{fresh}", ["form", "simulate", "{quick}", "--answers", "{answers}"],
                      _check_simulate),
    "export": ("{data}", ["export", "--form", DEMO_FORM, "-o", "{tmp}/out.xlsx"],
               lambda doc, s: doc["interviews"] == 4 and Path(doc["path"]).is_file()),
    "merge": ("{fresh}", ["merge", "{export}"],
              lambda doc, s: (doc["new"], doc["rejected"]) == (3, 0) and "error" not in doc),
    "profiles list": ("{fresh}", ["profiles", "list"], lambda doc, s: doc["profiles"] == []),
    "demo": ("{fresh}", ["demo", "--interviews", "2"], lambda doc, s: doc["interviews"] == 2),
    "db check": ("{data}", ["db", "check"], lambda doc, s: doc["ok"] is True),
    "db backup": ("{data}", ["db", "backup"], lambda doc, s: Path(doc["backup"]).is_file()),
    "self-test": ("{fresh}", ["self-test", "--no-qt"], lambda doc, s: doc["ok"] is True),
}  # fmt: skip


def _fill(text: str, s, tmp_path: Path) -> str:
    return text.format(data=s.data, fresh=tmp_path / "fresh", tmp=tmp_path, quick=QUICK_CHECK,
                       answers=s.answers, export=s.export_file)  # fmt: skip


@pytest.mark.parametrize("case", list(SUCCESS))
def test_json_success_is_one_document_and_exit_0(case, scenario, tmp_path, capsys):
    data_dir, argv, check = SUCCESS[case]
    argv = [_fill(a, scenario, tmp_path) for a in argv]
    code, out, err = run(["--data-dir", _fill(data_dir, scenario, tmp_path), *argv, "--json"],
                         capsys)  # fmt: skip
    assert code == 0, err
    doc = one_json_document(out)
    assert check(doc, scenario) is not False


def _damaged_database(tmp_path: Path) -> Path:
    folder = tmp_path / "damaged"
    folder.mkdir()
    (folder / "fieldsurvey.sqlite3").write_bytes(b"this is not SQLite " * 500)
    return folder


def _foreign_xlsx(tmp_path: Path) -> Path:
    wb = Workbook()
    wb.active.title = "Data"
    wb.active.append(["name", "amount"])
    path = tmp_path / "foreign.xlsx"
    wb.save(path)
    return path


def _text(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


# Each case: (argv builder from tmp_path, expected error code or None for a report, text
# the message must contain).
FAILURE = {
    "forms list": (lambda t: ["--data-dir", _text(t, "a-file", "x"), "forms", "list"],
                   "data_dir", "a-file"),
    "interviews list": (lambda t: ["--data-dir", _damaged_database(t), "interviews", "list"],
                        "store_corrupt", "fieldsurvey.sqlite3"),
    "form check": (lambda t: ["form", "check", t / "missing.xlsx"], "form.io", "missing.xlsx"),
    "form simulate": (lambda t: ["form", "simulate", QUICK_CHECK, "--answers",
                                 _text(t, "answers.json", "{not json")],
                      "simulate.json", "answers.json"),
    "form simulate refused answer": (
        lambda t: ["form", "simulate", QUICK_CHECK, "--answers", _text(t, "answers.json", json.dumps(
            {"answers": [{"path": "/data/household/age", "value": "forty"}]}))],
        None, "/data/household/age"),
    "export": (lambda t: ["export", "--form", "nowhere", "-o", t / "x.xlsx"],
               "exchange.no_form", "nowhere"),
    "merge": (lambda t: ["merge", _foreign_xlsx(t)], None, "foreign.xlsx"),
    "sync": (lambda t: ["sync", "--profile", "nobody"], "sync-no-profile", "nobody"),
    "profiles list": (lambda t: ["--data-dir", t, "profiles", "list"]
                      if _text(t, "servers.json", "{broken") else [],
                      "sync-profile", "servers.json"),
    "demo": (lambda t: ["demo", "--interviews", "2", "--laptops", "1", "--out",
                        _text(t, "a-file", "x") / "out"], "io", "a-file"),
    "db check": (lambda t: ["--data-dir", _damaged_database(t), "db", "check"],
                 "store_corrupt", "fieldsurvey.sqlite3"),
    "db backup": (lambda t: ["--data-dir", _damaged_database(t), "db", "backup"],
                  "store_corrupt", "fieldsurvey.sqlite3"),
    "self-test": (lambda t: ["self-test", "--no-qt", "--form", _text(t, "form.xlsx", "text")],
                  None, "form.xlsx"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(FAILURE))
def test_json_failure_is_one_document_with_the_error_and_exit_1(case, tmp_path, capsys):
    build, code_expected, named = FAILURE[case]
    code, out, err = run([*build(tmp_path), "--json"], capsys)
    assert code == 1, err
    doc = one_json_document(out)
    assert_failure_described(doc)
    if code_expected is not None:
        assert doc["error"]["code"] == code_expected
    assert named in out  # the file, profile or field the failure is about
    assert "Traceback" not in err


def test_a_usage_error_with_json_is_also_a_json_error(capsys):
    code, out, err = run(["export", "--json"], capsys)
    assert code == 2
    doc = one_json_document(out)
    assert doc["error"]["code"] == "usage"
    assert "--form" in doc["error"]["message"]
    assert "usage: fieldsurvey export" in err


def test_a_crash_is_one_plain_line_and_the_traceback_goes_to_the_log(tmp_path, monkeypatch,
                                                                      capsys):  # fmt: skip
    import fieldsurvey.cli.store_cmd as store_cmd

    def explode(args, ctx):
        raise RuntimeError("the kettle boiled over")

    monkeypatch.setattr(store_cmd, "run_forms_list", explode)
    data = tmp_path / "data"
    code, out, err = run(["--data-dir", data, "forms", "list", "--json"], capsys)
    assert code == 1
    doc = one_json_document(out)
    assert doc["error"]["code"] == "unexpected"
    assert "the kettle boiled over" in doc["error"]["message"]
    assert "Traceback" not in err
    log = (data / "logs" / "fieldsurvey.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "the kettle boiled over" in log


# -- as a real process -------------------------------------------------------------------


def fieldsurvey(*argv, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "LANGUAGE": "en", "LANG": "C.UTF-8"}
    env.pop("FIELDSURVEY_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "fieldsurvey", "--data-dir", str(data_dir), *map(str, argv)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )  # fmt: skip


def test_process_demo_then_list_as_json(tmp_path):
    data = tmp_path / "data"
    made = fieldsurvey("demo", "--interviews", "2", "--json", data_dir=data)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["interviews"] == 2
    listed = fieldsurvey("interviews", "list", "--json", data_dir=data)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 2


def test_process_failure_and_usage_exit_statuses(tmp_path):
    not_a_form = _text(tmp_path, "notes.xlsx", "shopping list")
    checked = fieldsurvey("form", "check", not_a_form, "--json", data_dir=tmp_path / "data")
    assert checked.returncode == 1
    error = json.loads(checked.stdout)["error"]
    assert error["path"] == str(not_a_form)
    assert "Traceback" not in checked.stderr
    usage = fieldsurvey("db", data_dir=tmp_path / "data")
    assert usage.returncode == 2
    assert usage.stdout == ""
    assert "usage: fieldsurvey db" in usage.stderr and "Traceback" not in usage.stderr


# -- the interface language --------------------------------------------------------------


def _spanish(msgid: str) -> str | None:
    """The catalog's Spanish text for msgid, or None while it is not translated."""
    set_language("es")
    try:
        text = _(msgid)
    finally:
        set_language("en")
    return text if text != msgid else None


def test_lang_es_translates_the_program_help(capsys):
    msgid = "interface language: en, es, fr, pt, it or ru"
    spanish = _spanish(msgid)
    if spanish is None:
        pytest.skip("the Spanish catalog has no entry for the --lang help yet")
    _code, english_out, _err = run(["--help"], capsys)
    code, out, _err = run(["--lang", "es", "--help"], capsys)
    assert code == 0
    assert _words(spanish) in _words(out)
    assert msgid not in out and out != english_out


@pytest.mark.parametrize("path", [p for p in COMMANDS if len(p) == 1], ids=_ids(
    [p for p in COMMANDS if len(p) == 1]))  # fmt: skip
def test_lang_es_translates_each_command_help(path, capsys):
    (commands,) = _subcommand_actions(ROOT_PARSER)
    english = next(c.help for c in commands._choices_actions if c.dest == path[0])
    spanish = _spanish(english)
    if spanish is None:
        pytest.skip(f"the Spanish catalog has no entry for {path[0]!r} yet")
    code, out, _err = run(["--lang", "es", "--help"], capsys)
    assert code == 0
    assert _words(spanish) in _words(out)


def test_lang_es_translates_errors(tmp_path, capsys):
    spanish = _spanish("The file {name} cannot be opened.")
    if spanish is None:
        pytest.skip("the Spanish catalog has no entry for this error yet")
    code, _out, err = run(["--lang", "es", "form", "check", tmp_path / "missing.xlsx"], capsys)
    assert code == 1
    assert spanish.format(name="missing.xlsx") in err
    assert "cannot be opened" not in err


def test_an_unknown_interface_language_is_a_usage_error(capsys):
    code, out, err = run(["--lang", "de", "forms", "list"], capsys)
    assert code == 2
    assert out == ""
    assert "--lang" in err and "'de'" in err and "'es'" in err


def test_a_regional_language_code_counts_as_its_language(capsys):
    spanish = _spanish("interface language: en, es, fr, pt, it or ru")
    if spanish is None:
        pytest.skip("the Spanish catalog has no entry for the --lang help yet")
    code, out, _err = run(["--lang", "es_MX.UTF-8", "--help"], capsys)
    assert code == 0
    assert _words(spanish) in _words(out)


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
def test_ctrl_c_exits_130_without_a_traceback(json_flag, monkeypatch, capsys):
    import fieldsurvey.cli.store_cmd as store_cmd

    def interrupted(args, ctx):
        raise KeyboardInterrupt

    monkeypatch.setattr(store_cmd, "run_forms_list", interrupted)
    code, out, err = run(["forms", "list", *json_flag], capsys)
    assert code == 130
    assert "Traceback" not in err
    if json_flag:
        assert one_json_document(out)["error"]["code"] == "interrupted"
    else:
        assert out == "" and "Interrupted." in err


def test_output_redirected_in_a_narrow_code_page_is_utf8_not_a_crash(tmp_path):
    """Windows hands a redirected Python its ANSI code page (cp1252), where Russian
    cannot be written: the program must still print, in UTF-8."""
    set_language("ru")
    try:
        russian = _("No questionnaire is installed.")
    finally:
        set_language("en")
    if russian == "No questionnaire is installed.":
        pytest.skip("the Russian catalog has no entry for this message yet")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    env.pop("FIELDSURVEY_DATA_DIR", None)
    done = subprocess.run(
        [sys.executable, "-m", "fieldsurvey", "--data-dir", str(tmp_path / "data"), "--lang",
         "ru", "forms", "list"],
        capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.decode("utf-8").strip() == russian


@pytest.mark.skipif(os.name != "posix", reason="a closed pipe is tested the POSIX way")
@pytest.mark.parametrize("lines", [None, 3000])
def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path, lines):
    """``fieldsurvey interviews list | head``: the reader goes away, the command stops
    with SIGPIPE's status and says nothing (no "crashed" message, no traceback)."""
    env = {**os.environ, "LANGUAGE": "en", "FIELDSURVEY_DATA_DIR": str(tmp_path / "data")}
    # The real listing of an empty folder is one line, refused when the output is
    # flushed at the end; a listing of thousands of lines (made up here, as generating
    # the interviews would take long) fills the pipe while the command is still writing.
    script = "import sys; from fieldsurvey.cli.main import main; "
    if lines:
        script += ("import fieldsurvey.cli.store_cmd as s; s.run_interviews_list = "
                   f"lambda args, ctx: [ctx.out('x' * 60) for _ in range({lines})] and 0; ")
    script += "sys.exit(main(['interviews', 'list']))"
    reader, writer = os.pipe()
    os.close(reader)  # the reader has already stopped
    try:
        done = subprocess.run([sys.executable, "-c", script], stdout=writer,
                              stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    finally:
        os.close(writer)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""
